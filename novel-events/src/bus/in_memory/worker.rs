//! The workers of asynchronous and batch subscriptions: take events off their queue, skip
//! duplicates, handle with retries, and dead-letter what fails or what the shutdown cuts short.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::sync::{mpsc, watch};

use crate::bus::{
    BatchHandler, DeadLetter, DeadMessage, GiveUp, Handler, HandlerError, HandlerResult,
    IdempotencyStore,
};
use crate::envelope::Envelope;
use crate::event::EventPayload;
use crate::panic::{Panicked, catch_call};

use super::deadline::deadline_passed;
use super::metrics::{TypeMetrics, recorder_id};
use super::retries::Attempt;
use super::{Group, Inner};

/// Events an asynchronous worker takes before it brings the queue depth down (it also does
/// whenever its queue runs empty): the depth gauge may count up to this many events too many.
pub(super) const DEPTH_BATCH: i64 = 32;

/// One handler as a batch handler of batches of one.
pub(super) struct SingleAsBatch<P>(pub(super) Arc<dyn Handler<P>>);

impl<P: Send + Sync + 'static> BatchHandler<P> for SingleAsBatch<P> {
    fn handle_batch<'a>(&'a self, batch: &'a [Arc<Envelope<P>>]) -> crate::bus::HandlerFuture<'a> {
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

pub(super) struct Worker<P> {
    pub(super) inner: Arc<Inner<P>>,
    pub(super) group: Arc<Group<P>>,
    pub(super) deadline: watch::Receiver<bool>,
}

/// How a worker finished with an event, or a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
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
    pub(super) fn already_done(&self, inner: &Inner<P>, event_id: uuid::Uuid) -> bool {
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
    pub(super) async fn attempt(
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
        let result = catch_call(|| handler.handle_shared(envelope), Some(span))
            .await
            .unwrap_or_else(|panic| Err(panic_error(&panic)));
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
pub(super) struct Claimed<'a> {
    pub(super) store: &'a dyn IdempotencyStore,
    pub(super) subscriber: &'a str,
    pub(super) event_id: uuid::Uuid,
    pub(super) held: bool,
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
    pub(super) fn received(&self) {
        self.taken(1);
    }

    /// Takes `events` off the group's queue depth (and its gauge).
    pub(super) fn taken(&self, events: i64) {
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
    pub(super) fn finished(&self, outcome: Outcome, events: usize) {
        if outcome == Outcome::Finished && self.inner.draining.load(Ordering::SeqCst) {
            self.inner.drained.fetch_add(events, Ordering::SeqCst);
        }
    }

    pub(super) fn already_done(&self, event_id: uuid::Uuid) -> bool {
        self.group.already_done(&self.inner, event_id)
    }

    pub(super) fn count_duplicate(&self, envelope: &Envelope<P>) {
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
    pub(super) async fn run(
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
                        () = deadline_passed(&mut deadline) => break,
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
    pub(super) async fn run_batches(
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
                () = deadline_passed(&mut deadline) => break 'batches,
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
                    () = deadline_passed(&mut deadline) => {
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

    pub(super) fn dead_letter_rest(&self, receiver: &mut mpsc::Receiver<Arc<Envelope<P>>>) {
        receiver.close();
        while let Ok(envelope) = receiver.try_recv() {
            self.received();
            self.dead_letter_on_shutdown(&envelope, 0);
        }
    }

    /// Dead-letters an event the deadline cut short, with code `shutdown`; a duplicate of an
    /// event this subscriber already handled or dead-lettered is dropped instead.
    pub(super) fn dead_letter_on_shutdown(&self, envelope: &Arc<Envelope<P>>, attempts: u32) {
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
        self.dead_letter(envelope, &error, &GiveUp::Shutdown, attempts, Utc::now());
    }

    pub(super) fn dead_letter(
        &self,
        envelope: &Arc<Envelope<P>>,
        error: &HandlerError,
        reason: &GiveUp,
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
            message: DeadMessage::Event(Arc::clone(envelope)),
            subscriber: self.group.name.to_string(),
            error: error.to_string(),
            error_code: error.code().to_owned(),
            reason: reason.to_string(),
            attempts,
            first_failed_at,
            last_failed_at: Utc::now(),
        });
        #[allow(clippy::cast_precision_loss)]
        metrics::gauge!("novel_events_dead_letters").set(self.inner.dead_letters.len() as f64);
    }

    /// Handles one event with retries; what cannot be handled is dead-lettered.
    pub(super) async fn process(
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
    pub(super) async fn process_with(
        &self,
        handler: &dyn Handler<P>,
        envelope: &Arc<Envelope<P>>,
        metrics: &TypeMetrics,
        recorder: usize,
        mut started: Option<Instant>,
    ) -> (Outcome, Option<Instant>) {
        // The recorder of the attempt under way: the caller's for the first, read again for
        // each retry.
        let recorder = AtomicUsize::new(recorder);
        let delivered = self
            .with_retries(
                std::slice::from_ref(envelope),
                |attempt| {
                    if attempt > 1 {
                        recorder.store(recorder_id(), Ordering::Relaxed);
                    }
                    let (recorder, started) = (recorder.load(Ordering::Relaxed), started.take());
                    async move {
                        if self.inner.deadline_passed.load(Ordering::SeqCst) {
                            return Attempt::CutShort;
                        }
                        let call = self.group.attempt(
                            &self.inner,
                            handler,
                            envelope,
                            attempt,
                            metrics,
                            recorder,
                            started,
                        );
                        tokio::pin!(call);
                        // Polled once on its own first: most handlers are ready at once, and
                        // then the deadline is never waited for (no waiter registered, no
                        // `select!`).
                        let first =
                            std::future::poll_fn(|cx| Poll::Ready(call.as_mut().poll(cx))).await;
                        let finished = match first {
                            Poll::Ready(result) => Some(result),
                            Poll::Pending => tokio::select! {
                                biased;
                                result = &mut call => Some(result),
                                () = self.until_deadline() => None,
                            },
                        };
                        // The attempt, dropped here, releases its claim on the eventId, if any.
                        match finished {
                            Some((Ok(()), ended)) => Attempt::Done(ended),
                            Some((Err(error), _)) => Attempt::Failed(error),
                            // The handler was called: the interrupted attempt counts.
                            None => Attempt::CutShort,
                        }
                    }
                },
                |_| {
                    metrics
                        .retried(recorder.load(Ordering::Relaxed))
                        .increment(1);
                },
            )
            .await;
        match delivered {
            Ok(ended) => (Outcome::Finished, ended),
            Err(outcome) => (outcome, None),
        }
    }

    /// Handles a batch with retries; a batch that cannot be handled is dead-lettered whole.
    pub(super) async fn process_batch(
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
        let batch = &batch[..];
        let delivered = self
            .with_retries(
                batch,
                |_| async move {
                    let started = Instant::now();
                    let call = catch_call(|| handler.handle_batch(batch), None);
                    // A batch handler that never returns must not hold the shutdown past its
                    // deadline.
                    let result = tokio::select! {
                        biased;
                        () = self.until_deadline() => return Attempt::CutShort,
                        result = call => result.unwrap_or_else(|panic| Err(panic_error(&panic))),
                    };
                    let recorder = recorder_id();
                    self.group
                        .metrics
                        .batch_duration(recorder)
                        .record(started.elapsed().as_secs_f64());
                    match result {
                        Ok(()) => Attempt::Done(recorder),
                        Err(error) => {
                            for envelope in batch {
                                self.group
                                    .metrics
                                    .for_type(envelope.event_type())
                                    .failed(recorder)
                                    .increment(1);
                            }
                            Attempt::Failed(error)
                        }
                    }
                },
                |_| {
                    let recorder = recorder_id();
                    for envelope in batch {
                        self.group
                            .metrics
                            .for_type(envelope.event_type())
                            .retried(recorder)
                            .increment(1);
                    }
                },
            )
            .await;
        match delivered {
            Ok(recorder) => {
                for envelope in batch {
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
                Outcome::Finished
            }
            Err(outcome) => outcome,
        }
    }
}

/// The error of a handler that panicked.
pub(super) fn panic_error(panic: &Panicked) -> HandlerError {
    let message = panic
        .message()
        .unwrap_or_else(|| "a non-string panic payload".to_owned());
    HandlerError::permanent(format!("the handler panicked: {message}")).with_code("panic")
}

// --- metric handles -------------------------------------------------------------------------
