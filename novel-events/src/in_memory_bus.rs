//! The in-process [`EventBus`]: tokio channels, workers partitioned by aggregate, retries,
//! dead letters, idempotency, tracing and metrics.

use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::hash::{BuildHasherDefault, Hasher};
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use chrono::Utc;
use futures_util::FutureExt;
use metrics::{Counter, Gauge, Histogram};
use tokio::sync::{Notify, mpsc, watch};
use tracing::Instrument;

use crate::bus::{
    EventBus, PublishError, ReprocessError, ShutdownReport, Strategy, SubscribeError, Subscription,
    SubscriptionOptions,
};
use crate::dead_letter::{DeadLetter, DeadLetterQueue};
use crate::envelope::Envelope;
use crate::event::EventPayload;
use crate::handler::{BatchHandler, Handler, HandlerError, HandlerResult};
use crate::idempotency::{IdempotencyStore, InMemoryIdempotency};
use crate::retry::{RetryAction, RetryPolicy};

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
///     on::<CharacterDeleted, _, _>(move |event: Envelope<CharacterDeleted>| {
///         let tx = tx.clone();
///         async move {
///             tx.send(event.payload.character_id).ok();
///             HandlerResult::Ok(())
///         }
///     }),
/// )
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
/// Call [`shutdown`](EventBus::shutdown) before dropping the last handle: it drains the queues
/// and stops the workers, which otherwise keep waiting for events until the runtime ends.
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
    active_workers: AtomicUsize,
    workers_done: Notify,
    drained: AtomicUsize,
    shutdown_dead_letters: AtomicUsize,
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

/// A group and its instances, as `publish` sees them.
struct Route<P> {
    group: Arc<Group<P>>,
    instances: Box<[Instance<P>]>,
}

/// A queue one event goes into: in one group, the queue of the instance (and worker) chosen
/// for its aggregate.
struct Target<'a, P> {
    group: &'a Arc<Group<P>>,
    sender: &'a mpsc::Sender<Arc<Envelope<P>>>,
    capacity: usize,
    permit: Option<mpsc::Permit<'a, Arc<Envelope<P>>>>,
}

/// Where one event goes: its queues, up to four in place (no allocation per publish), more in
/// a `Vec`; and whether immediate subscribers want it too (they are found again when their
/// turn comes, see [`InMemoryBus::deliver_immediate`]).
struct Targets<'a, P> {
    inline: [Option<Target<'a, P>>; 4],
    more: Vec<Target<'a, P>>,
    immediate: bool,
}

impl<P> Default for Targets<'_, P> {
    fn default() -> Self {
        Self {
            inline: [None, None, None, None],
            more: Vec::new(),
            immediate: false,
        }
    }
}

impl<'a, P> Targets<'a, P> {
    fn push(&mut self, target: Target<'a, P>) {
        match self.inline.iter_mut().find(|slot| slot.is_none()) {
            Some(slot) => *slot = Some(target),
            None => self.more.push(target),
        }
    }

    fn iter_mut(&mut self) -> impl Iterator<Item = &mut Target<'a, P>> {
        self.inline.iter_mut().flatten().chain(self.more.iter_mut())
    }

    fn queued(&self) -> usize {
        self.inline.iter().flatten().count() + self.more.len()
    }
}

/// Whether an instance wants an eventType and version.
type Accepts = Arc<dyn Fn(&str, &str) -> bool + Send + Sync>;

enum Instance<P> {
    Immediate(Arc<dyn Handler<P>>),
    Queued {
        senders: Vec<mpsc::Sender<Arc<Envelope<P>>>>,
        accepts: Accepts,
        capacity: usize,
    },
}

