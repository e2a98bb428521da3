//! Panicking handlers are isolated; invalid payloads and batches are refused at publish.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use novel_events::DeadLetters;
use novel_events::EventBus as _;
use novel_events::novel_engine::AnyEvent;
use novel_events::{
    Envelope, Handler, HandlerFuture, HandlerResult, PublishError, Publisher, SubscriptionOptions,
    handler_fn,
};
use uuid::Uuid;

use super::BusUnderTest;
use super::events::*;
use super::recorders::*;
use super::virtual_time::*;

/// Panics in the handler's synchronous part.
struct PanicsOnThirteen;

impl Handler<AnyEvent> for PanicsOnThirteen {
    fn handle<'a>(&'a self, envelope: &'a Env) -> HandlerFuture<'a> {
        assert_ne!(
            level(envelope),
            Some(13),
            "unlucky thirteen, before any future"
        );
        Box::pin(async { Ok(()) })
    }
}

/// A handler panicking on one event: that event is dead-lettered with code `panic`, later
/// events are still delivered, other subscribers see nothing of it.
pub async fn a_panicking_handler_is_isolated<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let (fragile, steady) = (Log::default(), Log::default());
    let done = fragile.clone();
    bus.subscribe(
        SubscriptionOptions::asynchronous("fragile").with_queue(1, 16),
        handler_fn(move |envelope: Env| {
            let done = done.clone();
            async move {
                tokio::task::yield_now().await;
                if level(&envelope) == Some(13) {
                    panic!("unlucky thirteen");
                }
                done.push(envelope);
                HandlerResult::Ok(())
            }
        }),
    )
    .await
    .unwrap();
    bus.subscribe(SubscriptionOptions::asynchronous("eager"), PanicsOnThirteen)
        .await
        .unwrap();
    bus.subscribe(
        SubscriptionOptions::asynchronous("steady"),
        recorder(&steady),
    )
    .await
    .unwrap();
    let panicky = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&panicky);
    let immediate = make.supports_immediate();
    if immediate {
        bus.subscribe(
            SubscriptionOptions::immediate("inline"),
            handler_fn(move |envelope: Env| {
                let count = Arc::clone(&count);
                async move {
                    if level(&envelope) == Some(13) {
                        count.fetch_add(1, Ordering::SeqCst);
                        panic!("unlucky thirteen, inline");
                    }
                    HandlerResult::Ok(())
                }
            }),
        )
        .await
        .unwrap();
    }

    let character = Uuid::new_v4();
    let events = [
        skill(character, 12),
        skill(character, 13),
        skill(character, 14),
    ];
    for envelope in &events {
        let result = bus.publish(envelope.clone()).await;
        if immediate && level(envelope) == Some(13) {
            match result {
                Err(PublishError::Handler {
                    subscriber, source, ..
                }) => {
                    assert_eq!(subscriber, "inline");
                    assert_eq!(source.code(), "panic");
                }
                other => panic!("an immediate panic is the publisher's error, got {other:?}"),
            }
        } else {
            result.unwrap();
        }
    }
    eventually("steady got all three", async || steady.len() == 3).await;
    eventually("fragile got the later event", async || fragile.len() == 2).await;
    eventually("two dead letters", async || {
        bus.dead_letters().count().await.unwrap() == 2
    })
    .await;
    settle(make).await;

    assert_eq!(fragile.ids(), [events[0].event_id, events[2].event_id]);
    assert_eq!(
        steady.ids(),
        events.iter().map(|e| e.event_id).collect::<Vec<_>>()
    );
    assert_eq!(panicky.load(Ordering::SeqCst), usize::from(immediate));
    let mut letters = bus.dead_letters().list().await.unwrap();
    letters.sort_by(|a, b| a.subscriber.cmp(&b.subscriber));
    assert_eq!(letters.len(), 2);
    for (letter, subscriber) in letters.iter().zip(["eager", "fragile"]) {
        assert_eq!(letter.subscriber, subscriber);
        assert_eq!(letter.event_id().unwrap(), events[1].event_id);
        assert_eq!(letter.error_code, "panic");
        assert_eq!(letter.attempts, 1, "a panic is not retried");
        assert!(
            letter.error.contains("unlucky thirteen"),
            "{}",
            letter.error
        );
    }
    finish(make, &bus).await;
}

/// A payload breaking its catalog is refused by `publish` and `try_publish`, naming the
/// field; nobody receives it.
pub async fn invalid_payloads_are_refused_at_publish<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let (queued, inline) =
        audit_log_and_immediate(&bus, "checker", make.supports_immediate()).await;

    let invalid = Envelope::new(relationship(1.5), SOURCE);
    for result in [
        bus.publish(invalid.clone()).await,
        bus.try_publish(invalid.clone()).await,
    ] {
        let error = result.expect_err("refused");
        assert!(
            error.to_string().contains("payload.relationshipStrength"),
            "{error}"
        );
        match error {
            PublishError::Invalid { event_type, source } => {
                assert_eq!(event_type, "characters.character.relationship-formed");
                assert!(
                    source
                        .violations
                        .iter()
                        .any(|v| v.path == "payload.relationshipStrength"),
                    "{source:?}"
                );
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
    }
    let valid = Envelope::new(relationship(1.0), SOURCE);
    bus.publish(valid.clone()).await.unwrap();
    eventually("the valid event arrived", async || queued.len() == 1).await;
    settle(make).await;
    assert_eq!(queued.ids(), [valid.event_id]);
    if let Some(inline) = inline {
        assert_eq!(inline.ids(), [valid.event_id]);
    }
    assert!(bus.dead_letters().count().await.unwrap() == 0);
    finish(make, &bus).await;
}

/// `Publisher` stamps source, user and causal links, and checks a whole batch before
/// publishing any of it.
pub async fn publisher_stamps_envelopes_and_checks_batches_first<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let log = Log::default();
    bus.subscribe(
        SubscriptionOptions::asynchronous("audit-log"),
        recorder(&log),
    )
    .await
    .unwrap();
    let user = Uuid::new_v4();
    let publisher = Publisher::new(bus.clone(), "character-service").with_user(user);

    let refused = publisher
        .publish_batch::<AnyEvent, _>([relationship(0.5), relationship(-0.1)])
        .await;
    assert!(matches!(refused, Err(PublishError::Invalid { .. })));
    settle(make).await;
    assert_eq!(log.len(), 0, "nothing of a refused batch is published");

    let root = publisher
        .publish::<AnyEvent, _>(deleted_payload(Uuid::new_v4()))
        .await
        .unwrap();
    let child = publisher
        .publish_caused_by::<AnyEvent, _, _>(&root, relationship(0.5))
        .await
        .unwrap();
    eventually("both arrived", async || log.len() == 2).await;
    let received = log.all();
    let got_child = received
        .iter()
        .find(|e| e.event_id == child.event_id)
        .unwrap();
    assert_eq!(got_child.correlation_id, root.event_id);
    assert_eq!(got_child.causation_id, root.event_id);
    assert_eq!(got_child.user_id, Some(user));
    assert_eq!(got_child.metadata.source, "character-service");
    finish(make, &bus).await;
}
