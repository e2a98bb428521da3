//! Backpressure: `try_publish` refuses, `publish` waits for room.

use std::sync::Arc;
use std::time::Duration;

use novel_events::EventBus as _;
use novel_events::novel_engine::characters::CharacterSkillGained;
use novel_events::{Event, HandlerResult, PublishError, SubscriptionOptions, handler_fn};
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::BusUnderTest;
use super::events::*;
use super::recorders::*;
use super::virtual_time::*;

/// A blocked handler whose queue (capacity 1) is full: `try_publish` fails with QueueFull
/// and publishes to nobody; `publish` waits for room, then publishes everywhere.
pub async fn backpressure_try_publish_refuses_and_publish_waits<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let fast = Log::default();
    bus.subscribe(SubscriptionOptions::asynchronous("fast"), recorder(&fast))
        .await
        .unwrap();
    let gate = Arc::new(Semaphore::new(0));
    let (started, slow) = (Log::default(), Log::default());
    let (door, begun, done) = (Arc::clone(&gate), started.clone(), slow.clone());
    bus.subscribe(
        SubscriptionOptions::asynchronous("slow").with_queue(1, 1),
        handler_fn(move |envelope: Env| {
            let (door, begun, done) = (Arc::clone(&door), begun.clone(), done.clone());
            async move {
                begun.push(envelope.clone());
                let _pass = door.acquire().await.expect("the gate stays open");
                done.push(envelope);
                HandlerResult::Ok(())
            }
        }),
    )
    .await
    .unwrap();

    let character = Uuid::new_v4();
    let events: Vec<Env> = (0..4).map(|level| skill(character, level)).collect();
    bus.publish(events[0].clone()).await.unwrap();
    eventually("the slow handler holds the first event", async || {
        started.len() == 1
    })
    .await;
    bus.publish(events[1].clone()).await.unwrap(); // fills the queue

    match bus.try_publish(events[2].clone()).await {
        Err(PublishError::QueueFull {
            subscriber,
            capacity,
            event_type,
        }) => {
            assert_eq!(subscriber, "slow");
            assert_eq!(capacity, 1);
            assert_eq!(event_type, CharacterSkillGained::EVENT_TYPE);
        }
        other => panic!("expected QueueFull, got {other:?}"),
    }

    let waiting = tokio::spawn({
        let bus = bus.clone();
        let envelope = events[3].clone();
        async move { bus.publish(envelope).await }
    });
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(
        !waiting.is_finished(),
        "publish waits while the queue is full"
    );
    assert_eq!(fast.ids(), [events[0].event_id, events[1].event_id]);

    gate.add_permits(100);
    waiting.await.unwrap().unwrap();
    let expected = [events[0].event_id, events[1].event_id, events[3].event_id];
    eventually("the slow subscriber caught up", async || slow.len() == 3).await;
    eventually("the fast subscriber got the waiting event", async || {
        fast.len() == 3
    })
    .await;
    settle(make).await;
    assert_eq!(slow.ids(), expected);
    assert_eq!(fast.ids(), expected, "the refused event went nowhere");
    finish(make, &bus).await;
}
