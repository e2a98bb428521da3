//! Shutdown: draining, dead-lettering what cannot finish, refusing new work.

use std::sync::Arc;
use std::time::Duration;

use novel_events::DeadLetters;
use novel_events::EventBus as _;
use novel_events::novel_engine::AnyEvent;
use novel_events::{
    BatchHandler, HandlerFuture, HandlerResult, PublishError, ReprocessError, SubscribeError,
    SubscriptionOptions, handler_fn,
};
use uuid::Uuid;

use super::BusUnderTest;
use super::events::*;
use super::recorders::*;
use super::virtual_time::*;

/// Queued events are handled before the deadline and counted in `drained`; afterwards the
/// bus refuses events, subscriptions and reprocessing.
pub async fn shutdown_drains_queued_events_and_refuses_new_work<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let handled = Log::default();
    let done = handled.clone();
    bus.subscribe(
        SubscriptionOptions::asynchronous("memory-service").with_queue(2, 64),
        handler_fn(move |envelope: Env| {
            let done = done.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(100)).await;
                done.push(envelope);
                HandlerResult::Ok(())
            }
        }),
    )
    .await
    .unwrap();

    let published: Vec<Env> = (0..10).map(|level| skill(Uuid::new_v4(), level)).collect();
    for envelope in &published {
        bus.publish(envelope.clone()).await.unwrap();
    }
    let before = handled.len();
    let report = bus.shutdown(Duration::from_secs(30)).await;

    assert_eq!(
        handled.len(),
        published.len(),
        "everything queued was handled"
    );
    assert_eq!(report.drained, published.len() - before);
    assert_eq!(report.abandoned, 0);
    assert!(bus.dead_letters().count().await.unwrap() == 0);

    let late = skill(Uuid::new_v4(), 99);
    assert!(matches!(
        bus.publish(late.clone()).await,
        Err(PublishError::Closed { event_id, .. }) if event_id == late.event_id
    ));
    assert!(matches!(
        bus.try_publish(late).await,
        Err(PublishError::Closed { .. })
    ));
    assert!(matches!(
        bus.subscribe(SubscriptionOptions::asynchronous("late"), recorder(&Log::default())).await,
        Err(SubscribeError::Closed(name)) if name == "late"
    ));
    assert!(matches!(
        bus.dead_letters().reprocess(1).await,
        Err(ReprocessError::Closed)
    ));
    settle(make).await;
    assert_eq!(handled.len(), published.len());
}

/// With a handler that never finishes, what is in flight or queued at the deadline is
/// dead-lettered with code `shutdown` and counted; nothing is lost.
pub async fn shutdown_dead_letters_what_cannot_finish<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let (fast, stuck) = (Log::default(), Log::default());
    bus.subscribe(SubscriptionOptions::asynchronous("fast"), recorder(&fast))
        .await
        .unwrap();
    bus.subscribe(
        SubscriptionOptions::asynchronous("stuck").with_queue(1, 16),
        stuck_recorder(&stuck),
    )
    .await
    .unwrap();

    let published: Vec<Env> = (0..5).map(|level| skill(Uuid::new_v4(), level)).collect();
    for envelope in &published {
        bus.publish(envelope.clone()).await.unwrap();
    }
    let fast_before = fast.len();
    let report = shutdown(&bus).await;

    let mut expected: Vec<Uuid> = published.iter().map(|e| e.event_id).collect();
    expected.sort();
    let mut fast_ids = fast.ids();
    fast_ids.sort();
    assert_eq!(
        fast_ids, expected,
        "the healthy subscriber drained everything"
    );

    let letters = bus.dead_letters().list().await.unwrap();
    assert!(
        letters
            .iter()
            .all(|l| l.subscriber == "stuck" && l.error_code == "shutdown")
    );
    let mut stuck_letters = dead_letter_ids(&bus, "stuck").await;
    stuck_letters.sort();
    assert_eq!(
        stuck_letters, expected,
        "handled (none) + dead-lettered = published"
    );
    assert!(stuck.len() <= 1, "one event was in flight at most");
    assert_eq!(report.abandoned, published.len());
    assert_eq!(
        report.drained,
        published.len() - fast_before,
        "only finished events are drained"
    );
}

/// A batch handler that never finishes does not hold the shutdown past its deadline.
pub async fn shutdown_dead_letters_a_hung_batch<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    struct Hung;
    impl BatchHandler<AnyEvent> for Hung {
        fn handle_batch<'a>(&'a self, _: &'a [Arc<Env>]) -> HandlerFuture<'a> {
            Box::pin(std::future::pending())
        }
    }
    bus.subscribe_batch(
        SubscriptionOptions::batch("hung", 2, Duration::from_millis(10)),
        Hung,
    )
    .await
    .unwrap();
    let published: Vec<Env> = (0..5).map(|level| skill(Uuid::new_v4(), level)).collect();
    for envelope in &published {
        bus.publish(envelope.clone()).await.unwrap();
    }
    let report = shutdown(&bus).await;

    let mut expected: Vec<Uuid> = published.iter().map(|e| e.event_id).collect();
    expected.sort();
    let mut letters = dead_letter_ids(&bus, "hung").await;
    letters.sort();
    assert_eq!(letters, expected);
    assert!(
        bus.dead_letters()
            .list()
            .await
            .unwrap()
            .iter()
            .all(|l| l.error_code == "shutdown")
    );
    assert_eq!(report.abandoned, published.len());
    assert_eq!(report.drained, 0);
}

/// A `publish` waiting for queue room when the deadline passes either fails with `Closed`
/// or its event ends up handled or dead-lettered: never accepted and then lost.
pub async fn a_publish_waiting_for_room_during_shutdown_is_not_lost<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let started = Log::default();
    bus.subscribe(
        SubscriptionOptions::asynchronous("stuck").with_queue(1, 1),
        stuck_recorder(&started),
    )
    .await
    .unwrap();
    let character = Uuid::new_v4();
    let events: Vec<Env> = (0..3).map(|level| skill(character, level)).collect();
    bus.publish(events[0].clone()).await.unwrap();
    eventually("the handler holds the first event", async || {
        started.len() == 1
    })
    .await;
    bus.publish(events[1].clone()).await.unwrap();
    let waiting = tokio::spawn({
        let bus = bus.clone();
        let envelope = events[2].clone();
        async move { bus.publish(envelope).await }
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(!waiting.is_finished());

    let report = shutdown(&bus).await;
    let outcome = tokio::time::timeout(Duration::from_secs(60), waiting)
        .await
        .expect("the waiting publish returns once the bus is shut down")
        .unwrap();
    let letters = dead_letter_ids(&bus, "stuck").await;
    match outcome {
        Err(PublishError::Closed { event_id, .. }) => {
            assert_eq!(event_id, events[2].event_id);
            assert_eq!(letters, [events[0].event_id, events[1].event_id]);
        }
        Ok(()) => assert_eq!(
            letters,
            events.iter().map(|e| e.event_id).collect::<Vec<_>>()
        ),
        Err(other) => panic!("unexpected {other:?}"),
    }
    assert_eq!(report.abandoned, letters.len());
}
