//! What keeps work from being done twice or lost: idempotency across instances, long handlers
//! extending their deadline, the max-deliveries advisory, refused options.

use novel_events::{DeadLetters as _, EventBus as _};
use std::sync::Arc;
use std::time::Duration;

use novel_events::{
    HandlerResult, IdempotencyStore, InMemoryIdempotency, SubscribeError, SubscriptionOptions,
    handler_fn,
};
use novel_events_nats::{BusOptions, Idempotency, JetStreamIdempotency, NatsError};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::support::{self, Env};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_beyond_the_duplicate_window_is_skipped_by_every_instance() {
    copies_are_skipped(support::options()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_given_in_the_options_skips_copies_too() {
    // One store shared by both instances, as a database would be.
    let store: Arc<dyn IdempotencyStore> = Arc::new(InMemoryIdempotency::default());
    copies_are_skipped(support::options().with_idempotency(Idempotency::Store(store))).await;
}

/// Two instances of a subscriber, an event stored twice under different message ids: it is
/// handled once.
async fn copies_are_skipped(options: BusOptions) {
    let catalog = support::catalog();
    let first = support::bus(&catalog, options.clone()).await;
    let second = support::bus(&catalog, options).await;
    let (sender, mut received) = mpsc::unbounded_channel();
    for bus in [&first, &second] {
        let sender = sender.clone();
        bus.subscribe(
            SubscriptionOptions::asynchronous("notifier"),
            handler_fn(move |envelope: Arc<Env>| {
                let _ = sender.send(envelope.event_id);
                async { HandlerResult::Ok(()) }
            }),
        )
        .await
        .unwrap();
    }
    let event = support::deleted(Uuid::new_v4());
    first.publish(event.clone()).await.unwrap();
    // The same event again under another message id, as a relay replaying it after the
    // duplicate window would: the stream keeps both copies.
    let jetstream = async_nats::jetstream::new(first.client().clone());
    let mut headers = async_nats::HeaderMap::new();
    headers.insert("Nats-Msg-Id", "a-replay");
    jetstream
        .publish_with_headers(
            first.subject_of(&event),
            headers,
            serde_json::to_vec(&event).unwrap().into(),
        )
        .await
        .unwrap()
        .await
        .unwrap();
    let marker = support::deleted(Uuid::new_v4());
    first.publish(marker.clone()).await.unwrap();
    assert_eq!(
        support::next(&mut received, "the event").await,
        event.event_id
    );
    assert_eq!(
        support::next(&mut received, "the next event").await,
        marker.event_id,
        "the copy was skipped"
    );
    second.shutdown(Duration::from_secs(2)).await;
    support::clean_up(&first, &catalog).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_longer_than_the_ack_wait_is_not_delivered_twice() {
    let catalog = support::catalog();
    let options = BusOptions {
        ack_wait: Duration::from_secs(1),
        ..support::options()
    };
    let bus = support::bus(&catalog, options).await;
    let (sender, mut started) = mpsc::unbounded_channel();
    let (done, mut finished) = mpsc::unbounded_channel();
    bus.subscribe(
        SubscriptionOptions::asynchronous("renderer").not_idempotent(),
        handler_fn(move |envelope: Arc<Env>| {
            let _ = sender.send(envelope.event_id);
            let done = done.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(2500)).await;
                let _ = done.send(envelope.event_id);
                HandlerResult::Ok(())
            }
        }),
    )
    .await
    .unwrap();
    let event = support::deleted(Uuid::new_v4());
    bus.publish(event.clone()).await.unwrap();
    assert_eq!(
        support::next(&mut started, "the start").await,
        event.event_id
    );
    assert_eq!(
        support::next(&mut finished, "the end").await,
        event.event_id
    );
    support::nothing_within(
        &mut started,
        Duration::from_millis(1500),
        "no second delivery",
    )
    .await;
    support::clean_up(&bus, &catalog).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_left_at_its_last_delivery_is_dead_lettered_by_the_advisory() {
    let catalog = support::catalog();
    let buses = [
        support::bus(&catalog, support::options()).await,
        support::bus(&catalog, support::options()).await,
    ];
    let (sender, mut started) = mpsc::unbounded_channel();
    for (instance, bus) in buses.iter().enumerate() {
        let sender = sender.clone();
        bus.subscribe(
            SubscriptionOptions::asynchronous("archiver").with_retry(support::fast_retry(1)),
            handler_fn(move |_: Arc<Env>| {
                let _ = sender.send(instance);
                // Never finishes: its instance is stopped mid-attempt.
                std::future::pending::<HandlerResult>()
            }),
        )
        .await
        .unwrap();
    }
    let mut alerts = support::threshold_alerts(&buses[0], 1);
    let mut alerts_second = support::threshold_alerts(&buses[1], 1);
    let event = support::deleted(Uuid::new_v4());
    buses[0].publish(event.clone()).await.unwrap();
    let busy = support::next(&mut started, "the only attempt").await;
    // Its instance stops: the attempt is cut short and the event put back, at its last
    // delivery; the server gives up on it and says so; the other instance dead-letters it.
    buses[busy].shutdown(Duration::from_millis(100)).await;
    let alert = if busy == 0 {
        support::next(&mut alerts_second, "the dead letter").await
    } else {
        support::next(&mut alerts, "the dead letter").await
    };
    assert_eq!(alert, 1);
    let other = &buses[1 - busy];
    let letter = other.dead_letters().list().await.unwrap().remove(0);
    assert_eq!(letter.error_code, "max-deliveries");
    assert_eq!(letter.subscriber, "archiver");
    assert_eq!(letter.envelope().map(|event| &**event), Some(&event));
    support::nothing_within(
        &mut started,
        Duration::from_millis(300),
        "no further attempt",
    )
    .await;
    support::clean_up(other, &catalog).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn immediate_subscriptions_and_differing_options_are_refused() {
    let catalog = support::catalog();
    let bus = support::bus(&catalog, support::options()).await;
    let (handler, _received) = support::recorder();
    let refused = bus
        .subscribe(SubscriptionOptions::immediate("audit"), handler)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, SubscribeError::UnsupportedStrategy { .. }),
        "{refused}"
    );
    let (handler, _received) = support::recorder();
    bus.subscribe(
        SubscriptionOptions::asynchronous("audit").with_retry(support::fast_retry(3)),
        handler,
    )
    .await
    .unwrap();
    let (handler, _received) = support::recorder();
    let refused = bus
        .subscribe(
            SubscriptionOptions::asynchronous("audit").with_retry(support::fast_retry(5)),
            handler,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            SubscribeError::OptionsMismatch {
                what: "retry policy",
                ..
            }
        ),
        "{refused}"
    );
    support::clean_up(&bus, &catalog).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consumer_deleted_under_a_running_subscriber_is_created_again() {
    let catalog = support::catalog();
    let bus = support::bus(&catalog, support::options()).await;
    let (handler, mut received) = support::recorder();
    bus.subscribe(SubscriptionOptions::asynchronous("auditor"), handler)
        .await
        .unwrap();
    let before = support::deleted(Uuid::new_v4());
    bus.publish(before.clone()).await.unwrap();
    assert_eq!(
        support::next(&mut received, "the first event")
            .await
            .event_id,
        before.event_id
    );
    let jetstream = async_nats::jetstream::new(bus.client().clone());
    let stream = jetstream.get_stream(&catalog).await.unwrap();
    assert!(stream.delete_consumer("auditor").await.unwrap().success);
    let after = support::deleted(Uuid::new_v4());
    bus.publish(after.clone()).await.unwrap();
    assert_eq!(
        support::next(
            &mut received,
            "the event published while the consumer was gone"
        )
        .await
        .event_id,
        after.event_id
    );
    assert!(stream.consumer_info("auditor").await.is_ok());
    support::clean_up(&bus, &catalog).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jetstream_store_claims_and_releases_through_the_runtime_trait() {
    let catalog = support::catalog();
    let bus = support::bus(&catalog, support::options()).await;
    let jetstream = async_nats::jetstream::new(bus.client().clone());
    let name = format!("{catalog}-idempotency");
    let store = JetStreamIdempotency::open(&jetstream, &name, Duration::from_secs(60))
        .await
        .unwrap();
    let id = Uuid::new_v4();
    // The trait is synchronous: it is called from a blocking thread.
    let answers = tokio::task::spawn_blocking(move || {
        assert!(store.claims());
        vec![
            store.is_handled("memory", id),
            store.claim("memory", id),
            store.claim("memory", id),
            store.claim("story-engine", id),
            store.is_handled("memory", id),
            {
                store.release("memory", id);
                store.is_handled("memory", id)
            },
            store.claim("memory", id),
        ]
    })
    .await
    .unwrap();
    assert_eq!(answers, [false, true, false, true, true, false, true]);
    support::clean_up(&bus, &catalog).await;
}

#[cfg(not(feature = "tls"))]
#[tokio::test]
async fn a_tls_url_without_the_tls_feature_is_refused() {
    let refused = novel_events_nats::JetStreamBus::<novel_events::novel_engine::AnyEvent>::connect(
        "tls://127.0.0.1:4222",
        &support::catalog(),
        support::options(),
    )
    .await
    .unwrap_err();
    assert!(matches!(refused, NatsError::Unsupported(_)), "{refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attempt_cut_short_by_a_crash_is_taken_over_not_skipped() {
    let catalog = support::catalog();
    let options = BusOptions {
        ack_wait: Duration::from_secs(1),
        ..support::options()
    };
    let subscription = SubscriptionOptions::asynchronous("archiver");
    let event = support::deleted(Uuid::new_v4());

    // An instance in a runtime of its own gets the event, then its process "crashes": the
    // runtime is dropped mid-handler, releasing nothing, its connection cut.
    let (crashed_catalog, crashed_options, crashed_subscription, crashed_event) = (
        catalog.clone(),
        options.clone(),
        subscription.clone(),
        event.clone(),
    );
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let bus = support::bus(&crashed_catalog, crashed_options).await;
            let (started, mut has_started) = mpsc::unbounded_channel();
            bus.subscribe(
                crashed_subscription,
                handler_fn(move |_: Arc<Env>| {
                    let _ = started.send(());
                    std::future::pending::<HandlerResult>()
                }),
            )
            .await
            .unwrap();
            bus.publish(crashed_event).await.unwrap();
            support::next(&mut has_started, "the first attempt").await;
        });
        drop(runtime);
    })
    .join()
    .unwrap();

    // Another instance gets the event again after the ack wait, and handles it.
    let bus = support::bus(&catalog, options).await;
    let (handler, mut received) = support::recorder();
    bus.subscribe(subscription, handler).await.unwrap();
    assert_eq!(
        support::next(&mut received, "the event, taken over")
            .await
            .event_id,
        event.event_id
    );
    support::clean_up(&bus, &catalog).await;
}