impl<P> Clone for Instance<P> {
    fn clone(&self) -> Self {
        match self {
            Instance::Immediate(handler) => Instance::Immediate(Arc::clone(handler)),
            Instance::Queued {
                senders,
                accepts,
                capacity,
            } => Instance::Queued {
                senders: senders.clone(),
                accepts: Arc::clone(accepts),
                capacity: *capacity,
            },
        }
    }
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
        Self {
            inner: Arc::new(Inner {
                claims,
                groups: RwLock::new(Vec::new()),
                routing: RwLock::new(Arc::new([])),
                published: TypeTable::new(),
                dead_letters: DeadLetterQueue::default(),
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
            }),
        }
    }

    fn groups(&self) -> Vec<Arc<Group<P>>> {
        self.inner
            .groups
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The group named `name`, created with these options if new.
    fn group(&self, options: &SubscriptionOptions) -> Result<Arc<Group<P>>, SubscribeError> {
        let mut groups = self
            .inner
            .groups
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(group) = groups.iter().find(|group| *group.name == *options.name) {
            let differs = if group.strategy != options.strategy {
                Some("strategy")
            } else if group.retry != options.retry {
                Some("retry policy")
            } else if group.idempotent != options.idempotent {
                Some("idempotency")
            } else {
                None
            };
            if let Some(what) = differs {
                return Err(SubscribeError::OptionsMismatch {
                    name: options.name.clone(),
                    what,
                });
            }
            return Ok(Arc::clone(group));
        }
        let name: Arc<str> = options.name.as_str().into();
        let group = Arc::new(Group {
            name: Arc::clone(&name),
            strategy: options.strategy,
            retry: options.retry.clone(),
            idempotent: options.idempotent,
            depth: AtomicI64::new(0),
            instances: RwLock::new(Vec::new()),
            metrics: GroupMetrics::new(name),
        });
        groups.push(Arc::clone(&group));
        Ok(group)
    }

    fn check_open(&self, name: &str) -> Result<tokio::runtime::Handle, SubscribeError> {
        if self.inner.closed.load(Ordering::SeqCst) {
            return Err(SubscribeError::Closed(name.to_owned()));
        }
        tokio::runtime::Handle::try_current()
            .map_err(|_| SubscribeError::NoRuntime(name.to_owned()))
    }

    fn add_instance(&self, group: &Group<P>, instance: Instance<P>) -> Subscription {
        let groups = self
            .inner
            .groups
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let index = {
            let mut instances = group
                .instances
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            instances.push(instance);
            instances.len() - 1
        };
        self.rebuild_routing(&groups);
        Subscription {
            name: group.name.to_string(),
            instance: index,
        }
    }

    /// Publishes a new routing table from the groups' instances. Called with the `groups`
    /// lock held, so that two rebuilds cannot race.
    fn rebuild_routing(&self, groups: &[Arc<Group<P>>]) {
        let routing: Arc<[Route<P>]> = groups
            .iter()
            .map(|group| Route {
                group: Arc::clone(group),
                instances: group
                    .instances
                    .read()
                    .unwrap_or_else(PoisonError::into_inner)
                    .iter()
                    .cloned()
                    .collect(),
            })
            .filter(|route| !route.instances.is_empty())
            .collect();
        *self
            .inner
            .routing
            .write()
            .unwrap_or_else(PoisonError::into_inner) = routing;
    }

    fn routing(&self) -> Arc<[Route<P>]> {
        Arc::clone(
            &self
                .inner
                .routing
                .read()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    fn spawn_worker(
        &self,
        runtime: &tokio::runtime::Handle,
        work: impl Future<Output = ()> + Send + 'static,
    ) {
        self.inner.active_workers.fetch_add(1, Ordering::SeqCst);
        let inner = Arc::clone(&self.inner);
        runtime.spawn(async move {
            work.await;
            if inner.active_workers.fetch_sub(1, Ordering::SeqCst) == 1 {
                inner.workers_done.notify_waiters();
            }
        });
    }

    fn worker(&self, group: &Arc<Group<P>>) -> Worker<P> {
        Worker {
            inner: Arc::clone(&self.inner),
            group: Arc::clone(group),
            deadline: self.inner.deadline.subscribe(),
        }
    }

    /// Where an envelope goes: in each group that accepts it, the instance chosen by its
    /// aggregate (and, if queued, the worker).
    fn targets<'a>(routing: &'a [Route<P>], envelope: &Envelope<P>) -> Targets<'a, P> {
        let (event_type, event_version) = (envelope.event_type(), envelope.event_version());
        let key = envelope.aggregate_id;
        let mut targets = Targets::default();
        for route in routing {
            let instance = &route.instances[partition(key, route.instances.len())];
            match instance {
                Instance::Immediate(handler) => {
                    if handler.accepts(event_type, event_version) {
                        targets.immediate = true;
                    }
                }
                Instance::Queued {
                    senders,
                    accepts,
                    capacity,
                } => {
                    if accepts(event_type, event_version) {
                        targets.push(Target {
                            group: &route.group,
                            sender: &senders[partition(key, senders.len())],
                            capacity: *capacity,
                            permit: None,
                        });
                    }
                }
            }
        }
        targets
    }

    /// Refuses an envelope if the bus is closed or its payload breaks a catalog constraint;
    /// else the routes to deliver it on.
    fn admit(&self, envelope: &Envelope<P>) -> Result<Arc<[Route<P>]>, PublishError> {
        let event_type = envelope.event_type();
        let closed = || PublishError::Closed {
            event_type,
            event_id: envelope.event_id,
        };
        if self.inner.closed.load(Ordering::SeqCst) {
            return Err(closed());
        }
        envelope
            .payload
            .validate()
            .map_err(|source| PublishError::Invalid { event_type, source })?;
        let routing = self.routing();
        // `shutdown` sets `closed` before it empties the groups: still open now means the
        // routes were read before any group was emptied (on another thread, a shutdown could
        // otherwise leave this event with fewer routes, or none, and `Ok`).
        if self.inner.closed.load(Ordering::SeqCst) {
            return Err(closed());
        }
        Ok(routing)
    }

    /// `publish` and `try_publish` up to the first thing that needs waiting: sends the event
    /// into every queue if each has room (for `try_publish`, a full queue is its error), then
    /// returns [`Now::Immediate`] if immediate subscribers are still to handle it (see
    /// [`deliver_immediate`](Self::deliver_immediate)). Under `publish`, a full queue returns
    /// [`Now::Full`] with nothing sent (see [`deliver`](Self::deliver)).
    fn deliver_now(&self, envelope: &mut Option<Arc<Envelope<P>>>, wait: bool) -> Now<P> {
        let shared = envelope.as_ref().expect("not sent yet");
        let routing = match self.admit(shared) {
            Ok(routing) => routing,
            Err(error) => return Now::Done(Err(error)),
        };
        let mut targets = Self::targets(&routing, shared);
        // Room in every queue first, so that an event is queued everywhere or nowhere.
        let (mut closed, mut full) = (false, false);
        for target in targets.iter_mut() {
            match target.sender.try_reserve() {
                Ok(reserved) => target.permit = Some(reserved),
                Err(mpsc::error::TrySendError::Full(())) if wait => {
                    full = true;
                    break;
                }
                Err(mpsc::error::TrySendError::Full(())) => {
                    return Now::Done(Err(PublishError::QueueFull {
                        subscriber: target.group.name.to_string(),
                        capacity: target.capacity,
                        event_type: shared.event_type(),
                    }));
                }
                // The worker stopped reading at the shutdown deadline.
                Err(mpsc::error::TrySendError::Closed(())) => closed = true,
            }
        }
        if full {
            // The permits reserved so far go back with `targets`.
            drop(targets);
            return Now::Full(routing);
        }
        let envelope = envelope.take().expect("checked above");
        match Self::send_reserved(&self.inner, &mut targets, closed, envelope) {
            Ok(None) => Now::Done(Ok(())),
            Ok(Some(envelope)) => {
                drop(targets);
                Now::Immediate(routing, envelope)
            }
            Err(error) => Now::Done(Err(error)),
        }
    }

    /// Publishes an admitted envelope on `routing`, waiting for room in full queues, then for
    /// immediate subscribers: the path of `publish` when a queue was full.
    async fn deliver(
        &self,
        envelope: Arc<Envelope<P>>,
        routing: Arc<[Route<P>]>,
    ) -> Result<(), PublishError> {
        let mut targets = Self::targets(&routing, &envelope);
        // Room in every queue first, so that an event is queued everywhere or nowhere.
        let mut closed = false;
        for target in targets.iter_mut() {
            target.permit = target.sender.reserve().await.ok();
            // `None`: the worker stopped reading at the shutdown deadline.
            closed |= target.permit.is_none();
        }
        let envelope = Self::send_reserved(&self.inner, &mut targets, closed, envelope)?;
        drop(targets);
        match envelope {
            Some(envelope) => self.deliver_immediate(envelope, &routing).await,
            None => Ok(()),
        }
    }

    /// Hands an envelope, already queued for the asynchronous subscribers, to the immediate
    /// subscribers on `routing`, one after the other; the first error is returned.
    async fn deliver_immediate(
        &self,
        envelope: Arc<Envelope<P>>,
        routing: &[Route<P>],
    ) -> Result<(), PublishError> {
        let (event_type, event_version) = (envelope.event_type(), envelope.event_version());
        let recorder = recorder_id();
        let mut first_error = None;
        for route in routing {
            let instance =
                &route.instances[partition(envelope.aggregate_id, route.instances.len())];
            let Instance::Immediate(handler) = instance else {
                continue;
            };
            if !handler.accepts(event_type, event_version) {
                continue;
            }
            let group = &route.group;
            let metrics = group.metrics.for_type(event_type);
            if let (Err(error), _) = group
                .attempt(
                    &self.inner,
                    &**handler,
                    &envelope,
                    1,
                    &metrics,
                    recorder,
                    None,
                )
                .await
                && first_error.is_none()
            {
                first_error = Some(PublishError::Handler {
                    subscriber: group.name.to_string(),
                    event_type,
                    source: error,
                });
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Counts the event as published and sends it into every queue a permit was reserved in;
    /// or refuses it, if a queue closed (`closed`) or the shutdown deadline passed. Returns
    /// the envelope if immediate subscribers are still to handle it.
    fn send_reserved(
        inner: &Inner<P>,
        targets: &mut Targets<'_, P>,
        closed: bool,
        envelope: Arc<Envelope<P>>,
    ) -> Result<Option<Arc<Envelope<P>>>, PublishError> {
        let event_type = envelope.event_type();
        let event_id = envelope.event_id;
        let recorder = recorder_id();
        let immediate = targets.immediate;
        let mut queued = targets.queued();
        let mut shared = Some(envelope);
        let _gate = inner.gate.read().unwrap_or_else(PoisonError::into_inner);
        if closed || inner.deadline_passed.load(Ordering::SeqCst) {
            return Err(PublishError::Closed {
                event_type,
                event_id,
            });
        }
        inner
            .published
            .get(event_type, Cached::new)
            .get(recorder, || published_counter(event_type))
            .increment(1);
        for target in targets.iter_mut() {
            if let Some(permit) = target.permit.take() {
                let group = target.group;
                let depth = group.depth.fetch_add(1, Ordering::SeqCst) + 1;
                #[allow(clippy::cast_precision_loss)]
                group.metrics.depth(recorder).set(depth as f64);
                queued -= 1;
                // Without immediate subscribers, the last queue gets the publisher's own
                // reference: no count to change on an envelope a worker may be handling.
                let message = if queued == 0 && !immediate {
                    shared.take().expect("the publisher's reference")
                } else {
                    Arc::clone(shared.as_ref().expect("the publisher's reference"))
                };
                permit.send(message);
            }
        }
        Ok(shared.filter(|_| immediate))
    }
}

fn published_counter(event_type: &'static str) -> Counter {
    metrics::counter!("novel_events_published_total", "event_type" => event_type)
}

impl<P> EventBus<P> for InMemoryBus<P>
where
    P: EventPayload + Clone + Send + Sync + 'static,
{
    fn publish(
        &self,
        envelope: Envelope<P>,
    ) -> impl Future<Output = Result<(), PublishError>> + Send {
        Publishing::new(self, envelope, true)
    }

    fn try_publish(
        &self,
        envelope: Envelope<P>,
    ) -> impl Future<Output = Result<(), PublishError>> + Send {
        Publishing::new(self, envelope, false)
    }

    fn subscribe<H: Handler<P>>(
        &self,
        options: SubscriptionOptions,
        handler: H,
    ) -> Result<Subscription, SubscribeError> {
        let runtime = self.check_open(&options.name)?;
        let group = self.group(&options)?;
        let handler: Arc<dyn Handler<P>> = Arc::new(handler);
        match options.strategy {
            Strategy::Immediate => Ok(self.add_instance(&group, Instance::Immediate(handler))),
            Strategy::Asynchronous {
                workers,
                queue_capacity,
            } => {
                let mut senders = Vec::new();
                for _ in 0..workers.max(1) {
                    let (sender, receiver) = mpsc::channel(queue_capacity.max(1));
                    senders.push(sender);
                    let worker = self.worker(&group);
                    let handler = Arc::clone(&handler);
                    self.spawn_worker(&runtime, worker.run(handler, receiver));
                }
                let accepts_handler = Arc::clone(&handler);
                let accepts = Arc::new(move |event_type: &str, event_version: &str| {
                    accepts_handler.accepts(event_type, event_version)
                });
                Ok(self.add_instance(
                    &group,
                    Instance::Queued {
                        senders,
                        accepts,
                        capacity: queue_capacity.max(1),
                    },
                ))
            }
            Strategy::Batch { .. } => self.subscribe_batch(options, SingleAsBatch(handler)),
        }
    }

    fn subscribe_batch<H: BatchHandler<P>>(
        &self,
        options: SubscriptionOptions,
        handler: H,
    ) -> Result<Subscription, SubscribeError> {
        let runtime = self.check_open(&options.name)?;
        let (max_size, max_wait, queue_capacity) = match options.strategy {
            Strategy::Batch {
                max_size,
                max_wait,
                queue_capacity,
            } => (max_size.max(1), max_wait, queue_capacity.max(1)),
            Strategy::Asynchronous { queue_capacity, .. } => {
                (1, Duration::ZERO, queue_capacity.max(1))
            }
            Strategy::Immediate => (
                1,
                Duration::ZERO,
                SubscriptionOptions::DEFAULT_QUEUE_CAPACITY,
            ),
        };
        let options = SubscriptionOptions {
            strategy: Strategy::Batch {
                max_size,
                max_wait,
                queue_capacity,
            },
            ..options
        };
        let group = self.group(&options)?;
        let handler: Arc<dyn BatchHandler<P>> = Arc::new(handler);
        let (sender, receiver) = mpsc::channel(queue_capacity);
        let worker = self.worker(&group);
        self.spawn_worker(
            &runtime,
            worker.run_batches(Arc::clone(&handler), receiver, max_size, max_wait),
        );
        let accepts = Arc::new(move |event_type: &str, event_version: &str| {
            handler.accepts(event_type, event_version)
        });
        Ok(self.add_instance(
            &group,
            Instance::Queued {
                senders: vec![sender],
                accepts,
                capacity: queue_capacity,
            },
        ))
    }

    fn dead_letters(&self) -> &DeadLetterQueue<P> {
        &self.inner.dead_letters
    }

    async fn reprocess(&self, id: u64) -> Result<(), ReprocessError> {
        if self.inner.closed.load(Ordering::SeqCst) {
            return Err(ReprocessError::Closed);
        }
        let letter = self
            .inner
            .dead_letters
            .get(id)
            .ok_or(ReprocessError::NotFound(id))?;
        let group = self
            .groups()
            .into_iter()
            .find(|group| *group.name == *letter.subscriber)
            .ok_or_else(|| ReprocessError::NoSubscriber(letter.subscriber.clone()))?;
        let instance = {
            let instances = group
                .instances
                .read()
                .unwrap_or_else(PoisonError::into_inner);
            if instances.is_empty() {
                return Err(ReprocessError::NoSubscriber(letter.subscriber.clone()));
            }
            instances[partition(letter.envelope.aggregate_id, instances.len())].clone()
        };
        self.inner.dead_letters.discard(id);
        match instance {
            Instance::Immediate(handler) => {
                let worker = self.worker(&group);
                let metrics = group.metrics.for_type(letter.envelope.event_type());
                worker.process(&*handler, &letter.envelope, &metrics).await;
            }
            Instance::Queued { senders, .. } => {
                let sender = &senders[partition(letter.envelope.aggregate_id, senders.len())];
                let sent = match sender.reserve().await {
                    Ok(permit) => {
                        let _gate = self
                            .inner
                            .gate
                            .read()
                            .unwrap_or_else(PoisonError::into_inner);
                        if self.inner.deadline_passed.load(Ordering::SeqCst) {
                            false
                        } else {
                            let depth = group.depth.fetch_add(1, Ordering::SeqCst) + 1;
                            #[allow(clippy::cast_precision_loss)]
                            group.metrics.depth(recorder_id()).set(depth as f64);
                            permit.send(Arc::clone(&letter.envelope));
                            true
                        }
                    }
                    Err(_) => false,
                };
                if !sent {
                    self.inner.dead_letters.push(letter);
                    return Err(ReprocessError::Closed);
                }
            }
        }
        Ok(())
    }

    async fn shutdown(&self, deadline: Duration) -> ShutdownReport {
        self.inner.closed.store(true, Ordering::SeqCst);
        self.inner.draining.store(true, Ordering::SeqCst);
        // Dropping the senders lets each worker finish its queue and stop.
        {
            let groups = self
                .inner
                .groups
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            for group in groups.iter() {
                group
                    .instances
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clear();
            }
            self.rebuild_routing(&groups);
        }
        let all_stopped = async {
            loop {
                let notified = self.inner.workers_done.notified();
                if self.inner.active_workers.load(Ordering::SeqCst) == 0 {
                    return;
                }
                notified.await;
            }
        };
        if tokio::time::timeout(deadline, all_stopped).await.is_err() {
            // Past the deadline: workers dead-letter what they hold and stop.
            {
                let _gate = self
                    .inner
                    .gate
                    .write()
                    .unwrap_or_else(PoisonError::into_inner);
                self.inner.deadline_passed.store(true, Ordering::SeqCst);
                self.inner.deadline.send_replace(true);
            }
            loop {
                let notified = self.inner.workers_done.notified();
                if self.inner.active_workers.load(Ordering::SeqCst) == 0 {
                    break;
                }
                notified.await;
            }
        }
        ShutdownReport {
            drained: self.inner.drained.load(Ordering::SeqCst),
            dead_lettered: self.inner.shutdown_dead_letters.load(Ordering::SeqCst),
        }
    }
}

/// What [`InMemoryBus::deliver_now`] did.
enum Now<P> {
    /// Delivered, or refused.
    Done(Result<(), PublishError>),
    /// Admitted (open, valid) but not sent: a queue on these routes is full.
    Full(Arc<[Route<P>]>),
    /// Queued for the asynchronous subscribers; the immediate ones on these routes are next.
    Immediate(Arc<[Route<P>]>, Arc<Envelope<P>>),
}

/// The rest of a publish that had to wait.
type Waiting<'a> = Pin<Box<dyn Future<Output = Result<(), PublishError>> + Send + 'a>>;

/// The future of `publish` and `try_publish`. Small (the envelope goes into its `Arc` when
/// `publish` is called, so the future holds a pointer rather than a copy), and on its first
/// poll it delivers without an `async` state machine when it can (see
/// [`InMemoryBus::deliver_now`]); what needs waiting continues in a boxed future: a full
/// queue under `publish` in [`InMemoryBus::deliver`], immediate subscribers in
/// [`InMemoryBus::deliver_immediate`]. Like every future, it does nothing until polled.
struct Publishing<'a, P> {
    bus: &'a InMemoryBus<P>,
    /// `None` once sent (or handed to `waiting`).
    envelope: Option<Arc<Envelope<P>>>,
    wait: bool,
    waiting: Option<Waiting<'a>>,
}

impl<'a, P> Publishing<'a, P>
where
    P: EventPayload + Clone + Send + Sync + 'static,
{
    fn new(bus: &'a InMemoryBus<P>, envelope: Envelope<P>, wait: bool) -> Self {
        Self {
            bus,
            envelope: Some(Arc::new(envelope)),
            wait,
            waiting: None,
        }
    }
}

impl<P> Future for Publishing<'_, P>
where
    P: EventPayload + Clone + Send + Sync + 'static,
{
    type Output = Result<(), PublishError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if let Some(waiting) = &mut this.waiting {
            return waiting.as_mut().poll(cx);
        }
        // Neither waiting nor holding the envelope: it returned `Ready` already.
        let Some(envelope) = &this.envelope else {
            panic!("a publish future polled after it completed");
        };
        // `publish` takes its turn with the scheduler as `mpsc::Sender::send` does: a task
        // publishing in a loop yields now and then, even when no queue is ever full.
        if this.wait
            && std::pin::pin!(tokio::task::consume_budget())
                .poll(cx)
                .is_pending()
        {
            return Poll::Pending;
        }
        let span = publish_span(envelope);
        let bus = this.bus;
        let mut waiting: Waiting<'_> =
            match span.in_scope(|| bus.deliver_now(&mut this.envelope, this.wait)) {
                Now::Done(result) => {
                    this.envelope = None;
                    return Poll::Ready(result);
                }
                Now::Full(routing) => {
                    let envelope = this.envelope.take().expect("not sent");
                    Box::pin(bus.deliver(envelope, routing).instrument(span))
                }
                Now::Immediate(routing, envelope) => Box::pin(
                    async move { bus.deliver_immediate(envelope, &routing).await }.instrument(span),
                ),
            };
        let poll = waiting.as_mut().poll(cx);
        this.waiting = Some(waiting);
        poll
    }
}

fn publish_span<P: EventPayload>(envelope: &Envelope<P>) -> tracing::Span {
    tracing::info_span!(
        "novel_events.publish",
        event_id = %envelope.event_id,
        event_type = envelope.event_type(),
        event_version = envelope.event_version(),
        correlation_id = %envelope.correlation_id,
        causation_id = %envelope.causation_id,
    )
}

/// Which of `parts` instances (or workers) handles an aggregate's events: the same one for
/// every event of the aggregate while their number stays the same. Both halves of the id are
/// folded into 64 bits first (a `u128` remainder is a library call, several times slower).
fn partition(aggregate_id: uuid::Uuid, parts: usize) -> usize {
    let (high, low) = aggregate_id.as_u64_pair();
    #[allow(clippy::cast_possible_truncation)]
    let part = ((high ^ low) % parts as u64) as usize;
    part
}

/// Events an asynchronous worker takes before it brings the queue depth down (it also does
/// whenever its queue runs empty): the depth gauge may count up to this many events too many.
const DEPTH_BATCH: i64 = 32;

/// One handler as a batch handler of batches of one.
struct SingleAsBatch<P>(Arc<dyn Handler<P>>);

impl<P: Send + Sync + 'static> BatchHandler<P> for SingleAsBatch<P> {
    fn handle_batch<'a>(
        &'a self,
        batch: &'a [Arc<Envelope<P>>],
    ) -> crate::handler::HandlerFuture<'a> {
        Box::pin(async move {
            for envelope in batch {
                self.0.handle_shared(envelope).await?;
            }
            Ok(())
        })
    }

    fn accepts(&self, event_type: &str, event_version: &str) -> bool {
        self.0.accepts(event_type, event_version)
    }
}

