//! Batches: filled by size or time, retried and dead-lettered whole.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use novel_events::DeadLetters;
use novel_events::EventBus as _;
use novel_events::novel_engine::AnyEvent;
use novel_events::{BatchHandler, HandlerError, SubscriptionOptions};
use tokio::time::Instant;
use uuid::Uuid;

use super::BusUnderTest;
use super::events::*;
use super::recorders::*;
use super::virtual_time::*;

type Batches = Arc<Mutex<Vec<(Duration, Vec<Uuid>)>>>;

fn batch_recorder(
    start: Instant,
    batches: &Batches,
    fail: Option<fn() -> HandlerError>,
) -> impl BatchHandler<AnyEvent> + use<> {
    let batches = Arc::clone(batches);
    BatchFn(move |batch: &[Arc<Env>]| {
        let ids = batch.iter().map(|envelope| envelope.event_id).collect();
        batches.lock().unwrap().push((Instant::now() - start, ids));
        fail.map_or(Ok(()), |error| Err(error()))
    })
}

/// A batch is delivered when it reaches `max_size`, or `max_wait` after its first event.
pub async fn batches_fill_by_size_or_by_time<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let start = Instant::now();
    let batches: Batches = Arc::default();
    bus.subscribe_batch(
        SubscriptionOptions::batch("search-indexer", 3, Duration::from_millis(100)),
        batch_recorder(start, &batches, None),
    )
    .await
    .unwrap();

    let character = Uuid::new_v4();
    let first: Vec<Env> = (0..7).map(|level| skill(character, level)).collect();
    for envelope in &first {
        bus.publish(envelope.clone()).await.unwrap();
    }
    eventually("seven events in batches", async || {
        batches
            .lock()
            .unwrap()
            .iter()
            .map(|(_, ids)| ids.len())
            .sum::<usize>()
            == 7
    })
    .await;
    tokio::time::sleep_until(start + Duration::from_secs(10)).await;
    let second: Vec<Env> = (7..9).map(|level| skill(character, level)).collect();
    for envelope in &second {
        bus.publish(envelope.clone()).await.unwrap();
    }
    settle(make).await;

    let batches = batches.lock().unwrap().clone();
    let ids = |events: &[Env]| events.iter().map(|e| e.event_id).collect::<Vec<_>>();
    assert_eq!(
        batches,
        [
            (Duration::ZERO, ids(&first[0..3])),
            (Duration::ZERO, ids(&first[3..6])),
            (Duration::from_millis(100), ids(&first[6..7])),
            (Duration::from_millis(10_100), ids(&second)),
        ],
        "two full batches at once, then what arrived within 100 ms of a batch's first event"
    );
    finish(make, &bus).await;
}

/// A failing batch is retried whole with the policy's backoff, then dead-lettered whole.
pub async fn a_failing_batch_is_retried_whole_then_dead_lettered_whole<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let start = Instant::now();
    let batches: Batches = Arc::default();
    bus.subscribe_batch(
        SubscriptionOptions::batch("warehouse-loader", 2, Duration::from_millis(50)),
        batch_recorder(
            start,
            &batches,
            Some(|| {
                HandlerError::retryable(HandlerError::TEMPORARY_FAILURE, "the warehouse is locked")
            }),
        ),
    )
    .await
    .unwrap();
    let character = Uuid::new_v4();
    let events = [skill(character, 1), skill(character, 2)];
    for envelope in &events {
        bus.publish(envelope.clone()).await.unwrap();
    }
    eventually("the batch is dead-lettered", async || {
        bus.dead_letters().count().await.unwrap() == 2
    })
    .await;
    settle(make).await;

    let ids: Vec<Uuid> = events.iter().map(|e| e.event_id).collect();
    let expected = [
        Duration::ZERO,
        Duration::from_secs(1),
        Duration::from_secs(3),
    ];
    let seen = batches.lock().unwrap().clone();
    if make.virtual_time() {
        assert_eq!(
            seen,
            expected.map(|at| (at, ids.clone())),
            "attempts at the backoff's instants"
        );
    } else {
        // On the real clock, the backoff is waited at least: each attempt comes no earlier
        // than its delay after the one before.
        assert_eq!(
            seen.iter().map(|(_, batch)| batch).collect::<Vec<_>>(),
            [&ids, &ids, &ids],
            "the whole batch, three times"
        );
        for (pair, delays) in seen.windows(2).zip(expected.windows(2)) {
            assert!(
                pair[1].0 - pair[0].0 >= delays[1] - delays[0],
                "a retry waited its backoff: {seen:?}"
            );
        }
    }
    let letters = bus.dead_letters().list().await.unwrap();
    assert_eq!(
        letters
            .iter()
            .map(|l| l.event_id().unwrap())
            .collect::<Vec<_>>(),
        ids
    );
    for letter in letters {
        assert_eq!(letter.subscriber, "warehouse-loader");
        assert_eq!(letter.error_code, "temporary-failure");
        assert_eq!(letter.attempts, 3);
    }
    finish(make, &bus).await;
}
