//! The [`EventBus`] trait, with the handle of a subscription and the report of a shutdown.

use std::future::Future;
use std::time::Duration;

use crate::bus::dead_letter::DeadLetterQueue;
use crate::bus::handler::{BatchHandler, Handler};
use crate::envelope::Envelope;

use super::error::{PublishError, ReprocessError, SubscribeError};
use super::options::SubscriptionOptions;

/// What a shutdown did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShutdownReport {
    /// Events whose processing finished after the shutdown began and before the deadline
    /// (handled, skipped as duplicates, or dead-lettered for their own failure).
    pub drained: usize,
    /// Events queued or in flight at the deadline, now in the dead-letter queue with code
    /// `shutdown` (never also counted in `drained`).
    pub dead_lettered: usize,
}

/// A handle on a subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// The subscriber's name.
    pub name: String,
    /// This instance's number in its group (0 for the first).
    pub instance: usize,
}

/// An event bus carrying envelopes of the payload type `P` (a catalog's `AnyEvent`, or a
/// `#[derive(EventSet)]` enum).
///
/// Every implementation must pass the conformance suite in `tests/bus_conformance.rs`.
pub trait EventBus<P>: Send + Sync {
    /// Publishes an envelope: checks the payload against its catalog, runs immediate
    /// subscribers, and queues it for the others, waiting while a queue is full.
    fn publish(
        &self,
        envelope: Envelope<P>,
    ) -> impl Future<Output = Result<(), PublishError>> + Send;

    /// Like [`publish`](Self::publish), but fails with [`PublishError::QueueFull`] instead of
    /// waiting for queue space (nothing is published then).
    fn try_publish(
        &self,
        envelope: Envelope<P>,
    ) -> impl Future<Output = Result<(), PublishError>> + Send;

    /// Subscribes a handler under `options.name`. The same name again adds an instance to
    /// that group.
    fn subscribe<H: Handler<P>>(
        &self,
        options: SubscriptionOptions,
        handler: H,
    ) -> Result<Subscription, SubscribeError>;

    /// Subscribes a batch handler (`options.strategy` must be
    /// [`Strategy::Batch`](crate::Strategy::Batch); other strategies are read as a batch of
    /// one).
    fn subscribe_batch<H: BatchHandler<P>>(
        &self,
        options: SubscriptionOptions,
        handler: H,
    ) -> Result<Subscription, SubscribeError>;

    /// The dead letters of every subscriber.
    fn dead_letters(&self) -> &DeadLetterQueue<P>;

    /// Delivers a dead letter again to its subscriber, with fresh attempts, and removes it
    /// from the queue (a new failure makes a new dead letter).
    fn reprocess(&self, id: u64) -> impl Future<Output = Result<(), ReprocessError>> + Send;

    /// Stops accepting events, handles what is queued until `deadline`, and dead-letters what
    /// is left (never dropped). Waits for the workers to stop.
    fn shutdown(&self, deadline: Duration) -> impl Future<Output = ShutdownReport> + Send;
}