struct Worker<P> {
    inner: Arc<Inner<P>>,
    group: Arc<Group<P>>,
    deadline: watch::Receiver<bool>,
}

/// How a worker finished with an event, or a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Handled, skipped as a duplicate, or dead-lettered for its own failure.
    Finished,
    /// Cut short by the shutdown deadline: dead-lettered with code `shutdown`.
    CutShort,
}

impl<P> Group<P>
where
    P: EventPayload + Clone + Send + Sync + 'static,
{
    /// Whether this (idempotent) subscriber already dealt with the event: handled it, or has
    /// it in the dead-letter queue. A duplicate of a dead letter is not delivered again (that
    /// would fail again into a second letter, or succeed while the first letter waits): the
    /// letter is what gets reprocessed.
    fn already_done(&self, inner: &Inner<P>, event_id: uuid::Uuid) -> bool {
        self.idempotent
            && (inner.idempotency.is_handled(&self.name, event_id)
                || inner.dead_letters.contains(&self.name, event_id))
    }

    /// One attempt: the handler's result, with a panic turned into a permanent error, and the
    /// instant its timing ended (`None` for a duplicate, which is not timed).
    ///
    /// The handler's duration is recorded from `started` when given (the instant the previous
    /// event's timing ended, for events handled back to back: one clock read per event instead
    /// of two), else from a clock read just before the handler is called.
    #[allow(clippy::too_many_arguments)]
    async fn attempt(
        &self,
        inner: &Inner<P>,
        handler: &dyn Handler<P>,
        envelope: &Arc<Envelope<P>>,
        attempt: u32,
        metrics: &TypeMetrics,
        recorder: usize,
        started: Option<Instant>,
    ) -> (HandlerResult, Option<Instant>) {
        // The dead-letter check first (no lock while the queue is empty), so that an id is
        // not claimed only to be released at once.
        let fresh = !self.idempotent
            || (!inner.dead_letters.contains(&self.name, envelope.event_id)
                && inner.idempotency.claim(&self.name, envelope.event_id));
        if !fresh {
            metrics.duplicates(recorder).increment(1);
            return (Ok(()), None);
        }
        // Releases the claim unless the handler succeeds, also if this future is dropped (the
        // shutdown deadline, a publisher giving up on an immediate delivery).
        let mut claim = Claimed {
            store: &*inner.idempotency,
            subscriber: &self.name,
            event_id: envelope.event_id,
            held: self.idempotent && inner.claims,
        };
        let span = tracing::info_span!(
            "novel_events.handle",
            subscriber = %self.name,
            attempt,
            event_id = %envelope.event_id,
            event_type = metrics.event_type,
            correlation_id = %envelope.correlation_id,
            causation_id = %envelope.causation_id,
        );
        let started = started.unwrap_or_else(Instant::now);
        // The handler's synchronous part (building its future) runs in the span too.
        let call = span.in_scope(|| {
            std::panic::catch_unwind(AssertUnwindSafe(|| handler.handle_shared(envelope)))
        });
        let result = match call {
            Ok(future) => AssertUnwindSafe(future)
                .catch_unwind()
                .instrument(span)
                .await
                .unwrap_or_else(|panic| Err(panic_error(&*panic))),
            Err(panic) => Err(panic_error(&*panic)),
        };
        let ended = Instant::now();
        metrics
            .duration(recorder)
            .record(ended.saturating_duration_since(started).as_secs_f64());
        match &result {
            Ok(()) => {
                if claim.held {
                    claim.held = false;
                } else if self.idempotent {
                    inner
                        .idempotency
                        .mark_handled(&self.name, envelope.event_id);
                }
                metrics.delivered(recorder).increment(1);
            }
            Err(error) => {
                metrics.failed(recorder).increment(1);
                tracing::debug!(subscriber = %self.name, event_id = %envelope.event_id, attempt, error = %error, "handler failed");
            }
        }
        (result, Some(ended))
    }
}

