//! Delivering pulled messages to a subscriber's handler: decode, skip duplicates, run the
//! handler while extending its ack deadline, then acknowledge, retry with a delayed nak, or
//! dead-letter and terminate.

use novel_events::bus::GiveUp;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::{AckKind, Message};
use chrono::{DateTime, Utc};
use futures_util::FutureExt;
use novel_events::{
    BatchHandler, Envelope, EventPayload, Handler, HandlerError, HandlerFuture, HandlerResult,
    RetryAction, RetryPolicy,
};
use tokio::sync::Semaphore;
use tracing::Instrument;

use crate::attempts::Attempts;
use crate::dead_letters::Failure;
use crate::decode::decode;
use crate::headers;
use crate::idempotency::Claim;
use crate::shared::Shared;

/// What a subscription instance runs.
pub(crate) enum Work<P> {
    /// A handler of one event at a time.
    One(Arc<dyn Handler<P>>),
    /// A handler of batches.
    Batch(Arc<dyn BatchHandler<P>>),
}

/// A subscription instance: its name, policy and handler.
pub(crate) struct Subscriber<P> {
    pub(crate) name: String,
    pub(crate) retry: RetryPolicy,
    pub(crate) idempotent: bool,
    pub(crate) work: Work<P>,
    /// Handlers running at once in this instance, across its lanes.
    pub(crate) workers: Semaphore,
}

/// A message ready for the handler.
struct Ready<P> {
    message: Message,
    envelope: Arc<Envelope<P>>,
    attempt: u32,
    sequence: u64,
    stream: String,
    claimed: bool,
}

/// Processes pulled messages (one, or a batch for a batch handler).
pub(crate) async fn process<P>(
    shared: &Shared<P>,
    subscriber: &Subscriber<P>,
    messages: Vec<Message>,
    attempts: &mut Attempts,
) where
    P: EventPayload + Send + Sync + 'static,
{
    let mut ready = Vec::with_capacity(messages.len());
    for message in messages {
        if let Some(admitted) = admit(shared, subscriber, message, attempts).await {
            ready.push(admitted);
        }
    }
    if ready.is_empty() {
        return;
    }
    let Ok(_permit) = subscriber.workers.acquire().await else {
        return;
    };
    match &subscriber.work {
        Work::One(handler) => {
            for item in ready {
                let span = tracing::info_span!(
                    "novel_events.handle",
                    subscriber = %subscriber.name,
                    attempt = item.attempt,
                    event_id = %item.envelope.event_id,
                    event_type = item.envelope.event_type(),
                    correlation_id = %item.envelope.correlation_id,
                    causation_id = %item.envelope.causation_id,
                    traceparent = headers::get(item.message.headers.as_ref(), headers::TRACEPARENT),
                );
                let outcome = run(shared, std::slice::from_ref(&item.message), || {
                    handler.handle_shared(&item.envelope)
                })
                .instrument(span)
                .await;
                conclude(shared, subscriber, outcome, vec![item], attempts).await;
            }
        }
        Work::Batch(handler) => {
            let envelopes: Vec<Arc<Envelope<P>>> = ready
                .iter()
                .map(|item| Arc::clone(&item.envelope))
                .collect();
            let messages: Vec<Message> = ready.iter().map(|item| item.message.clone()).collect();
            let outcome = run(shared, &messages, || handler.handle_batch(&envelopes)).await;
            drop(envelopes);
            conclude(shared, subscriber, outcome, ready, attempts).await;
        }
    }
}

