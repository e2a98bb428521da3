//! The [`EventBus`] trait, with the handle of a subscription and the report of a shutdown.

use std::future::Future;
use std::time::Duration;

use crate::bus::dead_letters::DeadLetters;
use crate::bus::handler::{BatchHandler, Handler};
use crate::envelope::Envelope;

use super::error::{PublishError, SubscribeError};
use super::options::SubscriptionOptions;

/// What a shutdown did: how the events that were queued or in flight when it began ended.
///
/// Events that had already failed into the dead-letter queue before the shutdown are in
/// neither count (list them with [`dead_letters`](EventBus::dead_letters)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShutdownReport {
    /// Events whose processing finished after the shutdown began and before the deadline
    /// (handled, skipped as duplicates, or dead-lettered for their own failure).
    pub drained: usize,
    /// Events still queued or in flight at the deadline, abandoned by their subscriber: moved
    /// to the dead-letter queue with code `shutdown` (never also counted in `drained`), to be
    /// reprocessed on a running bus. A broker keeps such events for redelivery instead, so
    /// its buses report 0 here.
    pub abandoned: usize,
    /// Handler calls that had not returned when the shutdown gave up waiting (a handler that
    /// blocks its thread cannot be cancelled). Nothing is lost: when such a call returns, its
    /// event is handled or dead-lettered, and the events queued behind it are dead-lettered
    /// with code `shutdown`; they are not counted in `abandoned`.
    pub still_running: usize,
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
/// The trait is transport-neutral: code written against `impl EventBus<P>` runs unchanged on
/// the in-process bus and on a broker. Subscribing and every dead-letter operation are async
/// and may fail on the transport (the `Unavailable` variants of the errors), which an
/// in-process bus never does.
///
/// Every implementation must pass the conformance suite in `tests/conformance/bus/`.
pub trait EventBus<P>: Send + Sync {
    /// Where this bus keeps its dead letters.
    type DeadLetters: DeadLetters<P>;

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
    /// that group. Once this returns, the subscriber gets every event published after it.
    fn subscribe<H: Handler<P>>(
        &self,
        options: SubscriptionOptions,
        handler: H,
    ) -> impl Future<Output = Result<Subscription, SubscribeError>> + Send;

    /// Subscribes a batch handler (`options.strategy` must be
    /// [`Strategy::Batch`](crate::Strategy::Batch); other strategies are read as a batch of
    /// one).
    fn subscribe_batch<H: BatchHandler<P>>(
        &self,
        options: SubscriptionOptions,
        handler: H,
    ) -> impl Future<Output = Result<Subscription, SubscribeError>> + Send;

    /// The dead letters of every subscriber (list, discard, reprocess, alert).
    fn dead_letters(&self) -> &Self::DeadLetters;

    /// Stops accepting events, handles what is queued until `deadline`, and dead-letters what
    /// is left (never dropped). Returns soon after the deadline even if a handler does not
    /// return (see [`ShutdownReport::still_running`]).
    fn shutdown(&self, deadline: Duration) -> impl Future<Output = ShutdownReport> + Send;
}
