//! The immediate strategy: handlers run inside `publish` and their error is its error.

use novel_events::DeadLetters;
use novel_events::EventBus as _;
use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::CharacterDeleted;
use novel_events::{Event, HandlerError, PublishError, SubscriptionOptions, handler_fn};
use uuid::Uuid;

use super::BusUnderTest;
use super::events::*;
use super::recorders::*;
use super::virtual_time::*;

/// An immediate subscriber runs before `publish` returns; its error is the publisher's, and
/// every other subscriber still gets the event.
pub async fn immediate_runs_inside_publish_and_returns_its_error<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let calls = Calls::default();
    let audit = Log::default();
    bus.subscribe(
        SubscriptionOptions::asynchronous("audit-log"),
        recorder(&audit),
    )
    .await
    .unwrap();
    let counted = calls.clone();
    bus.subscribe(
        SubscriptionOptions::immediate("consistency-check"),
        handler_fn(move |envelope: Env| {
            let counted = counted.clone();
            async move {
                counted.call(envelope.event_id);
                tokio::task::yield_now().await;
                match envelope.payload {
                    AnyEvent::CharacterDeleted(_) => {
                        Err(HandlerError::permanent("characters are never deleted"))
                    }
                    _ => Ok(()),
                }
            }
        }),
    )
    .await
    .unwrap();

    let character = Uuid::new_v4();
    let fine = skill(character, 1);
    bus.publish(fine.clone()).await.unwrap();
    assert_eq!(
        calls.of(fine.event_id),
        1,
        "the handler ran before publish returned"
    );

    let refused = deleted(character);
    match bus.publish(refused.clone()).await {
        Err(PublishError::Handler {
            subscriber,
            event_type,
            source,
        }) => {
            assert_eq!(subscriber, "consistency-check");
            assert_eq!(event_type, CharacterDeleted::EVENT_TYPE);
            assert_eq!(source.code(), "permanent");
        }
        other => panic!("expected the immediate subscriber's error, got {other:?}"),
    }
    assert_eq!(calls.of(refused.event_id), 1);

    eventually("the other subscriber got both events", async || {
        audit.len() == 2
    })
    .await;
    settle(make).await;
    assert_eq!(audit.ids(), [fine.event_id, refused.event_id]);
    assert_eq!(
        calls.of(refused.event_id),
        1,
        "an immediate failure is not retried"
    );
    assert!(
        bus.dead_letters().count().await.unwrap() == 0,
        "nor dead-lettered: the publisher decides"
    );
    finish(make, &bus).await;
}

/// An immediate subscriber that never returns does not hang `publish` past the shutdown's
/// deadline: the call is dropped, the event dead-lettered with code `shutdown` and counted as
/// abandoned, and `publish` returns that subscriber's error.
pub async fn shutdown_abandons_an_immediate_delivery_at_its_deadline<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let stuck = Log::default();
    bus.subscribe(
        SubscriptionOptions::immediate("consistency-check"),
        stuck_recorder(&stuck),
    )
    .await
    .unwrap();

    let envelope = skill(Uuid::new_v4(), 1);
    let (published, report) = tokio::join!(bus.publish(envelope.clone()), async {
        while stuck.len() == 0 {
            tokio::task::yield_now().await;
        }
        bus.shutdown(std::time::Duration::from_secs(1)).await
    });

    match published {
        Err(PublishError::Handler {
            subscriber, source, ..
        }) => {
            assert_eq!(subscriber, "consistency-check");
            assert_eq!(source.code(), "shutdown");
        }
        other => panic!("expected the abandoned subscriber's error, got {other:?}"),
    }
    assert_eq!(report.abandoned, 1);
    assert_eq!(report.drained, 0);
    assert_eq!(report.still_running, 0);
    let letters = bus.dead_letters().list().await.unwrap();
    assert_eq!(letters.len(), 1, "the event is kept, not lost");
    assert_eq!(letters[0].subscriber, "consistency-check");
    assert_eq!(letters[0].error_code, "shutdown");
    assert_eq!(letters[0].event_id(), Some(envelope.event_id));
}
