//! The in-process [`EventBus`]: tokio channels, workers partitioned by aggregate, retries,
//! dead letters, idempotency, tracing and metrics.
//!
//! Contract: the [`EventBus`] contract (see [`crate::bus`]), within one process: queues and
//! dead letters live in memory, so what is still queued when the process dies is lost.
//!
//! - [`routing`]: the groups and instances an event goes to, by aggregate;
//! - [`publish`]: admission, the send into the queues and the future of `publish`;
//! - [`event_bus`]: the [`EventBus`] implementation (subscribe, shutdown);
//! - [`dead_letters`]: its [`DeadLetters`](crate::DeadLetters) (the queue, and reprocessing);
//! - [`worker`]: the workers that handle queued events, and dead-letter what fails;
//! - [`retries`]: the one retry loop of single and batch delivery;
//! - [`deadline`]: the shutdown deadline, as workers wait for it;
//! - [`metrics`]: the metric handles, cached per subscriber and eventType.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize};
use std::sync::{Arc, RwLock, Weak};

use ::metrics::Counter;
use tokio::sync::{Notify, watch};

use crate::bus::{DeadLetterQueue, IdempotencyStore, InMemoryIdempotency, RetryPolicy, Strategy};
use crate::codec::Limits;
use crate::event::EventPayload;

mod dead_letters;
mod deadline;
mod event_bus;
mod metrics;
mod publish;
mod retries;
mod routing;
mod worker;

pub use self::dead_letters::InMemoryDeadLetters;
use self::metrics::{Cached, GroupMetrics, TypeTable};
use self::routing::{Instance, Route};

/// An in-process event bus for the payload type `P` (a catalog's `AnyEvent`, or a
/// `#[derive(EventSet)]` enum). Cloning it gives another handle on the same bus.
///
/// ```
/// use novel_events::novel_engine::{AnyEvent, characters::CharacterDeleted};
/// use novel_events::{Envelope, EventBus, HandlerResult, InMemoryBus, SubscriptionOptions, on};
/// use std::time::Duration;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let bus = InMemoryBus::<AnyEvent>::new();
/// let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
/// bus.subscribe(
///     SubscriptionOptions::asynchronous("cleanup-service"),
///     on(move |event: Envelope<CharacterDeleted>| {
///         let tx = tx.clone();
///         async move {
///             tx.send(event.payload.character_id).ok();
///             HandlerResult::Ok(())
///         }
///     }),
/// )
/// .await
/// .unwrap();
///
/// let deleted = CharacterDeleted {
///     character_id: uuid::Uuid::new_v4(),
///     name: "Oren".into(),
///     deletion_reason: "retired".into(),
///     deleted_by: uuid::Uuid::new_v4(),
/// };
/// let id = deleted.character_id;
/// bus.publish(Envelope::new(deleted.into(), "character-service")).await.unwrap();
/// assert_eq!(rx.recv().await, Some(id));
/// bus.shutdown(Duration::from_secs(1)).await;
/// # }
/// ```
///
/// Call [`shutdown`](crate::EventBus::shutdown) before dropping the last handle: it drains the
/// queues and stops the workers, which otherwise keep waiting for events until the runtime
/// ends.
///
/// Metrics (through the `metrics` facade): `novel_events_published_total` per `event_type`;
/// `novel_events_delivered_total`, `_failed_total`, `_retried_total`, `_duplicates_total`,
/// `_dead_lettered_total` and the histogram `novel_events_handler_duration_seconds` per
/// `event_type` and `subscriber`; the gauges `novel_events_queue_depth` per `subscriber` and
/// `novel_events_dead_letters`. Their handles are registered once per subscriber and event
/// type, with the recorder in effect at their first use, and registered again on each use
/// under any other recorder. An asynchronous worker brings the queue depth down every 32
/// events it takes and whenever its queue runs empty, so the gauge may count up to 32 events
/// per worker that are already being handled.
///
/// What `novel_events_handler_duration_seconds` measures, per event (and per attempt):
/// - immediate strategy, retries, and an asynchronous worker's first event after its queue
///   ran empty (or after it yielded to the scheduler, or after a duplicate or a dead letter):
///   from a clock read just before the handler is called (after the duplicate check and the
///   span) to the end of its future, panics included;
/// - an asynchronous worker's other events, handled back to back from its queue: from the
///   end of the previous event's timing to the end of this handler's future (one clock read
///   per event, not two). Besides the handler, such a sample includes the worker's own work
///   between the two handlers: recording the previous event's outcome (its counters; its
///   eventId marked in the idempotency store, if the store does not
///   [`claim`](IdempotencyStore::claims)), dropping the worker's reference to the previous
///   envelope (freeing it, if no one else holds it: a few hundred nanoseconds for a Novel
///   Engine envelope), taking this event off the queue, the duplicate check (with the
///   in-memory store, claiming the eventId) and the span.
///   On a slow handler this is noise; for handlers of a microsecond or less it is a
///   noticeable part of the figure, so compare such durations with this in mind;
/// - the batch strategy: one sample per batch (`event_type` `batch`), from just before the
///   batch handler is called to the end of its future.
pub struct InMemoryBus<P> {
    inner: Arc<Inner<P>>,
}