/// Decodes a message and claims it; `None` if it was settled here (dead-lettered, not
/// wanted, a duplicate, or put back because the idempotency store is unreachable).
async fn admit<P>(
    shared: &Shared<P>,
    subscriber: &Subscriber<P>,
    message: Message,
    attempts: &mut Attempts,
) -> Option<Ready<P>>
where
    P: EventPayload + Send + Sync + 'static,
{
    let Ok(info) = message.info() else {
        // Not a JetStream delivery: nothing to acknowledge.
        return None;
    };
    let (sequence, stream) = (info.stream_sequence, info.stream.to_owned());
    if attempts.is_settled(sequence) {
        // The server delivered again a message settled here already (see `attempts`).
        tracing::debug!(subscriber = %subscriber.name, stream, sequence, "a copy of a settled message is terminated");
        settle(&message, AckKind::Term).await;
        return None;
    }
    // Not the server's count alone: it can go back to 1 for a message delivered before.
    let attempt = attempts.attempt(sequence, info.delivered);
    let envelope = match decode::<P>(
        shared.options.upcasters.as_ref(),
        &shared.options.limits,
        message.headers.as_ref(),
        &message.payload,
    ) {
        Ok(envelope) => Arc::new(envelope),
        Err(reason) => {
            let first = attempts.first_failed_at(sequence).unwrap_or_else(Utc::now);
            if give_up(
                shared,
                subscriber,
                &message,
                (&stream, sequence),
                attempt,
                (
                    format!("undecodable message: {reason}"),
                    "undecodable",
                    &GiveUp::Undecodable,
                ),
                first,
            )
            .await
            {
                attempts.settled(sequence);
            }
            return None;
        }
    };
    let wanted = match &subscriber.work {
        Work::One(handler) => handler.accepts(envelope.event_type(), envelope.event_version()),
        Work::Batch(handler) => handler.accepts(envelope.event_type(), envelope.event_version()),
    };
    if !wanted {
        settle(&message, AckKind::Ack).await;
        attempts.settled(sequence);
        shared.finished();
        return None;
    }
    let mut claimed = false;
    if subscriber.idempotent {
        let delivery = format!("{stream}:{sequence}");
        match shared
            .dedupe
            .claim(&subscriber.name, envelope.event_id, &delivery)
            .await
        {
            Ok(Claim::Fresh) => claimed = true,
            Ok(Claim::Resumed) => {
                tracing::info!(subscriber = %subscriber.name, event_id = %envelope.event_id, attempt, "an attempt left unfinished (its instance stopped) is taken over");
                claimed = true;
            }
            Ok(Claim::Duplicate) => {
                tracing::debug!(subscriber = %subscriber.name, event_id = %envelope.event_id, "duplicate skipped");
                count("novel_events_duplicates_total", &subscriber.name);
                settle(&message, AckKind::Ack).await;
                shared.finished();
                return None;
            }
            Ok(Claim::Busy) => {
                tracing::debug!(subscriber = %subscriber.name, event_id = %envelope.event_id, "another copy is being handled; later");
                settle(&message, AckKind::Nak(Some(subscriber.retry.base_delay))).await;
                return None;
            }
            Err(error) => {
                tracing::warn!(subscriber = %subscriber.name, %error, "idempotency store unavailable; the event is delivered again later");
                settle(&message, AckKind::Nak(Some(subscriber.retry.base_delay))).await;
                return None;
            }
        }
    }
    Some(Ready {
        message,
        envelope,
        attempt,
        sequence,
        stream,
        claimed,
    })
}

/// Calls a handler and runs its future, telling the server every third of the ack wait that
/// the messages are still being worked on; `None` if the shutdown deadline cut it short. A
/// panic, in the call as in the future, is the handler's error.
async fn run<'a, P>(
    shared: &Shared<P>,
    messages: &[Message],
    start: impl FnOnce() -> HandlerFuture<'a>,
) -> Option<HandlerResult> {
    let future = match std::panic::catch_unwind(AssertUnwindSafe(start)) {
        Ok(future) => future,
        Err(panic) => return Some(Err(panic_error(&*panic))),
    };
    let future = AssertUnwindSafe(future).catch_unwind();
    tokio::pin!(future);
    let every = (shared.options.ack_wait / 3).max(Duration::from_millis(100));
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    let mut deadline = shared.deadline.subscribe();
    loop {
        tokio::select! {
            result = &mut future => {
                return Some(result.unwrap_or_else(|panic| Err(panic_error(&*panic))));
            }
            _ = ticker.tick() => {
                for message in messages {
                    settle(message, AckKind::Progress).await;
                }
            }
            () = crate::shared::signalled(&mut deadline) => return None,
        }
    }
}

