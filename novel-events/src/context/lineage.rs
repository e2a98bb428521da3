//! Event lineage: the causation tree of a flow (the Novel Engine specification's "Event Lineage").

use std::fmt::Write as _;

use uuid::Uuid;

use crate::event::EventPayload;
use crate::store::{EventReader, StoreError, StoredEvent};

/// One event of a flow and the events it caused.
#[derive(Debug, Clone, PartialEq)]
pub struct Lineage<P> {
    /// The event.
    pub event: StoredEvent<P>,
    /// The events whose causationId is this event's id, in log order.
    pub children: Vec<Lineage<P>>,
}

impl<P: EventPayload> Lineage<P> {
    /// Every event of the tree, depth first.
    pub fn len(&self) -> usize {
        1 + self.children.iter().map(Lineage::len).sum::<usize>()
    }

    /// Always false: a tree has its root.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The tree as indented text, one event a line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out, 0);
        out
    }

    fn render_into(&self, out: &mut String, depth: usize) {
        let envelope = &self.event.envelope;
        let _ = writeln!(
            out,
            "{}{} {} ({}, #{})",
            "  ".repeat(depth),
            envelope.event_type(),
            envelope.event_id,
            envelope.metadata.source,
            self.event.position
        );
        for child in &self.children {
            child.render_into(out, depth + 1);
        }
    }
}

/// The causation tree of the flow `event_id` belongs to: every event of its correlationId,
/// rooted at the flow's root events (those not caused by another event of the flow). `None`
/// when the event is not stored.
pub async fn lineage<P, S>(store: &S, event_id: Uuid) -> Result<Option<Vec<Lineage<P>>>, StoreError>
where
    P: EventPayload + Clone,
    S: EventReader<P>,
{
    let Some(event) = store.read_event(event_id).await? else {
        return Ok(None);
    };
    let flow = store
        .read_correlation(event.envelope.correlation_id)
        .await?;
    let ids: std::collections::HashSet<Uuid> =
        flow.iter().map(|event| event.envelope.event_id).collect();
    let roots = flow
        .iter()
        .filter(|event| event.envelope.is_root() || !ids.contains(&event.envelope.causation_id))
        .map(|root| build(root, &flow))
        .collect();
    Ok(Some(roots))
}

fn build<P: Clone>(event: &StoredEvent<P>, flow: &[StoredEvent<P>]) -> Lineage<P> {
    let id = event.envelope.event_id;
    Lineage {
        event: event.clone(),
        children: flow
            .iter()
            .filter(|child| child.envelope.causation_id == id && child.envelope.event_id != id)
            .map(|child| build(child, flow))
            .collect(),
    }
}