/// An eventId claimed in a store that [`claims`](IdempotencyStore::claims), released when
/// dropped while still `held`.
struct Claimed<'a> {
    store: &'a dyn IdempotencyStore,
    subscriber: &'a str,
    event_id: uuid::Uuid,
    held: bool,
}

impl Drop for Claimed<'_> {
    fn drop(&mut self) {
        if self.held {
            self.store.release(self.subscriber, self.event_id);
        }
    }
}

impl<P> Worker<P>
where
    P: EventPayload + Clone + Send + Sync + 'static,
{
    async fn wait_deadline(deadline: &mut watch::Receiver<bool>) {
        if deadline.wait_for(|passed| *passed).await.is_err() {
            std::future::pending::<()>().await;
        }
    }

    /// Waits for the shutdown deadline, on a receiver of its own: registers a waiter only once
    /// polled, which a handler that is ready at once never lets happen.
    async fn until_deadline(&self) {
        let mut deadline = self.deadline.clone();
        Self::wait_deadline(&mut deadline).await;
    }

    fn received(&self) {
        self.taken(1);
    }

    /// Takes `events` off the group's queue depth (and its gauge).
    fn taken(&self, events: i64) {
        let depth = self.group.depth.fetch_sub(events, Ordering::SeqCst) - events;
        #[allow(clippy::cast_precision_loss)]
        self.group
            .metrics
            .depth(recorder_id())
            .set(depth.max(0) as f64);
    }

    /// Counts `events` finished after the shutdown began (and before its deadline) as drained.
    /// Events cut short by the deadline are counted as shutdown dead letters instead, never
    /// as both.
    fn finished(&self, outcome: Outcome, events: usize) {
        if outcome == Outcome::Finished && self.inner.draining.load(Ordering::SeqCst) {
            self.inner.drained.fetch_add(events, Ordering::SeqCst);
        }
    }

    fn already_done(&self, event_id: uuid::Uuid) -> bool {
        self.group.already_done(&self.inner, event_id)
    }

    fn count_duplicate(&self, envelope: &Envelope<P>) {
        self.group
            .metrics
            .for_type(envelope.event_type())
            .duplicates(recorder_id())
            .increment(1);
    }

    /// The asynchronous strategy's loop: one event at a time, in queue order. While events
    /// are queued it takes them without waiting (nor registering a waiter on the deadline);
    /// `consume_budget` keeps the loop as cooperative as `recv` would. The queue depth is
    /// brought down every [`DEPTH_BATCH`] events taken and whenever the queue runs empty,
    /// rather than for each event (a write the publisher's thread would see bounce back).
    ///
    /// Events handled back to back are timed with one clock read each: the end of one
    /// handler's timing is the start of the next one's (see [`InMemoryBus`] on what the
    /// duration histogram measures). The chain starts again after the queue ran empty, after
    /// the worker yielded to the scheduler, after a duplicate and after a dead letter.
    async fn run(
        self,
        handler: Arc<dyn Handler<P>>,
        mut receiver: mpsc::Receiver<Arc<Envelope<P>>>,
    ) {
        let mut deadline = self.deadline.clone();
        let mut taken = 0;
        // When the previous event's timing ended, if this event follows it back to back.
        let mut previous_end: Option<Instant> = None;
        loop {
            let envelope = match receiver.try_recv() {
                Ok(envelope) => {
                    let mut budget = std::pin::pin!(tokio::task::consume_budget());
                    let exhausted = std::future::poll_fn(|cx| {
                        Poll::Ready(budget.as_mut().poll(cx).is_pending())
                    })
                    .await;
                    if exhausted {
                        // Yielding to the scheduler: other tasks run meanwhile, which is no
                        // part of the next handler's duration.
                        budget.await;
                        previous_end = None;
                    }
                    if self.inner.deadline_passed.load(Ordering::SeqCst) {
                        self.taken(taken + 1);
                        self.dead_letter_on_shutdown(&envelope, 0);
                        break;
                    }
                    envelope
                }
                Err(mpsc::error::TryRecvError::Disconnected) => {
                    self.taken(taken);
                    return;
                }
                Err(mpsc::error::TryRecvError::Empty) => {
                    if taken > 0 {
                        self.taken(std::mem::take(&mut taken));
                    }
                    previous_end = None;
                    tokio::select! {
                        biased;
                        () = Self::wait_deadline(&mut deadline) => break,
                        next = receiver.recv() => match next {
                            Some(envelope) => envelope,
                            None => return,
                        },
                    }
                }
            };
            taken += 1;
            if taken >= DEPTH_BATCH {
                self.taken(std::mem::take(&mut taken));
            }
            let recorder = recorder_id();
            let metrics = self.group.metrics.for_type(envelope.event_type());
            let (outcome, ended) = self
                .process_with(&*handler, &envelope, &metrics, recorder, previous_end)
                .await;
            previous_end = ended;
            self.finished(outcome, 1);
        }
        self.dead_letter_rest(&mut receiver);
    }

    /// The batch strategy's loop.
    async fn run_batches(
        self,
        handler: Arc<dyn BatchHandler<P>>,
        mut receiver: mpsc::Receiver<Arc<Envelope<P>>>,
        max_size: usize,
        max_wait: Duration,
    ) {
        let mut deadline = self.deadline.clone();
        'batches: loop {
            let first = tokio::select! {
                biased;
                () = Self::wait_deadline(&mut deadline) => break 'batches,
                next = receiver.recv() => match next {
                    Some(envelope) => envelope,
                    None => return,
                },
            };
            self.received();
            let mut batch = vec![first];
            let window = tokio::time::sleep(max_wait);
            tokio::pin!(window);
            while batch.len() < max_size {
                tokio::select! {
                    biased;
                    () = Self::wait_deadline(&mut deadline) => {
                        for envelope in batch {
                            self.dead_letter_on_shutdown(&envelope, 0);
                        }
                        break 'batches;
                    }
                    next = receiver.recv() => match next {
                        Some(envelope) => {
                            self.received();
                            batch.push(envelope);
                        }
                        None => break,
                    },
                    () = &mut window => break,
                }
            }
            let events = batch.len();
            let outcome = self.process_batch(&*handler, batch).await;
            self.finished(outcome, events);
        }
        self.dead_letter_rest(&mut receiver);
    }

    fn dead_letter_rest(&self, receiver: &mut mpsc::Receiver<Arc<Envelope<P>>>) {
        receiver.close();
        while let Ok(envelope) = receiver.try_recv() {
            self.received();
            self.dead_letter_on_shutdown(&envelope, 0);
        }
    }

    /// Dead-letters an event the deadline cut short, with code `shutdown`; a duplicate of an
    /// event this subscriber already handled or dead-lettered is dropped instead.
    fn dead_letter_on_shutdown(&self, envelope: &Arc<Envelope<P>>, attempts: u32) {
        if self.already_done(envelope.event_id) {
            self.count_duplicate(envelope);
            return;
        }
        self.inner
            .shutdown_dead_letters
            .fetch_add(1, Ordering::SeqCst);
        let error = HandlerError::retryable(
            "shutdown",
            "the bus shut down before this event was handled; reprocess it on a running bus",
        );
        self.dead_letter(envelope, &error, attempts, Utc::now());
    }

    fn dead_letter(
        &self,
        envelope: &Arc<Envelope<P>>,
        error: &HandlerError,
        attempts: u32,
        first_failed_at: chrono::DateTime<Utc>,
    ) {
        let event_type = envelope.event_type();
        self.group
            .metrics
            .for_type(event_type)
            .dead_lettered(recorder_id())
            .increment(1);
        tracing::warn!(
            subscriber = %self.group.name,
            event_id = %envelope.event_id,
            event_type,
            attempts,
            error = %error,
            "event dead-lettered"
        );
        self.inner.dead_letters.push(DeadLetter {
            id: 0,
            envelope: Arc::clone(envelope),
            subscriber: self.group.name.to_string(),
            error: error.to_string(),
            error_code: error.code().to_owned(),
            attempts,
            first_failed_at,
            last_failed_at: Utc::now(),
        });
        #[allow(clippy::cast_precision_loss)]
        metrics::gauge!("novel_events_dead_letters").set(self.inner.dead_letters.len() as f64);
    }

    /// Handles one event with retries; what cannot be handled is dead-lettered.
    async fn process(
        &self,
        handler: &dyn Handler<P>,
        envelope: &Arc<Envelope<P>>,
        metrics: &TypeMetrics,
    ) -> Outcome {
        self.process_with(handler, envelope, metrics, recorder_id(), None)
            .await
            .0
    }

    /// [`process`](Self::process), the first attempt timed from `started` if given (see
    /// [`Group::attempt`]); also returns when the timing of the attempt that succeeded ended,
    /// for the next event's timing to start from (`None` after a duplicate, a dead letter or
    /// the deadline: the work they did is no part of the next handler's duration).
    async fn process_with(
        &self,
        handler: &dyn Handler<P>,
        envelope: &Arc<Envelope<P>>,
        metrics: &TypeMetrics,
        mut recorder: usize,
        mut started: Option<Instant>,
    ) -> (Outcome, Option<Instant>) {
        let mut first_failed_at = None;
        let mut attempt = 1;
        loop {
            if self.inner.deadline_passed.load(Ordering::SeqCst) {
                self.dead_letter_on_shutdown(envelope, attempt);
                return (Outcome::CutShort, None);
            }
            let finished = {
                let call = self.group.attempt(
                    &self.inner,
                    handler,
                    envelope,
                    attempt,
                    metrics,
                    recorder,
                    started.take(),
                );
                tokio::pin!(call);
                // Polled once on its own first: most handlers are ready at once, and then the
                // deadline is never waited for (no waiter registered, no `select!`).
                let first = std::future::poll_fn(|cx| Poll::Ready(call.as_mut().poll(cx))).await;
                match first {
                    Poll::Ready(result) => Some(result),
                    Poll::Pending => tokio::select! {
                        biased;
                        result = &mut call => Some(result),
                        () = self.until_deadline() => None,
                    },
                }
                // The attempt dropped here releases its claim on the eventId, if any.
            };
            let Some((result, ended)) = finished else {
                // The handler was called: the interrupted attempt counts.
                self.dead_letter_on_shutdown(envelope, attempt);
                return (Outcome::CutShort, None);
            };
            let error = match result {
                Ok(()) => return (Outcome::Finished, ended),
                Err(error) => error,
            };
            let failed_at = *first_failed_at.get_or_insert_with(Utc::now);
            match self.group.retry.decide(attempt, &error) {
                RetryAction::Retry(wait) => {
                    metrics.retried(recorder).increment(1);
                    tokio::select! {
                        biased;
                        () = self.until_deadline() => {
                            self.dead_letter_on_shutdown(envelope, attempt);
                            return (Outcome::CutShort, None);
                        }
                        () = tokio::time::sleep(wait) => {}
                    }
                    attempt += 1;
                    recorder = recorder_id();
                }
                RetryAction::GiveUp => {
                    self.dead_letter(envelope, &error, attempt, failed_at);
                    return (Outcome::Finished, None);
                }
            }
        }
    }

    /// Handles a batch with retries; a batch that cannot be handled is dead-lettered whole.
    async fn process_batch(
        &self,
        handler: &dyn BatchHandler<P>,
        batch: Vec<Arc<Envelope<P>>>,
    ) -> Outcome {
        let batch: Vec<Arc<Envelope<P>>> = if self.group.idempotent {
            // Copies of one event within the batch count once, like copies across batches.
            let mut seen = std::collections::HashSet::new();
            batch
                .into_iter()
                .filter(|envelope| {
                    let fresh =
                        seen.insert(envelope.event_id) && !self.already_done(envelope.event_id);
                    if !fresh {
                        self.count_duplicate(envelope);
                    }
                    fresh
                })
                .collect()
        } else {
            batch
        };
        if batch.is_empty() {
            return Outcome::Finished;
        }
        let mut first_failed_at = None;
        let mut attempt = 1;
        let mut deadline = self.deadline.clone();
        loop {
            let started = Instant::now();
            let call = async {
                match std::panic::catch_unwind(AssertUnwindSafe(|| handler.handle_batch(&batch))) {
                    Ok(future) => AssertUnwindSafe(future)
                        .catch_unwind()
                        .await
                        .unwrap_or_else(|panic| Err(panic_error(&*panic))),
                    Err(panic) => Err(panic_error(&*panic)),
                }
            };
            // A batch handler that never returns must not hold the shutdown past its deadline.
            let result = tokio::select! {
                biased;
                () = Self::wait_deadline(&mut deadline) => {
                    for envelope in &batch {
                        self.dead_letter_on_shutdown(envelope, attempt);
                    }
                    return Outcome::CutShort;
                }
                result = call => result,
            };
            let recorder = recorder_id();
            self.group
                .metrics
                .batch_duration(recorder)
                .record(started.elapsed().as_secs_f64());
            let error = match result {
                Ok(()) => {
                    for envelope in &batch {
                        if self.group.idempotent {
                            self.inner
                                .idempotency
                                .mark_handled(&self.group.name, envelope.event_id);
                        }
                        self.group
                            .metrics
                            .for_type(envelope.event_type())
                            .delivered(recorder)
                            .increment(1);
                    }
                    return Outcome::Finished;
                }
                Err(error) => error,
            };
            for envelope in &batch {
                self.group
                    .metrics
                    .for_type(envelope.event_type())
                    .failed(recorder)
                    .increment(1);
            }
            let failed_at = *first_failed_at.get_or_insert_with(Utc::now);
            match self.group.retry.decide(attempt, &error) {
                RetryAction::Retry(wait) => {
                    for envelope in &batch {
                        self.group
                            .metrics
                            .for_type(envelope.event_type())
                            .retried(recorder)
                            .increment(1);
                    }
                    tokio::select! {
                        biased;
                        () = Self::wait_deadline(&mut deadline) => {
                            for envelope in &batch {
                                self.dead_letter_on_shutdown(envelope, attempt);
                            }
                            return Outcome::CutShort;
                        }
                        () = tokio::time::sleep(wait) => {}
                    }
                    attempt += 1;
                }
                RetryAction::GiveUp => {
                    for envelope in &batch {
                        self.dead_letter(envelope, &error, attempt, failed_at);
                    }
                    return Outcome::Finished;
                }
            }
        }
    }
}

