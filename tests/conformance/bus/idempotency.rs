//! Idempotency: duplicates handled once per idempotent subscriber.

use std::sync::Arc;
use std::time::Duration;

use novel_events::DeadLetters;
use novel_events::EventBus as _;
use novel_events::{HandlerError, ReprocessError, SubscriptionOptions, handler_fn};
use uuid::Uuid;

use super::BusUnderTest;
use super::events::*;
use super::recorders::*;
use super::virtual_time::*;

/// The same envelope published twice is handled once by an idempotent subscriber (of
/// every strategy), twice by a `not_idempotent()` one (once, on a bus that drops the second
/// publish: [`BusUnderTest::delivers_republished_events`]).
pub async fn duplicates_are_handled_once_per_idempotent_subscriber<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let (once, every, batched, immediate) = (
        Log::default(),
        Log::default(),
        Log::default(),
        Log::default(),
    );
    bus.subscribe(SubscriptionOptions::asynchronous("once"), recorder(&once))
        .await
        .unwrap();
    bus.subscribe(
        SubscriptionOptions::asynchronous("every").not_idempotent(),
        recorder(&every),
    )
    .await
    .unwrap();
    let with_immediate = make.supports_immediate();
    if with_immediate {
        bus.subscribe(
            SubscriptionOptions::immediate("checker"),
            recorder(&immediate),
        )
        .await
        .unwrap();
    }
    let copies = if make.delivers_republished_events() {
        1
    } else {
        0
    };
    let sink = batched.clone();
    bus.subscribe_batch(
        SubscriptionOptions::batch("batched", 10, Duration::from_millis(100)),
        BatchFn(move |batch: &[Arc<Env>]| {
            for envelope in batch {
                sink.push((**envelope).clone());
            }
            Ok(())
        }),
    )
    .await
    .unwrap();

    let envelope = skill(Uuid::new_v4(), 1);
    // Twice back to back (the second copy lands in the same batch window), and once later.
    bus.publish(envelope.clone()).await.unwrap();
    bus.publish(envelope.clone()).await.unwrap();
    eventually("the non-idempotent subscriber got both", async || {
        every.len() == 1 + copies && once.len() == 1 && batched.len() == 1
    })
    .await;
    settle(make).await;
    bus.publish(envelope.clone()).await.unwrap();
    eventually("the non-idempotent subscriber got the third", async || {
        every.len() == 1 + 2 * copies
    })
    .await;
    settle(make).await;

    assert_eq!(once.count(envelope.event_id), 1, "asynchronous");
    assert_eq!(batched.count(envelope.event_id), 1, "batch");
    if with_immediate {
        assert_eq!(immediate.count(envelope.event_id), 1, "immediate");
    }
    assert_eq!(
        every.count(envelope.event_id),
        1 + 2 * copies,
        "not idempotent"
    );
    finish(make, &bus).await;
}

/// An event reprocessed after it succeeded, or published again after that, is not handled
/// again.
pub async fn reprocessing_after_success_handles_once<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let calls = Calls::default();
    let handled = Log::default();
    let (counted, done) = (calls.clone(), handled.clone());
    bus.subscribe(
        SubscriptionOptions::asynchronous("memory-service"),
        handler_fn(move |envelope: Env| {
            let (counted, done) = (counted.clone(), done.clone());
            async move {
                if counted.call(envelope.event_id) == 1 {
                    return Err(HandlerError::permanent("a bug, fixed after the first call"));
                }
                done.push(envelope);
                Ok(())
            }
        }),
    )
    .await
    .unwrap();

    let envelope = skill(Uuid::new_v4(), 1);
    bus.publish(envelope.clone()).await.unwrap();
    eventually("dead-lettered", async || {
        bus.dead_letters().count().await.unwrap() == 1
    })
    .await;
    let letter = bus.dead_letters().list().await.unwrap()[0].clone();
    bus.dead_letters().reprocess(letter.id).await.unwrap();
    eventually("handled after reprocessing", async || handled.len() == 1).await;

    assert!(matches!(
        bus.dead_letters().reprocess(letter.id).await,
        Err(ReprocessError::NotFound(_))
    ));
    bus.publish(envelope.clone()).await.unwrap();
    settle(make).await;
    assert_eq!(handled.count(envelope.event_id), 1);
    assert!(bus.dead_letters().count().await.unwrap() == 0);
    finish(make, &bus).await;
}

/// A duplicate of an event an idempotent subscriber dead-lettered is not delivered again:
/// it stays one dead letter, to reprocess once.
pub async fn a_duplicate_of_a_dead_letter_stays_one_dead_letter<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let calls = Calls::default();
    let counted = calls.clone();
    bus.subscribe(
        SubscriptionOptions::asynchronous("story-engine"),
        handler_fn(move |envelope: Env| {
            let counted = counted.clone();
            async move {
                counted.call(envelope.event_id);
                Err(HandlerError::permanent("cannot handle this one"))
            }
        }),
    )
    .await
    .unwrap();
    let envelope = skill(Uuid::new_v4(), 1);
    bus.publish(envelope.clone()).await.unwrap();
    eventually("dead-lettered", async || {
        bus.dead_letters().count().await.unwrap() == 1
    })
    .await;
    bus.publish(envelope.clone()).await.unwrap();
    bus.publish(envelope.clone()).await.unwrap();
    settle(make).await;
    assert_eq!(
        dead_letter_ids(&bus, "story-engine").await,
        [envelope.event_id]
    );
    assert_eq!(calls.of(envelope.event_id), 1);
    finish(make, &bus).await;
}
