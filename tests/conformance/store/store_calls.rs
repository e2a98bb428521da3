//! Calls on the store that fail the test loudly, and views of what a read returned.

use std::future::Future;
use std::time::Duration;

use novel_events::novel_engine::AnyEvent;
use novel_events::{AppendOutcome, ExpectedVersion, StoredEvent};

use super::Store;
use super::events::*;

/// Fails the test instead of hanging it.
pub(crate) async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), future)
        .await
        .unwrap_or_else(|_| panic!("timed out: {what}"))
}

/// Appends events to their aggregate's stream, whatever its version; returns the outcome.
pub(crate) async fn append<S: Store>(store: &S, events: Vec<Env>) -> AppendOutcome {
    let aggregate = events[0].aggregate_id;
    store
        .append(aggregate, ExpectedVersion::Any, events)
        .await
        .unwrap_or_else(|error| panic!("append failed: {error}"))
}

/// The (stream version, position) of an append that must have appended.
pub(crate) fn appended(outcome: AppendOutcome) -> (u64, u64) {
    match outcome {
        AppendOutcome::Appended {
            stream_version,
            position,
        } => (stream_version, position),
        other => panic!("expected the events to be appended, got {other:?}"),
    }
}

pub(crate) fn envelopes(events: &[StoredEvent<AnyEvent>]) -> Vec<Env> {
    events.iter().map(|event| event.envelope.clone()).collect()
}

pub(crate) fn positions<P>(events: &[StoredEvent<P>]) -> Vec<u64> {
    events.iter().map(|event| event.position).collect()
}

pub(crate) fn versions<P>(events: &[StoredEvent<P>]) -> Vec<u64> {
    events.iter().map(|event| event.stream_version).collect()
}

pub(crate) async fn everything<S: Store>(store: &S) -> Vec<StoredEvent<AnyEvent>> {
    store.read_all(0, usize::MAX).await.expect("the log reads")
}
