//! The event bus abstraction: publish envelopes, subscribe named consumers with a processing
//! strategy, park what fails in a dead-letter queue, shut down without losing anything.
//!
//! [`InMemoryBus`](crate::InMemoryBus) implements it in-process. The trait is shaped for a
//! broker as well (NATS JetStream: a subscription name is a durable consumer, a retry is a nak
//! with a redelivery delay, idempotency is dedupe by `eventId` as message id, ordering is per
//! subject keyed by aggregate), so user code written against it does not change.

use std::future::Future;
use std::time::Duration;

use crate::dead_letter::DeadLetterQueue;
use crate::envelope::Envelope;
use crate::handler::{BatchHandler, Handler, HandlerError};
use crate::retry::RetryPolicy;
use crate::validation::ValidationError;

/// How a subscription processes its events (the seed's three processing strategies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// The handler runs inside `publish`, before it returns, and its error is returned to the
    /// publisher (which then decides; the event is not retried nor dead-lettered). For critical
    /// events that need an immediate answer.
    Immediate,
    /// A bounded queue and background workers: `publish` returns once the event is queued, and
    /// waits when the queue is full (backpressure). Events of one aggregate are handled in
    /// publish order (they go to the same worker); with one worker (the default), all events
    /// are, so an effect is never handled before its cause. Failures are retried, then
    /// dead-lettered.
    Asynchronous {
        /// Workers of each instance (at least 1): handlers running at once, each on the events
        /// of its share of the aggregates.
        workers: usize,
        /// Queued events per worker before `publish` waits.
        queue_capacity: usize,
    },
    /// The handler receives batches of up to `max_size` events, or whatever arrived within
    /// `max_wait` of the first one. A failed batch is retried whole, then dead-lettered whole.
    Batch {
        /// Largest batch.
        max_size: usize,
        /// Longest wait for a batch to fill.
        max_wait: Duration,
        /// Queued events before `publish` waits.
        queue_capacity: usize,
    },
}

/// A named subscription (consumer group) and how it processes events.
///
/// Every subscription with one name forms one group: the group gets each event once, and its
/// instances share the work (by aggregate, so that one aggregate's events stay in order while
/// the group keeps its size). Every instance of a group must use the same options.
#[derive(Debug, Clone)]
pub struct SubscriptionOptions {
    /// The subscriber's name (`memory-service`).
    pub name: String,
    /// The processing strategy.
    pub strategy: Strategy,
    /// Retries of failed events (not used by [`Strategy::Immediate`]).
    pub retry: RetryPolicy,
    /// Skip eventIds this subscriber already handled, or has in the dead-letter queue (reprocess
    /// the letter instead), including copies within one batch (default: on).
    pub idempotent: bool,
}

impl SubscriptionOptions {
    /// Default workers of an asynchronous subscription: one, so that a subscription instance
    /// handles the events published one after another in that order, across aggregates as
    /// well. An event is published after the event that caused it, so it is also handled after
    /// it: the seed's "maintain causal ordering for related events" holds without the
    /// handler's help. Limits: several instances of one subscriber share the aggregates
    /// between them, like workers; a cause that was dead-lettered comes back only when
    /// reprocessed, after its effects; and on a multi-thread runtime, an effect published by
    /// another subscriber's handler can reach this queue while the cause is still being sent
    /// to it.
    ///
    /// The default queue holds [`DEFAULT_QUEUE_CAPACITY`](Self::DEFAULT_QUEUE_CAPACITY)
    /// events (it is per worker).
    ///
    /// More workers ([`with_queue`](Self::with_queue)) handle the events of different
    /// aggregates concurrently, which pays when handlers wait (on a database, a service):
    /// each aggregate's events still arrive in order, but an event on one aggregate may be
    /// handled before an earlier one on another, its cause included.
    pub const DEFAULT_WORKERS: usize = 1;
    /// Default queue capacity per worker.
    pub const DEFAULT_QUEUE_CAPACITY: usize = 1024;

