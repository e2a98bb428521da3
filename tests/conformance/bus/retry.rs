//! Retries: the default exponential backoff, permanent and unlisted errors.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use novel_events::DeadLetters;
use novel_events::EventBus as _;
use novel_events::{HandlerError, SubscriptionOptions, handler_fn};
use tokio::time::Instant;
use uuid::Uuid;

use super::BusUnderTest;
use super::events::*;
use super::recorders::*;
use super::virtual_time::*;

/// A handler failing twice with `network-timeout`, then succeeding: with the default
/// policy, attempts at 0 s, 1 s and 3 s of virtual time, then no dead letter.
pub async fn retries_follow_the_default_exponential_backoff<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let attempts: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let handled = Log::default();
    let (times, done) = (Arc::clone(&attempts), handled.clone());
    bus.subscribe(
        SubscriptionOptions::asynchronous("memory-service"),
        handler_fn(move |envelope: Env| {
            let (times, done) = (Arc::clone(&times), done.clone());
            async move {
                let attempt = {
                    let mut times = times.lock().unwrap();
                    times.push(Instant::now());
                    times.len()
                };
                if attempt <= 2 {
                    return Err(HandlerError::retryable(
                        HandlerError::NETWORK_TIMEOUT,
                        "upstream is slow",
                    ));
                }
                done.push(envelope);
                Ok(())
            }
        }),
    )
    .await
    .unwrap();

    let start = Instant::now();
    let envelope = skill(Uuid::new_v4(), 1);
    bus.publish(envelope.clone()).await.unwrap();
    eventually("the third attempt succeeded", async || handled.len() == 1).await;
    settle(make).await;

    let offsets: Vec<Duration> = attempts
        .lock()
        .unwrap()
        .iter()
        .map(|at| *at - start)
        .collect();
    assert_eq!(
        offsets,
        [
            Duration::ZERO,
            Duration::from_secs(1),
            Duration::from_secs(3)
        ]
    );
    assert_eq!(handled.ids(), [envelope.event_id]);
    assert!(bus.dead_letters().count().await.unwrap() == 0);
    finish(make, &bus).await;
}

async fn failing_once_and_for_all<T: BusUnderTest>(
    make: &T,
    error: fn() -> HandlerError,
    code: &str,
    reason: &str,
) {
    let bus = make.make().await;
    let calls = Calls::default();
    let counted = calls.clone();
    bus.subscribe(
        SubscriptionOptions::asynchronous("story-engine"),
        handler_fn(move |envelope: Env| {
            let counted = counted.clone();
            async move {
                counted.call(envelope.event_id);
                Err(error())
            }
        }),
    )
    .await
    .unwrap();
    let envelope = skill(Uuid::new_v4(), 1);
    bus.publish(envelope.clone()).await.unwrap();
    eventually("the event is dead-lettered", async || {
        bus.dead_letters().count().await.unwrap() == 1
    })
    .await;
    settle(make).await;

    assert_eq!(calls.of(envelope.event_id), 1, "no retry");
    let letters = bus.dead_letters().list().await.unwrap();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].event_id().unwrap(), envelope.event_id);
    assert_eq!(letters[0].attempts, 1);
    assert_eq!(letters[0].error_code, code);
    assert_eq!(
        letters[0].reason, reason,
        "the letter says why it was not retried"
    );
    assert_eq!(letters[0].subscriber, "story-engine");
    finish(make, &bus).await;
}

/// A permanent error is dead-lettered after one attempt.
pub async fn permanent_errors_are_not_retried<T: BusUnderTest>(make: &T) {
    failing_once_and_for_all(
        make,
        || HandlerError::permanent("the prompt is malformed"),
        "permanent",
        "not retried: the error is permanent",
    )
    .await;
}

/// A retryable error whose code the policy does not list is not retried, and its letter says
/// so (the bus also warns once and counts `novel_events_unlisted_retryable_total`).
pub async fn unlisted_retryable_codes_are_not_retried<T: BusUnderTest>(make: &T) {
    failing_once_and_for_all(
        make,
        || HandlerError::retryable("disk-full", "no space left"),
        "disk-full",
        "not retried: the error is retryable, but its code `disk-full` is not in the retry \
         policy's retryable_errors (network-timeout, service-unavailable, temporary-failure)",
    )
    .await;
}
