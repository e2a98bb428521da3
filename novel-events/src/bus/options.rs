//! How a subscription processes its events: its name, strategy, retries and idempotency.

use std::time::Duration;

use crate::bus::retry::RetryPolicy;

/// How a subscription processes its events (the three processing strategies of the Novel
/// Engine specification).
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
    /// it: the Novel Engine specification's "maintain causal ordering for related events" holds
    /// without the handler's help. Limits: several instances of one subscriber share the aggregates
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

    /// The largest number of workers of one subscription instance.
    pub const MAX_WORKERS: usize = 256;
    /// The largest queue capacity (per worker): a queue's memory grows with what it holds, and
    /// a larger one no longer bounds it.
    pub const MAX_QUEUE_CAPACITY: usize = 1 << 20;

    /// The same options with `workers` workers and a queue of `queue_capacity` per worker (for
    /// a batch subscription, `queue_capacity` in all). With more than one worker, order holds
    /// per aggregate only (see [`DEFAULT_WORKERS`](Self::DEFAULT_WORKERS)).
    ///
    /// Both must lie within 1 and [`MAX_WORKERS`](Self::MAX_WORKERS) or
    /// [`MAX_QUEUE_CAPACITY`](Self::MAX_QUEUE_CAPACITY): `subscribe` refuses other values
    /// ([`SubscribeError::InvalidOptions`](crate::SubscribeError::InvalidOptions), see
    /// [`validate`](Self::validate)).
    #[must_use]
    pub fn with_queue(mut self, workers: usize, queue_capacity: usize) -> Self {
        self.strategy = match self.strategy {
            Strategy::Immediate => Strategy::Immediate,
            Strategy::Asynchronous { .. } => Strategy::Asynchronous {
                workers,
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

    /// Checks that the numbers of these options are in range: workers from 1 to
    /// [`MAX_WORKERS`](Self::MAX_WORKERS), a queue capacity from 1 to
    /// [`MAX_QUEUE_CAPACITY`](Self::MAX_QUEUE_CAPACITY), a batch of at least 1 event, the retry
    /// policy's jitter from 0.0 to 1.0 (NaN is not). Every bus of this crate runs it in
    /// `subscribe`; the error says which option and its range.
    ///
    /// ```
    /// use novel_events::SubscriptionOptions;
    ///
    /// assert!(SubscriptionOptions::asynchronous("audit").with_queue(4, 4096).validate().is_ok());
    /// let error = SubscriptionOptions::asynchronous("audit")
    ///     .with_queue(1_000_000, 1)
    ///     .validate()
    ///     .unwrap_err();
    /// assert_eq!(error, "workers: 1000000 is out of range, expected 1 to 256");
    /// ```
    pub fn validate(&self) -> Result<(), String> {
        fn within(what: &str, value: usize, max: usize) -> Result<(), String> {
            if (1..=max).contains(&value) {
                Ok(())
            } else {
                Err(format!(
                    "{what}: {value} is out of range, expected 1 to {max}"
                ))
            }
        }
        let jitter = self.retry.jitter;
        if !(0.0..=1.0).contains(&jitter) {
            return Err(format!(
                "retry.jitter: {jitter} is out of range, expected 0.0 to 1.0"
            ));
        }
        match self.strategy {
            Strategy::Immediate => Ok(()),
            Strategy::Asynchronous {
                workers,
                queue_capacity,
            } => {
                within("workers", workers, Self::MAX_WORKERS)?;
                within("queue_capacity", queue_capacity, Self::MAX_QUEUE_CAPACITY)
            }
            Strategy::Batch {
                max_size,
                queue_capacity,
                ..
            } => {
                within("max_size", max_size, usize::MAX)?;
                within("queue_capacity", queue_capacity, Self::MAX_QUEUE_CAPACITY)
            }
        }
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
