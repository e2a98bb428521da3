//! Handlers that record what they receive, for the bus suite to assert on.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use novel_events::novel_engine::AnyEvent;
use novel_events::{
    BatchHandler, Handler, HandlerFuture, HandlerResult, SubscriptionOptions, handler_fn,
};
use uuid::Uuid;

use super::Bus;
use super::events::*;

/// The envelopes a handler received, in the order it received them.
#[derive(Clone, Default)]
pub(crate) struct Log(Arc<Mutex<Vec<Env>>>);

impl Log {
    pub(crate) fn push(&self, envelope: Env) {
        self.0.lock().unwrap().push(envelope);
    }

    pub(crate) fn all(&self) -> Vec<Env> {
        self.0.lock().unwrap().clone()
    }

    pub(crate) fn ids(&self) -> Vec<Uuid> {
        self.all()
            .iter()
            .map(|envelope| envelope.event_id)
            .collect()
    }

    pub(crate) fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    pub(crate) fn count(&self, event_id: Uuid) -> usize {
        self.ids().iter().filter(|id| **id == event_id).count()
    }
}

/// A catch-all handler recording every envelope.
pub(crate) fn recorder(log: &Log) -> impl Handler<AnyEvent> + use<> {
    let log = log.clone();
    handler_fn(move |envelope: Env| {
        let log = log.clone();
        async move {
            log.push(envelope);
            HandlerResult::Ok(())
        }
    })
}

/// Subscribes two recorders: the asynchronous `audit-log` and, if the bus offers the
/// immediate strategy (`with_immediate`), an immediate one named `immediate`; returns their
/// logs in that order.
pub(crate) async fn audit_log_and_immediate<B: Bus>(
    bus: &B,
    immediate: &str,
    with_immediate: bool,
) -> (Log, Option<Log>) {
    let queued = Log::default();
    bus.subscribe(
        SubscriptionOptions::asynchronous("audit-log"),
        recorder(&queued),
    )
    .await
    .unwrap();
    if !with_immediate {
        return (queued, None);
    }
    let inline = Log::default();
    bus.subscribe(SubscriptionOptions::immediate(immediate), recorder(&inline))
        .await
        .unwrap();
    (queued, Some(inline))
}

/// Records each envelope it begins, then never finishes: what shutdown has to cut short.
pub(crate) fn stuck_recorder(log: &Log) -> impl Handler<AnyEvent> + use<> {
    let log = log.clone();
    handler_fn(move |envelope: Env| {
        let log = log.clone();
        async move {
            log.push(envelope);
            std::future::pending::<HandlerResult>().await
        }
    })
}

/// Calls per eventId.
#[derive(Clone, Default)]
pub(crate) struct Calls(Arc<Mutex<HashMap<Uuid, u32>>>);

impl Calls {
    /// Counts a call; returns its number (1 for the first).
    pub(crate) fn call(&self, event_id: Uuid) -> u32 {
        let mut calls = self.0.lock().unwrap();
        let count = calls.entry(event_id).or_default();
        *count += 1;
        *count
    }

    pub(crate) fn of(&self, event_id: Uuid) -> u32 {
        self.0.lock().unwrap().get(&event_id).copied().unwrap_or(0)
    }
}

/// A batch handler from a closure.
pub(crate) struct BatchFn<F>(pub(crate) F);

impl<F> BatchHandler<AnyEvent> for BatchFn<F>
where
    F: Fn(&[Arc<Env>]) -> HandlerResult + Send + Sync + 'static,
{
    fn handle_batch<'a>(&'a self, batch: &'a [Arc<Env>]) -> HandlerFuture<'a> {
        let result = (self.0)(batch);
        Box::pin(async move { result })
    }
}
