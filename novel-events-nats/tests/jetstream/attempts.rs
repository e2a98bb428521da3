//! The handler of an event that keeps failing runs the retry policy's `max_attempts` times
//! at most, and its dead letter says `max_attempts`, even when the server delivers a message
//! again with its delivery count back at 1, or delivers again a message already settled
//! (nats-server 2.9 does, now and then, when a redelivery falls due as a pull request
//! expires: short pulls and quick retries make that frequent here). The same server also
//! counts, now and then, a delivery that never reached a client, so the handler may run
//! one time fewer than the letter's attempts; never more.

use novel_events::{DeadLetters as _, EventBus as _};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use novel_events::{HandlerError, RetryPolicy, SubscriptionOptions, handler_fn};
use uuid::Uuid;

use crate::support::{self, Env};

/// Attempts of each event.
const ATTEMPTS: u32 = 5;
/// Events that keep failing.
const EVENTS: usize = 12;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_event_runs_its_handler_max_attempts_times_and_its_letter_says_so() {
    let catalog = support::catalog();
    let options = novel_events_nats::BusOptions {
        poll: Duration::from_millis(10),
        ..support::options()
    };
    let bus = support::bus(&catalog, options).await;
    let mut alerts = support::threshold_alerts(&bus, EVENTS);
    let calls: Arc<Mutex<HashMap<Uuid, u32>>> = Arc::default();
    let counted = Arc::clone(&calls);
    bus.subscribe(
        SubscriptionOptions::asynchronous("ledger").with_retry(
            RetryPolicy::default()
                .with_max_attempts(ATTEMPTS)
                .with_delays(Duration::from_millis(10), Duration::from_millis(10)),
        ),
        handler_fn(move |envelope: Arc<Env>| {
            *counted
                .lock()
                .unwrap()
                .entry(envelope.event_id)
                .or_default() += 1;
            async {
                Err(HandlerError::retryable(
                    HandlerError::NETWORK_TIMEOUT,
                    "the ledger did not answer",
                ))
            }
        }),
    )
    .await
    .unwrap();
    let character = Uuid::new_v4();
    let events: Vec<Env> = (0..EVENTS)
        .map(|level| support::skill(character, i64::try_from(level).unwrap()))
        .collect();
    for event in &events {
        bus.publish(event.clone()).await.unwrap();
    }
    // The threshold hook fires once, at the last letter. One subscriber handles one event at a
    // time (publish order), five attempts each: on a loaded machine that takes a while, so the
    // bound is generous; it only ends a run that would otherwise hang.
    let _ = tokio::time::timeout(Duration::from_secs(240), alerts.recv()).await;
    // Long enough for any delivery the server still had in store.
    tokio::time::sleep(Duration::from_secs(1)).await;

    let letters = bus.dead_letters().list().await.unwrap();
    assert_eq!(letters.len(), EVENTS, "one letter per event");
    let calls = calls.lock().unwrap().clone();
    for event in &events {
        let called = calls.get(&event.event_id).copied().unwrap_or(0);
        assert!(
            (1..=ATTEMPTS).contains(&called),
            "the handler of event {} ran {called} times for {ATTEMPTS} attempts",
            event.event_id
        );
        let letter = letters
            .iter()
            .find(|letter| letter.event_id() == Some(event.event_id))
            .expect("a letter for each event");
        assert_eq!(letter.attempts, ATTEMPTS, "the letter's attempts");
    }
    support::clean_up(&bus, &catalog).await;
}