fn panic_error(panic: &(dyn std::any::Any + Send)) -> HandlerError {
    let message = panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a non-string panic payload".to_owned());
    HandlerError::permanent(format!("the handler panicked: {message}")).with_code("panic")
}

// --- metric handles -------------------------------------------------------------------------

/// Identifies the metrics recorder in effect here (a thread's local recorder, else the global
/// one, else the no-op one) by its address.
fn recorder_id() -> usize {
    metrics::with_recorder(|recorder| std::ptr::from_ref(recorder).cast::<()>() as usize)
}

/// A metric handle registered once, with the recorder in effect at its first use, and reused
/// while that recorder is in effect. Under another recorder it is registered again at every
/// use (as the `metrics` macros do), so that no count goes to a recorder no longer in effect.
struct Cached<T>(OnceLock<(usize, T)>);

impl<T: Clone> Cached<T> {
    const fn new() -> Self {
        Self(OnceLock::new())
    }

    fn get(&self, recorder: usize, register: impl Fn() -> T) -> Cow<'_, T> {
        let (registered_with, handle) = self.0.get_or_init(|| (recorder, register()));
        if *registered_with == recorder {
            Cow::Borrowed(handle)
        } else {
            Cow::Owned(register())
        }
    }
}

impl<T: Clone> Default for Cached<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// An eventType's key in the caches: the address and length of the `&'static str`. Two
/// copies of one eventType at two addresses get two entries, which register the same metric.
type TypeKey = (usize, usize);

