//! The publish path: admission, the send into every queue, the future of `publish` (no
//! `async` state machine when nothing needs waiting), and immediate subscribers.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};
use std::task::{Context, Poll};

use metrics::Counter;
use tokio::sync::mpsc;
use tracing::Instrument;

use crate::bus::{Handler, HandlerError, PublishError};
use crate::envelope::Envelope;
use crate::event::EventPayload;

use super::metrics::{Cached, recorder_id};
use super::routing::{Instance, Route, Targets, partition};
use super::worker::Outcome;
use super::{InMemoryBus, Inner};

impl<P> InMemoryBus<P>
where
    P: EventPayload + Clone + Send + Sync + 'static,
{
    /// Refuses an envelope if the bus is closed, or the envelope is over the bus's limits or
    /// its payload breaks a catalog constraint ([`Envelope::check`]); else the routes to
    /// deliver it on.
    pub(super) fn admit(&self, envelope: &Envelope<P>) -> Result<Arc<[Route<P>]>, PublishError> {
        let event_type = envelope.event_type();
        let closed = || PublishError::Closed {
            event_type,
            event_id: envelope.event_id,
        };
        if self.inner.closed.load(Ordering::SeqCst) {
            return Err(closed());
        }
        envelope
            .check(&self.limits())
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
    pub(super) fn deliver_now(
        &self,
        envelope: &mut Option<Arc<Envelope<P>>>,
        wait: bool,
    ) -> Now<P> {
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
    pub(super) async fn deliver(
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
    pub(super) async fn deliver_immediate(
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
            // Counted with the workers, so that `shutdown` waits for this call until its
            // deadline; past it, the call is dropped and the event dead-lettered.
            let _delivering = Delivering::start(&self.inner);
            let worker = self.worker(group);
            let attempt = group.attempt(
                &self.inner,
                &**handler,
                &envelope,
                1,
                &metrics,
                recorder,
                None,
            );
            let result = tokio::select! {
                biased;
                (result, _) = attempt => {
                    worker.finished(Outcome::Finished, 1);
                    result
                }
                () = worker.until_deadline() => {
                    worker.dead_letter_on_shutdown(&envelope, 1);
                    Err(HandlerError::retryable(
                        "shutdown",
                        "the bus shut down while this immediate subscriber was handling the \
                         event; it is in the dead-letter queue",
                    ))
                }
            };
            if let Err(error) = result
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
    pub(super) fn send_reserved(
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

pub(super) fn published_counter(event_type: &'static str) -> Counter {
    metrics::counter!("novel_events_published_total", "event_type" => event_type)
}

/// What [`InMemoryBus::deliver_now`] did.
pub(super) enum Now<P> {
    /// Delivered, or refused.
    Done(Result<(), PublishError>),
    /// Admitted (open, valid) but not sent: a queue on these routes is full.
    Full(Arc<[Route<P>]>),
    /// Queued for the asynchronous subscribers; the immediate ones on these routes are next.
    Immediate(Arc<[Route<P>]>, Arc<Envelope<P>>),
}

/// The rest of a publish that had to wait.
pub(super) type Waiting<'a> = Pin<Box<dyn Future<Output = Result<(), PublishError>> + Send + 'a>>;

/// The future of `publish` and `try_publish`. Small (the envelope goes into its `Arc` when
/// `publish` is called, so the future holds a pointer rather than a copy), and on its first
/// poll it delivers without an `async` state machine when it can (see
/// [`InMemoryBus::deliver_now`]); what needs waiting continues in a boxed future: a full
/// queue under `publish` in [`InMemoryBus::deliver`], immediate subscribers in
/// [`InMemoryBus::deliver_immediate`]. Like every future, it does nothing until polled.
pub(super) struct Publishing<'a, P> {
    pub(super) bus: &'a InMemoryBus<P>,
    /// `None` once sent (or handed to `waiting`).
    pub(super) envelope: Option<Arc<Envelope<P>>>,
    pub(super) wait: bool,
    pub(super) waiting: Option<Waiting<'a>>,
}

impl<'a, P> Publishing<'a, P>
where
    P: EventPayload + Clone + Send + Sync + 'static,
{
    pub(super) fn new(bus: &'a InMemoryBus<P>, envelope: Envelope<P>, wait: bool) -> Self {
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

pub(super) fn publish_span<P: EventPayload>(envelope: &Envelope<P>) -> tracing::Span {
    tracing::info_span!(
        "novel_events.publish",
        event_id = %envelope.event_id,
        event_type = envelope.event_type(),
        event_version = envelope.event_version(),
        correlation_id = %envelope.correlation_id,
        causation_id = %envelope.causation_id,
    )
}

/// An immediate delivery under way, counted in `active_workers` like a worker until dropped.
struct Delivering<'a, P> {
    inner: &'a Inner<P>,
}

impl<'a, P> Delivering<'a, P> {
    fn start(inner: &'a Inner<P>) -> Self {
        inner.active_workers.fetch_add(1, Ordering::SeqCst);
        Self { inner }
    }
}

impl<P> Drop for Delivering<'_, P> {
    fn drop(&mut self) {
        if self.inner.active_workers.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.inner.workers_done.notify_waiters();
        }
    }
}
