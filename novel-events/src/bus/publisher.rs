//! Publishing: envelopes built right (source, user, trace, correlation and causation), checked
//! against the catalog, sent to a bus.

use uuid::Uuid;

use crate::bus::{EventBus, PublishError};
use crate::context::TraceContext;
use crate::envelope::Envelope;
use crate::event::EventPayload;

/// Publishes events on behalf of one service (`metadata.source`), optionally for a user and
/// within a trace.
///
/// ```
/// use novel_events::novel_engine::{AnyEvent, characters::CharacterDeleted};
/// use novel_events::{InMemoryBus, Publisher};
/// use uuid::Uuid;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), novel_events::PublishError> {
/// let bus = InMemoryBus::<AnyEvent>::new();
/// let user = Uuid::new_v4();
/// let publisher = Publisher::new(bus.clone(), "character-service").with_user(user);
/// let deleted = |name: &str| CharacterDeleted {
///     character_id: Uuid::new_v4(),
///     name: name.into(),
///     deletion_reason: "merged".into(),
///     deleted_by: user,
/// };
/// let first = publisher.publish(deleted("Mira")).await?;
/// let second = publisher.publish_caused_by(&first, deleted("Oren")).await?;
/// assert_eq!(second.correlation_id, first.event_id);
/// assert_eq!(second.causation_id, first.event_id);
/// assert_eq!(second.metadata.source, "character-service");
/// assert_eq!(second.user_id, Some(user));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Publisher<B> {
    bus: B,
    source: String,
    user_id: Option<Uuid>,
    trace: Option<TraceContext>,
}

impl<B> Publisher<B> {
    /// A publisher for the service `source`.
    pub fn new(bus: B, source: impl Into<String>) -> Self {
        Self {
            bus,
            source: source.into(),
            user_id: None,
            trace: None,
        }
    }

    /// Publishes on behalf of this user (`userId`).
    #[must_use]
    pub fn with_user(mut self, user_id: Uuid) -> Self {
        self.user_id = Some(user_id);
        self
    }

    /// Publishes within this trace: each event's `metadata.trace` is a child span of it.
    #[must_use]
    pub fn with_trace(mut self, trace: TraceContext) -> Self {
        self.trace = Some(trace);
        self
    }

    /// The bus.
    pub fn bus(&self) -> &B {
        &self.bus
    }

    fn stamp<P>(&self, mut envelope: Envelope<P>, parent_trace: Option<&str>) -> Envelope<P> {
        envelope.metadata.source.clone_from(&self.source);
        if self.user_id.is_some() {
            envelope.user_id = self.user_id;
        }
        let parent = parent_trace
            .and_then(|trace| trace.parse::<TraceContext>().ok())
            .or(self.trace);
        envelope.metadata.trace = parent.map(|trace| trace.child().to_string());
        envelope
    }

    /// The root envelope [`publish`](Self::publish) would send, without sending it (for example
    /// to append it to a store whose outbox publishes it).
    pub fn build<P: EventPayload, T: Into<P>>(&self, payload: T) -> Envelope<P> {
        self.stamp(Envelope::new(payload.into(), String::new()), None)
    }

    /// The envelope [`publish_caused_by`](Self::publish_caused_by) would send, without sending it.
    pub fn build_caused_by<P: EventPayload, Q, T: Into<P>>(
        &self,
        parent: &Envelope<Q>,
        payload: T,
    ) -> Envelope<P> {
        self.stamp(
            Envelope::caused_by(parent, payload.into()),
            parent.metadata.trace.as_deref(),
        )
    }

    /// Builds a root envelope around `payload` (a fresh UUID v7 id, correlationId = causationId
    /// = eventId), checks it against its catalog, publishes it and returns it.
    pub async fn publish<P, T>(&self, payload: T) -> Result<Envelope<P>, PublishError>
    where
        B: EventBus<P>,
        P: EventPayload + Clone,
        T: Into<P>,
    {
        let envelope = self.build(payload);
        self.bus.publish(envelope.clone()).await?;
        Ok(envelope)
    }

    /// Publishes an event caused by `parent`: the parent's correlationId, the parent's eventId
    /// as causationId, the parent's user unless this publisher has one, a child of the parent's
    /// trace.
    pub async fn publish_caused_by<P, Q, T>(
        &self,
        parent: &Envelope<Q>,
        payload: T,
    ) -> Result<Envelope<P>, PublishError>
    where
        B: EventBus<P>,
        P: EventPayload + Clone,
        T: Into<P>,
    {
        let envelope = self.stamp(
            Envelope::caused_by(parent, payload.into()),
            parent.metadata.trace.as_deref(),
        );
        self.bus.publish(envelope.clone()).await?;
        Ok(envelope)
    }

    /// Publishes several root events in order. All payloads are checked first: if one breaks
    /// its catalog, none is published.
    pub async fn publish_batch<P, T>(
        &self,
        payloads: impl IntoIterator<Item = T>,
    ) -> Result<Vec<Envelope<P>>, PublishError>
    where
        B: EventBus<P>,
        P: EventPayload + Clone,
        T: Into<P>,
    {
        let envelopes: Vec<Envelope<P>> = payloads
            .into_iter()
            .map(|payload| self.build(payload))
            .collect();
        for envelope in &envelopes {
            envelope
                .payload
                .validate()
                .map_err(|source| PublishError::Invalid {
                    event_type: envelope.event_type(),
                    source,
                })?;
        }
        for envelope in &envelopes {
            self.bus.publish(envelope.clone()).await?;
        }
        Ok(envelopes)
    }
}