fn type_key(event_type: &'static str) -> TypeKey {
    (event_type.as_ptr() as usize, event_type.len())
}

/// Hashes a [`TypeKey`] (addresses, not chosen by anyone sending events) with a multiply.
#[derive(Default)]
struct TypeKeyHasher(u64);

impl Hasher for TypeKeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }
}

type TypeMap<V> = HashMap<TypeKey, V, BuildHasherDefault<TypeKeyHasher>>;

/// The metric handles of one subscriber and eventType, each registered at its first use (a
/// counter that never counted stays unregistered, as with the macros).
struct TypeMetrics {
    event_type: &'static str,
    subscriber: Arc<str>,
    delivered: Cached<Counter>,
    failed: Cached<Counter>,
    retried: Cached<Counter>,
    duplicates: Cached<Counter>,
    dead_lettered: Cached<Counter>,
    duration: Cached<Histogram>,
}

macro_rules! subscriber_counter {
    ($method:ident, $field:ident, $name:literal) => {
        fn $method(&self, recorder: usize) -> Cow<'_, Counter> {
            self.$field.get(recorder, || {
                metrics::counter!($name, "event_type" => self.event_type, "subscriber" => Arc::clone(&self.subscriber))
            })
        }
    };
}

impl TypeMetrics {
    fn new(event_type: &'static str, subscriber: Arc<str>) -> Self {
        Self {
            event_type,
            subscriber,
            delivered: Cached::new(),
            failed: Cached::new(),
            retried: Cached::new(),
            duplicates: Cached::new(),
            dead_lettered: Cached::new(),
            duration: Cached::new(),
        }
    }