impl<P> Clone for InMemoryBus<P> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

struct Inner<P> {
    groups: RwLock<Vec<Arc<Group<P>>>>,
    /// What `publish` reads: every group with its instances, rebuilt (under the `groups` lock)
    /// when an instance is added and when the bus shuts down.
    routing: RwLock<Arc<[Route<P>]>>,
    /// `novel_events_published_total` per eventType.
    published: TypeTable<Cached<Counter>>,
    dead_letters: DeadLetterQueue<P>,
    /// The same queue, with the way back to this bus that reprocessing needs.
    letters: InMemoryDeadLetters<P>,
    idempotency: Arc<dyn IdempotencyStore>,
    /// `idempotency.claims()`, asked once.
    claims: bool,
    closed: AtomicBool,
    draining: AtomicBool,
    deadline: watch::Sender<bool>,
    /// Set with `deadline` (under the `gate`), read where no waiting is needed.
    deadline_passed: AtomicBool,
    /// Held (shared) by `publish` and `reprocess` from their last check of the deadline to
    /// their sends, and (exclusive) by `shutdown` to pass the deadline: an event is queued
    /// before the workers dead-letter their queues, or refused; never sent into a queue
    /// nobody reads any more.
    gate: RwLock<()>,
    /// Running worker tasks and immediate deliveries under way: what `shutdown` waits for.
    active_workers: AtomicUsize,
    workers_done: Notify,
    drained: AtomicUsize,
    shutdown_dead_letters: AtomicUsize,
    /// What `publish` checks of every envelope ([`Envelope::check`](crate::Envelope::check)).
    limits: RwLock<Limits>,
}

struct Group<P> {
    name: Arc<str>,
    strategy: Strategy,
    retry: RetryPolicy,
    idempotent: bool,
    depth: AtomicI64,
    instances: RwLock<Vec<Instance<P>>>,
    metrics: GroupMetrics,
}

impl<P> Default for InMemoryBus<P>
where
    P: EventPayload + Clone + Send + Sync + 'static,
{
    fn default() -> Self {
        Self::new()
    }
}

impl<P> InMemoryBus<P>
where
    P: EventPayload + Clone + Send + Sync + 'static,
{
    /// A bus remembering the last [`InMemoryIdempotency::DEFAULT_WINDOW`] eventIds per
    /// subscriber.
    pub fn new() -> Self {
        Self::with_idempotency(InMemoryIdempotency::default())
    }

    /// A bus with its own idempotency store (a persistent one, or another window).
    pub fn with_idempotency(store: impl IdempotencyStore) -> Self {
        let (deadline, _) = watch::channel(false);
        let claims = store.claims();
        let dead_letters = DeadLetterQueue::default();
        Self {
            inner: Arc::new_cyclic(|bus: &Weak<Inner<P>>| Inner {
                claims,
                letters: InMemoryDeadLetters::new(dead_letters.clone(), bus.clone()),
                groups: RwLock::new(Vec::new()),
                routing: RwLock::new(Arc::new([])),
                published: TypeTable::new(),
                dead_letters,
                idempotency: Arc::new(store),
                closed: AtomicBool::new(false),
                draining: AtomicBool::new(false),
                deadline,
                deadline_passed: AtomicBool::new(false),
                gate: RwLock::new(()),
                active_workers: AtomicUsize::new(0),
                workers_done: Notify::new(),
                drained: AtomicUsize::new(0),
                shutdown_dead_letters: AtomicUsize::new(0),
                limits: RwLock::new(Limits::default()),
            }),
        }
    }

    /// The same bus with other [`Limits`] on the envelopes it accepts (default:
    /// `Limits::default()`, 1 MiB per envelope). They apply to every handle of this bus from
    /// the next `publish` on; an envelope over them is refused with
    /// [`PublishError::Invalid`](crate::PublishError::Invalid), naming the limit.
    ///
    /// ```
    /// use novel_events::novel_engine::{AnyEvent, characters::CharacterDeleted};
    /// use novel_events::{Envelope, EventBus, InMemoryBus, Limits, PublishError};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let limits = Limits::default().with_max_string_bytes(1024)?;
    /// let bus = InMemoryBus::<AnyEvent>::new().with_limits(limits);
    /// let deleted = CharacterDeleted {
    ///     character_id: uuid::Uuid::nil(),
    ///     name: "x".repeat(2000),
    ///     deletion_reason: "retired".into(),
    ///     deleted_by: uuid::Uuid::nil(),
    /// };
    /// let error = bus.publish(Envelope::new(deleted.into(), "desk")).await.unwrap_err();
    /// assert!(matches!(error, PublishError::Invalid { .. }));
    /// assert!(error.to_string().contains("max_string_bytes"));
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn with_limits(self, limits: Limits) -> Self {
        *self
            .inner
            .limits
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = limits;
        self
    }

    /// The limits this bus checks envelopes against.
    pub fn limits(&self) -> Limits {
        *self
            .inner
            .limits
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
