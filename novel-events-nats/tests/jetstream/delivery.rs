//! Publishing and delivering: the round trip, headers, deduplication, instances sharing a
//! subscriber, retries.

use novel_events::{DeadLetters as _, EventBus as _};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use novel_events::{
    Envelope, HandlerError, HandlerResult, SubscriptionOptions, TraceContext, handler_fn,
};
use novel_events_nats::headers;
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::support::{self, Env};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_makes_the_round_trip_with_its_headers() {
    let catalog = support::catalog();
    let bus = support::bus(&catalog, support::options()).await;
    let (handler, mut received) = support::recorder();
    bus.subscribe(SubscriptionOptions::asynchronous("audit"), handler)
        .await
        .unwrap();

    let trace = TraceContext::new_root();
    let root = support::deleted(Uuid::new_v4()).with_trace(trace.to_string());
    let child = Envelope::caused_by(&root, support::skill(Uuid::new_v4(), 3).payload);
    bus.publish(root.clone()).await.unwrap();
    bus.publish(child.clone()).await.unwrap();
    assert_eq!(*support::next(&mut received, "the root event").await, root);
    assert_eq!(
        *support::next(&mut received, "the caused event").await,
        child
    );

    // On the wire: the subject from the eventType, and the headers.
    let jetstream = async_nats::jetstream::new(bus.client().clone());
    let stream = jetstream.get_stream(&catalog).await.unwrap();
    let message = stream.get_raw_message(1).await.unwrap();
    assert_eq!(
        message.subject.as_str(),
        format!("{catalog}.0.characters.character.deleted")
    );
    assert_eq!(message.subject.as_str(), bus.subject_of(&root));
    let header = |name: &str| message.headers.get(name).unwrap().as_str().to_owned();
    assert_eq!(header("Nats-Msg-Id"), root.event_id.to_string());
    assert_eq!(header(headers::EVENT_TYPE), "characters.character.deleted");
    assert_eq!(header(headers::EVENT_VERSION), "1.0.0");
    assert_eq!(header(headers::TRACEPARENT), trace.to_string());
    let body: serde_json::Value = serde_json::from_slice(&message.payload).unwrap();
    assert_eq!(body["eventVersion"], "1.0.0");
    let message = stream.get_raw_message(2).await.unwrap();
    let header = |name: &str| message.headers.get(name).unwrap().as_str().to_owned();
    assert_eq!(header(headers::CORRELATION_ID), root.event_id.to_string());
    assert_eq!(header(headers::CAUSATION_ID), root.event_id.to_string());
    assert_eq!(
        header(headers::TRACEPARENT),
        trace.to_string(),
        "kept by caused_by"
    );
    support::clean_up(&bus, &catalog).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_published_twice_is_stored_and_handled_once() {
    let catalog = support::catalog();
    let bus = support::bus(&catalog, support::options()).await;
    let (handler, mut received) = support::recorder();
    bus.subscribe(SubscriptionOptions::asynchronous("audit"), handler)
        .await
        .unwrap();
    let event = support::deleted(Uuid::new_v4());
    bus.publish(event.clone()).await.unwrap();
    bus.publish(event.clone()).await.unwrap();
    let marker = support::deleted(Uuid::new_v4());
    bus.publish(marker.clone()).await.unwrap();
    assert_eq!(
        support::next(&mut received, "the event").await.event_id,
        event.event_id
    );
    assert_eq!(
        support::next(&mut received, "the next event")
            .await
            .event_id,
        marker.event_id,
        "the copy was dropped by the stream's duplicate window"
    );
    let jetstream = async_nats::jetstream::new(bus.client().clone());
    let info = jetstream
        .get_stream(&catalog)
        .await
        .unwrap()
        .get_info()
        .await
        .unwrap();
    assert_eq!(info.state.messages, 2);
    support::clean_up(&bus, &catalog).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_of_a_subscriber_share_the_events_once_each() {
    let catalog = support::catalog();
    // Two connections, as two processes would have.
    let first = support::bus(&catalog, support::options()).await;
    let second = support::bus(&catalog, support::options()).await;
    let (sender, mut received) = mpsc::unbounded_channel();
    for (instance, bus) in [(0, &first), (1, &second)] {
        let sender = sender.clone();
        bus.subscribe(
            SubscriptionOptions::asynchronous("indexer"),
            handler_fn(move |envelope: Arc<Env>| {
                let _ = sender.send((instance, envelope.event_id));
                async { HandlerResult::Ok(()) }
            }),
        )
        .await
        .unwrap();
    }
    let mut published = HashSet::new();
    for _ in 0..30 {
        let event = support::deleted(Uuid::new_v4());
        published.insert(event.event_id);
        first.publish(event).await.unwrap();
    }
    let mut seen = HashSet::new();
    let mut per_instance = [0; 2];
    for _ in 0..30 {
        let (instance, id) = support::next(&mut received, "an event").await;
        assert!(seen.insert(id), "{id} handled twice");
        per_instance[instance] += 1;
    }
    assert_eq!(seen, published);
    assert!(
        per_instance.iter().all(|count| *count > 0),
        "{per_instance:?}"
    );
    support::nothing_within(&mut received, Duration::from_millis(500), "no event twice").await;
    first.shutdown(Duration::from_secs(2)).await;
    support::clean_up(&second, &catalog).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retryable_failure_is_delivered_again_after_its_delay() {
    let catalog = support::catalog();
    let bus = support::bus(&catalog, support::options()).await;
    let attempts = Arc::new(AtomicU32::new(0));
    let (sender, mut received) = mpsc::unbounded_channel();
    let counter = Arc::clone(&attempts);
    bus.subscribe(
        SubscriptionOptions::asynchronous("mailer").with_retry(
            support::fast_retry(3).with_delays(Duration::from_millis(300), Duration::from_secs(2)),
        ),
        handler_fn(move |envelope: Arc<Env>| {
            let attempt = counter.fetch_add(1, Ordering::SeqCst) + 1;
            let _ = sender.send((attempt, Instant::now(), envelope.event_id));
            async move {
                if attempt < 3 {
                    Err(HandlerError::retryable(
                        HandlerError::SERVICE_UNAVAILABLE,
                        "the mail relay is down",
                    ))
                } else {
                    Ok(())
                }
            }
        }),
    )
    .await
    .unwrap();
    let event = support::deleted(Uuid::new_v4());
    bus.publish(event.clone()).await.unwrap();
    let mut times = Vec::new();
    for expected in 1..=3 {
        let (attempt, at, id) = support::next(&mut received, "an attempt").await;
        assert_eq!((attempt, id), (expected, event.event_id));
        times.push(at);
    }
    // Exponential: 300 ms, then 600 ms (the server waits at least that long).
    assert!(
        times[1] - times[0] >= Duration::from_millis(290),
        "{:?}",
        times[1] - times[0]
    );
    assert!(
        times[2] - times[1] >= Duration::from_millis(590),
        "{:?}",
        times[2] - times[1]
    );
    support::nothing_within(
        &mut received,
        Duration::from_millis(500),
        "no fourth attempt",
    )
    .await;
    assert_eq!(bus.dead_letters().count().await.unwrap(), 0);
    support::clean_up(&bus, &catalog).await;
}

/// A batch handler sending the eventIds of each batch it gets.
struct Batches(mpsc::UnboundedSender<Vec<Uuid>>);

impl novel_events::BatchHandler<novel_events::novel_engine::AnyEvent> for Batches {
    fn handle_batch<'a>(&'a self, batch: &'a [Arc<Env>]) -> novel_events::HandlerFuture<'a> {
        let _ = self
            .0
            .send(batch.iter().map(|envelope| envelope.event_id).collect());
        Box::pin(async { HandlerResult::Ok(()) })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_subscriber_gets_the_events_in_batches() {
    let catalog = support::catalog();
    let bus = support::bus(&catalog, support::options()).await;
    let (sender, mut batches) = mpsc::unbounded_channel();
    bus.subscribe_batch(
        SubscriptionOptions::batch("search-index", 4, Duration::from_millis(300)),
        Batches(sender),
    )
    .await
    .unwrap();
    let mut published = Vec::new();
    for _ in 0..10 {
        let event = support::deleted(Uuid::new_v4());
        published.push(event.event_id);
        bus.publish(event).await.unwrap();
    }
    let mut handled = Vec::new();
    while handled.len() < published.len() {
        let batch = support::next(&mut batches, "a batch").await;
        assert!(!batch.is_empty() && batch.len() <= 4, "{}", batch.len());
        handled.extend(batch);
    }
    assert_eq!(handled, published);
    support::clean_up(&bus, &catalog).await;
}