    subscriber_counter!(delivered, delivered, "novel_events_delivered_total");
    subscriber_counter!(failed, failed, "novel_events_failed_total");
    subscriber_counter!(retried, retried, "novel_events_retried_total");
    subscriber_counter!(duplicates, duplicates, "novel_events_duplicates_total");
    subscriber_counter!(
        dead_lettered,
        dead_lettered,
        "novel_events_dead_lettered_total"
    );

    fn duration(&self, recorder: usize) -> Cow<'_, Histogram> {
        self.duration.get(recorder, || {
            metrics::histogram!("novel_events_handler_duration_seconds", "event_type" => self.event_type, "subscriber" => Arc::clone(&self.subscriber))
        })
    }
}

/// The metric handles of one subscriber (consumer group).
struct GroupMetrics {
    subscriber: Arc<str>,
    depth: Cached<Gauge>,
    batch_duration: Cached<Histogram>,
    types: TypeTable<TypeMetrics>,
}

impl GroupMetrics {
    fn new(subscriber: Arc<str>) -> Self {
        Self {
            subscriber,
            depth: Cached::new(),
            batch_duration: Cached::new(),
            types: TypeTable::new(),
        }
    }

    fn depth(&self, recorder: usize) -> Cow<'_, Gauge> {
        self.depth.get(recorder, || {
            metrics::gauge!("novel_events_queue_depth", "subscriber" => Arc::clone(&self.subscriber))
        })
    }

    fn batch_duration(&self, recorder: usize) -> Cow<'_, Histogram> {
        self.batch_duration.get(recorder, || {
            metrics::histogram!("novel_events_handler_duration_seconds", "event_type" => "batch", "subscriber" => Arc::clone(&self.subscriber))
        })
    }

    fn for_type(&self, event_type: &'static str) -> TypeRef<'_, TypeMetrics> {
        self.types.get(event_type, || {
            TypeMetrics::new(event_type, Arc::clone(&self.subscriber))
        })
    }
}

