//! Dead letters: listing, inspection, discarding, reprocessing, the threshold hook.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use novel_events::DeadLetters;
use novel_events::EventBus as _;
use novel_events::{HandlerError, ReprocessError, RetryPolicy, SubscriptionOptions, handler_fn};
use uuid::Uuid;

use super::BusUnderTest;
use super::events::*;
use super::recorders::*;
use super::virtual_time::*;

/// After the retries, a dead letter says who failed, how, how often and when; it can be
/// listed, fetched, discarded, and reprocessed once the handler is fixed.
pub async fn dead_letters_are_listed_inspected_discarded_and_reprocessed<T: BusUnderTest>(
    make: &T,
) {
    let bus = make.make().await;
    let fixed = Arc::new(AtomicBool::new(false));
    let calls = Calls::default();
    let handled = Log::default();
    let (is_fixed, counted, done) = (Arc::clone(&fixed), calls.clone(), handled.clone());
    bus.subscribe(
        SubscriptionOptions::asynchronous("analytics-service"),
        handler_fn(move |envelope: Env| {
            let (is_fixed, counted, done) = (Arc::clone(&is_fixed), counted.clone(), done.clone());
            async move {
                counted.call(envelope.event_id);
                if !is_fixed.load(Ordering::SeqCst) {
                    return Err(HandlerError::retryable(
                        HandlerError::SERVICE_UNAVAILABLE,
                        "the warehouse is down",
                    ));
                }
                done.push(envelope);
                Ok(())
            }
        }),
    )
    .await
    .unwrap();

    let character = Uuid::new_v4();
    let events = [
        skill(character, 1),
        skill(character, 2),
        skill(character, 3),
    ];
    for envelope in &events {
        bus.publish(envelope.clone()).await.unwrap();
    }
    eventually("three dead letters", async || {
        bus.dead_letters().count().await.unwrap() == 3
    })
    .await;
    settle(make).await;

    let letters = bus.dead_letters().list().await.unwrap();
    assert_eq!(
        letters
            .iter()
            .map(|l| l.event_id().unwrap())
            .collect::<Vec<_>>(),
        events.iter().map(|e| e.event_id).collect::<Vec<_>>(),
        "oldest first"
    );
    for letter in &letters {
        assert_eq!(letter.subscriber, "analytics-service");
        assert_eq!(letter.error_code, "service-unavailable");
        assert!(
            letter.error.contains("the warehouse is down"),
            "{}",
            letter.error
        );
        assert_eq!(letter.attempts, 3);
        assert_eq!(
            letter.reason,
            "given up after 3 attempts, the retry policy's max_attempts"
        );
        assert!(letter.first_failed_at <= letter.last_failed_at);
        assert_eq!(calls.of(letter.event_id().unwrap()), 3);
    }
    let ids: HashSet<u64> = letters.iter().map(|l| l.id).collect();
    assert_eq!(ids.len(), 3, "distinct ids");
    let first = bus
        .dead_letters()
        .get(letters[0].id)
        .await
        .unwrap()
        .expect("get by id");
    assert_eq!(first.event_id().unwrap(), events[0].event_id);

    let discarded = bus
        .dead_letters()
        .discard(letters[2].id)
        .await
        .unwrap()
        .expect("discarded");
    assert_eq!(discarded.event_id().unwrap(), events[2].event_id);
    assert!(
        bus.dead_letters()
            .get(letters[2].id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        bus.dead_letters()
            .discard(letters[2].id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(bus.dead_letters().count().await.unwrap(), 2);

    // Still broken: reprocessing fails again, with fresh attempts, into a new dead letter.
    bus.dead_letters().reprocess(letters[1].id).await.unwrap();
    eventually("the retried event failed three more times", async || {
        calls.of(events[1].event_id) == 6
    })
    .await;
    eventually("it is dead-lettered again", async || {
        bus.dead_letters().count().await.unwrap() == 2
    })
    .await;
    assert!(
        bus.dead_letters()
            .get(letters[1].id)
            .await
            .unwrap()
            .is_none(),
        "the old entry is gone"
    );
    let again = bus
        .dead_letters()
        .list()
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.event_id().unwrap() == events[1].event_id)
        .expect("a new dead letter");
    assert_eq!(again.attempts, 3);

    // Fixed: reprocessing delivers and removes the entry.
    fixed.store(true, Ordering::SeqCst);
    bus.dead_letters().reprocess(letters[0].id).await.unwrap();
    bus.dead_letters().reprocess(again.id).await.unwrap();
    eventually("both were handled", async || handled.len() == 2).await;
    settle(make).await;
    // Reprocessing promises each letter one delivery, not an order between letters (a
    // broker may hand two reprocessed letters to its subscriber in either order).
    let mut reprocessed = handled.ids();
    reprocessed.sort();
    let mut expected = vec![events[0].event_id, events[1].event_id];
    expected.sort();
    assert_eq!(reprocessed, expected);
    assert!(bus.dead_letters().count().await.unwrap() == 0);
    assert!(matches!(
        bus.dead_letters().reprocess(letters[0].id).await,
        Err(ReprocessError::NotFound(id)) if id == letters[0].id
    ));
    assert_eq!(
        handled.count(events[2].event_id),
        0,
        "a discarded event stays discarded"
    );
    finish(make, &bus).await;
}

/// The threshold hook fires once when the queue grows to N entries.
pub async fn dead_letter_threshold_hook_fires_at_n<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let fired: Arc<Mutex<Vec<usize>>> = Arc::default();
    let sink = Arc::clone(&fired);
    bus.dead_letters()
        .on_threshold(3, move |len| sink.lock().unwrap().push(len));
    bus.subscribe(
        SubscriptionOptions::asynchronous("fragile").with_retry(RetryPolicy::no_retry()),
        handler_fn(|_: Env| async { Err(HandlerError::permanent("always")) }),
    )
    .await
    .unwrap();

    for level in 0..2 {
        bus.publish(skill(Uuid::new_v4(), level)).await.unwrap();
    }
    eventually("two dead letters", async || {
        bus.dead_letters().count().await.unwrap() == 2
    })
    .await;
    assert!(fired.lock().unwrap().is_empty(), "below the threshold");
    bus.publish(skill(Uuid::new_v4(), 2)).await.unwrap();
    eventually("three dead letters", async || {
        bus.dead_letters().count().await.unwrap() == 3
    })
    .await;
    assert_eq!(*fired.lock().unwrap(), [3]);
    bus.publish(skill(Uuid::new_v4(), 3)).await.unwrap();
    eventually("four dead letters", async || {
        bus.dead_letters().count().await.unwrap() == 4
    })
    .await;
    assert_eq!(*fired.lock().unwrap(), [3], "fires once while above");

    // Below the threshold again, then back up to it: fires again.
    for letter in bus.dead_letters().list().await.unwrap().into_iter().take(2) {
        bus.dead_letters().discard(letter.id).await.unwrap();
    }
    bus.publish(skill(Uuid::new_v4(), 4)).await.unwrap();
    eventually("three dead letters again", async || {
        bus.dead_letters().count().await.unwrap() == 3
    })
    .await;
    assert_eq!(*fired.lock().unwrap(), [3, 3]);
    finish(make, &bus).await;
}
