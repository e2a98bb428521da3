//! Dead letters: permanent failures and exhausted retries land in the dead-letter stream
//! with their reason; reprocessing sends one back to its subscriber only, upcast on the way.

use novel_events::{DeadLetters as _, EventBus as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use novel_events::{HandlerError, HandlerResult, SubscriptionOptions, Upcasters, handler_fn};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::support::{self, Env};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permanent_failures_and_exhausted_retries_are_dead_lettered_with_their_reason() {
    let catalog = support::catalog();
    let bus = support::bus(&catalog, support::options()).await;
    let mut alerts = support::threshold_alerts(&bus, 2);
    let (sender, mut attempts) = mpsc::unbounded_channel();
    bus.subscribe(
        SubscriptionOptions::asynchronous("billing").with_retry(support::fast_retry(2)),
        handler_fn(move |envelope: Arc<Env>| {
            let _ = sender.send(envelope.event_id);
            let permanent = support::level(&envelope).is_none();
            async move {
                if permanent {
                    Err(HandlerError::permanent("no account for this character"))
                } else {
                    Err(HandlerError::retryable(
                        HandlerError::NETWORK_TIMEOUT,
                        "the ledger did not answer",
                    ))
                }
            }
        }),
    )
    .await
    .unwrap();
    let doomed = support::deleted(Uuid::new_v4());
    let flaky = support::skill(Uuid::new_v4(), 4);
    bus.publish(doomed.clone()).await.unwrap();
    bus.publish(flaky.clone()).await.unwrap();
    assert_eq!(support::next(&mut alerts, "two dead letters").await, 2);
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(support::next(&mut attempts, "an attempt").await);
    }
    assert_eq!(ids, [doomed.event_id, flaky.event_id, flaky.event_id]);

    let letters = bus.dead_letters().list().await.unwrap();
    assert_eq!(letters.len(), 2);
    let permanent = &letters[0];
    assert_eq!(permanent.subscriber, "billing");
    assert_eq!(permanent.error_code, "permanent");
    assert!(
        permanent.error.contains("no account for this character"),
        "{}",
        permanent.error
    );
    assert_eq!(permanent.attempts, 1);
    assert_eq!(permanent.envelope().map(|event| &**event), Some(&doomed));
    let exhausted = &letters[1];
    assert_eq!(exhausted.error_code, "network-timeout");
    assert_eq!(exhausted.attempts, 2);
    assert!(exhausted.first_failed_at < exhausted.last_failed_at);
    assert_eq!(exhausted.event_id(), Some(flaky.event_id));

    assert_eq!(
        bus.dead_letters()
            .get(exhausted.id)
            .await
            .unwrap()
            .unwrap()
            .attempts,
        2
    );
    let discarded = bus
        .dead_letters()
        .discard(permanent.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(discarded.id, permanent.id);
    assert!(
        bus.dead_letters()
            .get(permanent.id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(bus.dead_letters().count().await.unwrap(), 1);
    support::clean_up(&bus, &catalog).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reprocessed_letter_goes_back_to_its_subscriber_only_and_is_upcast() {
    let catalog = support::catalog();
    // Version 0.9.0 of skill-gained called the level `level`.
    let mut upcasters = Upcasters::new();
    upcasters.register(
        "characters.character.skill-gained",
        "0.9.0",
        "1.0.0",
        |mut payload| {
            let level = payload["level"].take();
            payload["skillLevel"] = level;
            Ok(payload)
        },
    );
    let bus = support::bus(&catalog, support::options().with_upcasters(upcasters)).await;
    let mut alerts = support::threshold_alerts(&bus, 1);
    let fixed = Arc::new(AtomicBool::new(false));
    let (sender, mut seen) = mpsc::unbounded_channel();
    for name in ["story-engine", "memory"] {
        let (sender, fixed) = (sender.clone(), Arc::clone(&fixed));
        bus.subscribe(
            SubscriptionOptions::asynchronous(name),
            handler_fn(move |envelope: Arc<Env>| {
                let _ = sender.send((name, support::level(&envelope)));
                let fail = name == "story-engine" && !fixed.load(Ordering::SeqCst);
                async move {
                    if fail {
                        Err(HandlerError::permanent("a bug in the story engine"))
                    } else {
                        HandlerResult::Ok(())
                    }
                }
            }),
        )
        .await
        .unwrap();
    }
    // An event of the old version, as an old publisher wrote it.
    let event = support::skill(Uuid::new_v4(), 7);
    let mut json = serde_json::to_value(&event).unwrap();
    json["eventVersion"] = "0.9.0".into();
    let level = json["payload"]["skillLevel"].take();
    json["payload"]["level"] = level;
    json["payload"]
        .as_object_mut()
        .unwrap()
        .remove("skillLevel");
    let jetstream = async_nats::jetstream::new(bus.client().clone());
    jetstream
        .publish(
            bus.subject_of(&event),
            serde_json::to_vec(&json).unwrap().into(),
        )
        .await
        .unwrap()
        .await
        .unwrap();
    let mut first = vec![
        support::next(&mut seen, "a delivery").await,
        support::next(&mut seen, "a delivery").await,
    ];
    first.sort();
    assert_eq!(
        first,
        [("memory", Some(7)), ("story-engine", Some(7))],
        "upcast on delivery"
    );
    assert_eq!(support::next(&mut alerts, "the dead letter").await, 1);
    let letter = bus.dead_letters().list().await.unwrap().remove(0);
    assert_eq!(letter.subscriber, "story-engine");
    assert!(
        letter.envelope().is_some(),
        "the old version decodes through the upcaster"
    );

    fixed.store(true, Ordering::SeqCst);
    bus.dead_letters().reprocess(letter.id).await.unwrap();
    assert_eq!(
        support::next(&mut seen, "the reprocessed event").await,
        ("story-engine", Some(7))
    );
    support::nothing_within(
        &mut seen,
        Duration::from_millis(700),
        "only story-engine again",
    )
    .await;
    assert_eq!(bus.dead_letters().count().await.unwrap(), 0);
    let missing = bus.dead_letters().reprocess(letter.id).await.unwrap_err();
    assert!(
        matches!(
            missing,
            novel_events::ReprocessError::NotFound(id) if id == letter.id
        ),
        "{missing}"
    );
    support::clean_up(&bus, &catalog).await;
}

/// A batch handler that fails every batch for good.
struct FailingBatches;

impl novel_events::BatchHandler<novel_events::novel_engine::AnyEvent> for FailingBatches {
    fn handle_batch<'a>(&'a self, _: &'a [Arc<Env>]) -> novel_events::HandlerFuture<'a> {
        Box::pin(async { Err(HandlerError::permanent("the index is corrupt")) })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_batch_is_dead_lettered_whole() {
    let catalog = support::catalog();
    let bus = support::bus(&catalog, support::options()).await;
    let mut alerts = support::threshold_alerts(&bus, 3);
    bus.subscribe_batch(
        SubscriptionOptions::batch("search-index", 3, Duration::from_millis(500)),
        FailingBatches,
    )
    .await
    .unwrap();
    let events: Vec<Env> = (0..3).map(|_| support::deleted(Uuid::new_v4())).collect();
    for event in &events {
        bus.publish(event.clone()).await.unwrap();
    }
    assert_eq!(support::next(&mut alerts, "three dead letters").await, 3);
    let letters = bus.dead_letters().list().await.unwrap();
    let ids: Vec<Uuid> = letters
        .iter()
        .map(|letter| letter.event_id().unwrap())
        .collect();
    assert_eq!(
        ids,
        events
            .iter()
            .map(|event| event.event_id)
            .collect::<Vec<_>>()
    );
    assert!(
        letters.iter().all(|letter| letter.error_code == "permanent"
            && letter.error.contains("the index is corrupt"))
    );
    support::clean_up(&bus, &catalog).await;
}