/// Values per eventType, read without a lock: the first eventTypes seen take slots of a small
/// open-addressing table (a slot, once set, never changes); the rest go to a map behind a lock.
struct TypeTable<V> {
    slots: Box<[OnceLock<(TypeKey, V)>]>,
    overflow: RwLock<TypeMap<Arc<V>>>,
}

/// A value of a [`TypeTable`].
enum TypeRef<'a, V> {
    Slot(&'a V),
    Overflow(Arc<V>),
}

impl<V> std::ops::Deref for TypeRef<'_, V> {
    type Target = V;

    fn deref(&self) -> &V {
        match self {
            TypeRef::Slot(value) => value,
            TypeRef::Overflow(value) => value,
        }
    }
}

impl<V> TypeTable<V> {
    const SLOTS: usize = 64;
    const PROBES: usize = 8;

    fn new() -> Self {
        Self {
            slots: (0..Self::SLOTS).map(|_| OnceLock::new()).collect(),
            overflow: RwLock::default(),
        }
    }

    fn get(&self, event_type: &'static str, make: impl Fn() -> V) -> TypeRef<'_, V> {
        let key = type_key(event_type);
        let mut hasher = TypeKeyHasher::default();
        hasher.write_usize(key.0);
        hasher.write_usize(key.1);
        #[allow(clippy::cast_possible_truncation)]
        let start = (hasher.finish() >> 32) as usize;
        for probe in 0..Self::PROBES {
            let slot = &self.slots[(start + probe) % Self::SLOTS];
            let (taken_by, value) = slot.get_or_init(|| (key, make()));
            if *taken_by == key {
                return TypeRef::Slot(value);
            }
        }
        if let Some(value) = self
            .overflow
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return TypeRef::Overflow(Arc::clone(value));
        }
        let mut overflow = self
            .overflow
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        TypeRef::Overflow(Arc::clone(
            overflow.entry(key).or_insert_with(|| Arc::new(make())),
        ))
    }
}