/// Acknowledges, retries or dead-letters what a handler was given.
async fn conclude<P>(
    shared: &Shared<P>,
    subscriber: &Subscriber<P>,
    outcome: Option<HandlerResult>,
    items: Vec<Ready<P>>,
    attempts: &mut Attempts,
) where
    P: EventPayload + Send + Sync + 'static,
{
    match outcome {
        None => {
            for item in items {
                release(shared, subscriber, &item).await;
                settle(&item.message, AckKind::Nak(None)).await;
            }
        }
        Some(Ok(())) => {
            for item in items {
                if item.claimed
                    && let Err(error) = shared
                        .dedupe
                        .handled(&subscriber.name, item.envelope.event_id)
                        .await
                {
                    tracing::warn!(subscriber = %subscriber.name, %error, "could not mark the event handled");
                }
                if let Err(error) = item.message.double_ack().await {
                    tracing::warn!(subscriber = %subscriber.name, event_id = %item.envelope.event_id, %error, "acknowledgement not confirmed; the event may be delivered again (and skipped as a duplicate)");
                }
                attempts.settled(item.sequence);
                count("novel_events_delivered_total", &subscriber.name);
                shared.finished();
            }
        }
        Some(Err(error)) => {
            let attempt = items.iter().map(|item| item.attempt).min().unwrap_or(1);
            let action = subscriber.retry.decide(attempt, &error);
            for item in items {
                release(shared, subscriber, &item).await;
                let first = attempts.failed(item.sequence, item.attempt);
                match action {
                    RetryAction::Retry(delay) => {
                        tracing::debug!(subscriber = %subscriber.name, attempt = item.attempt, ?delay, %error, "retrying later");
                        settle(&item.message, AckKind::Nak(Some(delay))).await;
                        count("novel_events_retried_total", &subscriber.name);
                    }
                    RetryAction::GiveUp => {
                        let reason = GiveUp::after(&subscriber.retry, attempt, &error).unwrap_or(
                            GiveUp::AttemptsExhausted {
                                max_attempts: attempt,
                            },
                        );
                        reason.observe(&subscriber.name);
                        let given_up = give_up(
                            shared,
                            subscriber,
                            &item.message,
                            (&item.stream, item.sequence),
                            item.attempt,
                            (error.to_string(), error.code(), &reason),
                            first,
                        )
                        .await;
                        if given_up {
                            attempts.settled(item.sequence);
                        }
                    }
                }
            }
        }
    }
}

/// Forgets a claim after a failure, so that a redelivery or a reprocessed letter is handled.
async fn release<P>(shared: &Shared<P>, subscriber: &Subscriber<P>, item: &Ready<P>) {
    if item.claimed
        && let Err(error) = shared
            .dedupe
            .release(&subscriber.name, item.envelope.event_id)
            .await
    {
        tracing::warn!(subscriber = %subscriber.name, %error, "could not release the claim; a redelivery may be skipped as a duplicate");
    }
}

/// Dead-letters a message and terminates it (`true`); if the letter cannot be written, the
/// message is put back (nothing is dropped) and the answer is `false`.
async fn give_up<P: EventPayload>(
    shared: &Shared<P>,
    subscriber: &Subscriber<P>,
    message: &Message,
    (stream, sequence): (&str, u64),
    attempts: u32,
    (error, code, reason): (String, &str, &GiveUp),
    first_failed_at: DateTime<Utc>,
) -> bool {
    tracing::warn!(subscriber = %subscriber.name, stream, sequence, attempts, code, %error, "dead-lettered");
    let recorded = shared
        .dead_letters
        .record(Failure {
            subscriber: &subscriber.name,
            raw: message.payload.clone(),
            headers: message.headers.as_ref(),
            subject: message.subject.as_str(),
            source_stream: stream,
            source_sequence: sequence,
            error,
            code: code.to_owned(),
            reason: reason.clone(),
            attempts,
            first_failed_at,
        })
        .await;
    match recorded {
        Ok(()) => {
            settle(message, AckKind::Term).await;
            count("novel_events_dead_lettered_total", &subscriber.name);
            shared.finished();
            true
        }
        Err(error) => {
            tracing::warn!(subscriber = %subscriber.name, %error, "could not write the dead letter; the event is delivered again later");
            settle(message, AckKind::Nak(Some(subscriber.retry.base_delay))).await;
            false
        }
    }
}

/// Sends an acknowledgement of this kind, logging a failure (the server delivers the message
/// again after its ack wait).
async fn settle(message: &Message, kind: AckKind) {
    if let Err(error) = message.ack_with(kind).await {
        tracing::debug!(%error, "acknowledgement not sent");
    }
}

/// Counts one event of `subscriber`.
fn count(name: &'static str, subscriber: &str) {
    metrics::counter!(name, "subscriber" => subscriber.to_owned()).increment(1);
}

/// A panic as a permanent error with code `panic`.
fn panic_error(panic: &(dyn std::any::Any + Send)) -> HandlerError {
    let text = panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a handler panicked".to_owned());
    HandlerError::permanent(format!("handler panicked: {text}")).with_code("panic")
}