    /// An asynchronous subscription with the default workers, queue and retry policy.
    pub fn asynchronous(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            strategy: Strategy::Asynchronous {
                workers: Self::DEFAULT_WORKERS,
                queue_capacity: Self::DEFAULT_QUEUE_CAPACITY,
            },
            retry: RetryPolicy::default(),
            idempotent: true,
        }
    }

    /// An immediate subscription: the handler runs inside `publish`.
    pub fn immediate(name: impl Into<String>) -> Self {
        Self {
            strategy: Strategy::Immediate,
            ..Self::asynchronous(name)
        }
    }

    /// A batch subscription.
    pub fn batch(name: impl Into<String>, max_size: usize, max_wait: Duration) -> Self {
        Self {
            strategy: Strategy::Batch {
                max_size: max_size.max(1),
                max_wait,
                queue_capacity: Self::DEFAULT_QUEUE_CAPACITY,
            },
            ..Self::asynchronous(name)
        }
    }

    /// The same options with `workers` workers and a queue of `queue_capacity` per worker (for
    /// a batch subscription, `queue_capacity` in all). With more than one worker, order holds
    /// per aggregate only (see [`DEFAULT_WORKERS`](Self::DEFAULT_WORKERS)).
    #[must_use]
    pub fn with_queue(mut self, workers: usize, queue_capacity: usize) -> Self {
        let queue_capacity = queue_capacity.max(1);
        self.strategy = match self.strategy {
            Strategy::Immediate => Strategy::Immediate,
            Strategy::Asynchronous { .. } => Strategy::Asynchronous {
                workers: workers.max(1),
                queue_capacity,
            },
            Strategy::Batch {
                max_size, max_wait, ..
            } => Strategy::Batch {
                max_size,
                max_wait,
                queue_capacity,
            },
        };
        self
    }

    /// The same options with this retry policy.
    #[must_use]
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The same options without duplicate detection.
    #[must_use]
    pub fn not_idempotent(mut self) -> Self {
        self.idempotent = false;
        self
    }
}

/// Why an event was not published.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The payload breaks a constraint of its catalog; nothing was published.
    #[error("refused to publish `{event_type}`: {source}")]
    Invalid {
        /// The eventType of the payload.
        event_type: &'static str,
        /// What is wrong, field by field.
        source: ValidationError,
    },
    /// The bus is shut down (or shutting down).
    #[error("the event bus is shut down; `{event_type}` {event_id} was not published")]
    Closed {
        /// The eventType.
        event_type: &'static str,
        /// The eventId.
        event_id: uuid::Uuid,
    },
    /// `try_publish` found a subscriber's queue full; nothing was published.
    #[error(
        "the queue of subscriber `{subscriber}` is full ({capacity} events); `{event_type}` was not published: retry later, or use `publish`, which waits"
    )]
    QueueFull {
        /// The subscriber whose queue is full.
        subscriber: String,
        /// Its capacity.
        capacity: usize,
        /// The eventType.
        event_type: &'static str,
    },
    /// An immediate subscriber failed; the event was published to everyone else.
    #[error("immediate subscriber `{subscriber}` failed on `{event_type}`: {source}")]
    Handler {
        /// The subscriber.
        subscriber: String,
        /// The eventType.
        event_type: &'static str,
        /// Its error.
        source: HandlerError,
    },
}

/// Why a subscription was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubscribeError {
    /// Subscriptions start workers: call `subscribe` inside a tokio runtime.
    #[error(
        "subscribing `{0}` needs a tokio runtime: call it from within one (for example in #[tokio::main])"
    )]
    NoRuntime(String),
    /// A group's instances must all use the same options.
    #[error(
        "subscriber `{name}` already exists with another {what}; every instance of a group uses the same options"
    )]
    OptionsMismatch {
        /// The subscriber's name.
        name: String,
        /// What differs: `strategy`, `retry policy` or `idempotency`.
        what: &'static str,
    },
    /// The bus is shut down.
    #[error("the event bus is shut down; `{0}` was not subscribed")]
    Closed(String),
}

/// Why a dead letter could not be reprocessed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReprocessError {
    /// No dead letter has this id.
    #[error("no dead letter with id {0}")]
    NotFound(u64),
    /// Its subscriber no longer exists on this bus.
    #[error("subscriber `{0}` of the dead letter is not subscribed to this bus")]
    NoSubscriber(String),
    /// The bus is shut down.
    #[error("the event bus is shut down")]
    Closed,
}

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

    /// Subscribes a batch handler (`options.strategy` must be [`Strategy::Batch`]; other
    /// strategies are read as a batch of one).
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
