//! What a bus shares with its subscription tasks.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use async_nats::jetstream;
use tokio::sync::watch;

use crate::dead_letters::JetStreamDeadLetters;
use crate::idempotency::Dedupe;
use crate::names::Names;
use crate::options::BusOptions;

/// The connection, names, options and shutdown signals of a bus.
pub(crate) struct Shared<P> {
    pub(crate) client: async_nats::Client,
    pub(crate) jetstream: jetstream::Context,
    pub(crate) names: Names,
    pub(crate) options: BusOptions,
    pub(crate) dedupe: Dedupe,
    pub(crate) dead_letters: JetStreamDeadLetters<P>,
    /// Set when the shutdown begins: no more pulls.
    pub(crate) stopping: watch::Sender<bool>,
    /// Set when the shutdown deadline passes: handlers still running are cut short.
    pub(crate) deadline: watch::Sender<bool>,
    /// Whether publishing and subscribing are refused.
    pub(crate) closed: AtomicBool,
    /// Events whose processing finished after the shutdown began.
    pub(crate) drained: AtomicUsize,
}

impl<P> Shared<P> {
    /// Counts an event whose processing finished (handled, skipped, dead-lettered).
    pub(crate) fn finished(&self) {
        if *self.stopping.borrow() {
            self.drained.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// Waits until `signal` is set (returns at once if it is).
pub(crate) async fn signalled(signal: &mut watch::Receiver<bool>) {
    let _ = signal.wait_for(|set| *set).await.map(|_| ());
}
