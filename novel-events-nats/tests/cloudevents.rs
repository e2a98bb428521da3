//! The JetStream bus publishing CloudEvents in the binary mode, on the real server: the raw
//! message is read by the CloudEvents SDK for Python (installed by `bash scripts/interop.sh`),
//! typed subscribers receive it, a stream mixing both encodings is read whole, and a dead
//! letter of a CloudEvents message holds its envelope and goes back on reprocessing.

#[allow(dead_code)]
#[path = "jetstream/support.rs"]
mod support;

#[allow(dead_code)]
#[path = "../../novel-events/tests/cloudevents_sdk/mod.rs"]
mod cloudevents_sdk;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use novel_events::cloudevents::CloudEvents;
use novel_events::novel_engine::CATALOG;
use novel_events::{DeadLetters as _, EventBus as _};
use novel_events::{HandlerError, HandlerResult, SubscriptionOptions, handler_fn};
use novel_events_nats::{BusOptions, Encoding};
use serde_json::{Map, Value, json};
use tokio::sync::mpsc;
use uuid::Uuid;

use support::Env;

fn cloudevents_options() -> BusOptions {
    support::options().with_encoding(Encoding::CloudEventsBinary(
        CloudEvents::for_catalog(&CATALOG).with_base_uri("https://schemas.example/novel-engine"),
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn published_cloudevents_are_read_by_the_sdk_and_by_typed_subscribers() {
    let catalog = support::catalog();
    let bus = support::bus(&catalog, cloudevents_options()).await;
    let (handler, mut received) = support::recorder();
    bus.subscribe(SubscriptionOptions::asynchronous("projector"), handler)
        .await
        .unwrap();
    let user = Uuid::new_v4();
    let event = support::skill(Uuid::new_v4(), 3)
        .with_user(user)
        .with_source("character service ☂")
        .with_trace("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    bus.publish(event.clone()).await.unwrap();
    assert_eq!(*support::next(&mut received, "the event").await, event);

    let jetstream = async_nats::jetstream::new(bus.client().clone());
    let stream = jetstream.get_stream(&catalog).await.unwrap();
    let raw = stream
        .get_last_raw_message_by_subject(&bus.subject_of(&event))
        .await
        .unwrap();
    let header = |name: &str| raw.headers.get(name).map(|value| value.as_str().to_owned());
    assert_eq!(header("Nats-Msg-Id"), Some(event.event_id.to_string()));
    assert_eq!(header("ce-id"), Some(event.event_id.to_string()));
    let body: Value = serde_json::from_slice(&raw.payload).unwrap();
    assert_eq!(
        body,
        serde_json::to_value(&event.payload).unwrap(),
        "the body is the data"
    );

    let headers: Map<String, Value> = raw
        .headers
        .iter()
        .map(|(name, values)| {
            let name: &str = name.as_ref();
            (name.to_owned(), json!(values[0].as_str()))
        })
        .collect();
    let seen = cloudevents_sdk::sdk(&json!({
        "op": "read",
        "mode": "binary",
        "headers": headers,
        "body": String::from_utf8(raw.payload.to_vec()).unwrap(),
    }));
    let attributes = &seen["attributes"];
    let text = |value: &dyn ToString| json!(value.to_string());
    for (name, expected) in [
        ("specversion", json!("1.0")),
        ("id", text(&event.event_id)),
        ("source", json!("character service ☂")),
        ("type", json!("characters.character.skill-gained")),
        ("subject", text(&event.aggregate_id)),
        ("datacontenttype", json!("application/json")),
        (
            "dataschema",
            json!(
                "https://schemas.example/novel-engine/characters.character.skill-gained/1.0.0.schema.json"
            ),
        ),
        ("eventversion", json!("1.0.0")),
        ("aggregatetype", json!("Character")),
        ("correlationid", text(&event.correlation_id)),
        ("causationid", text(&event.causation_id)),
        ("userid", text(&user)),
        (
            "traceparent",
            json!("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
        ),
    ] {
        assert_eq!(attributes[name], expected, "{name}");
    }
    let time = chrono::DateTime::parse_from_rfc3339(attributes["time"].as_str().unwrap()).unwrap();
    assert_eq!(
        time.timestamp_micros(),
        event.timestamp.timestamp_micros(),
        "the SDK keeps microseconds"
    );
    assert_eq!(seen["data"], body);
    support::clean_up(&bus, &catalog).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_stream_is_read_and_cloudevents_dead_letters_hold_their_envelope() {
    let catalog = support::catalog();
    // One bus of each encoding on the same catalog: a publisher migrating to CloudEvents.
    let plain = support::bus(&catalog, support::options()).await;
    let bus = support::bus(&catalog, cloudevents_options()).await;
    let failing = Arc::new(AtomicBool::new(true));
    let (sender, mut seen) = mpsc::unbounded_channel();
    let fail = failing.clone();
    bus.subscribe(
        SubscriptionOptions::asynchronous("ledger"),
        handler_fn(move |envelope: Arc<Env>| {
            let _ = sender.send(envelope.clone());
            let refuse = support::level(&envelope).is_none() && fail.load(Ordering::SeqCst);
            async move {
                if refuse {
                    Err(HandlerError::permanent("no ledger for a deleted character"))
                } else {
                    HandlerResult::Ok(())
                }
            }
        }),
    )
    .await
    .unwrap();
    let as_envelope = support::skill(Uuid::new_v4(), 1);
    let as_cloudevent = support::skill(Uuid::new_v4(), 2);
    let doomed = support::deleted(Uuid::new_v4()).with_user(Uuid::new_v4());
    plain.publish(as_envelope.clone()).await.unwrap();
    bus.publish(as_cloudevent.clone()).await.unwrap();
    bus.publish(doomed.clone()).await.unwrap();
    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(support::next(&mut seen, "an event").await);
    }
    got.sort_by_key(|envelope| envelope.event_id);
    let mut sent = vec![as_envelope, as_cloudevent, doomed.clone()];
    sent.sort_by_key(|envelope| envelope.event_id);
    assert_eq!(got.iter().map(|e| (**e).clone()).collect::<Vec<_>>(), sent);

    let letters = wait_for_letters(&bus, 1).await;
    let letter = &letters[0];
    assert_eq!(letter.error_code, "permanent");
    assert_eq!(letter.envelope().map(|event| &**event), Some(&doomed));

    failing.store(false, Ordering::SeqCst);
    bus.dead_letters().reprocess(letter.id).await.unwrap();
    assert_eq!(
        *support::next(&mut seen, "the reprocessed event").await,
        doomed
    );
    assert!(bus.dead_letters().list().await.unwrap().is_empty());
    plain.shutdown(std::time::Duration::from_secs(2)).await;
    support::clean_up(&bus, &catalog).await;
}

async fn wait_for_letters(
    bus: &support::Bus,
    count: usize,
) -> Vec<novel_events::DeadLetter<novel_events::novel_engine::AnyEvent>> {
    for _ in 0..100 {
        let letters = bus.dead_letters().list().await.unwrap();
        if letters.len() >= count {
            return letters;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no {count} dead letters within 10 s");
}

/// An envelope the CloudEvents mapping cannot write (an empty source) is refused as invalid,
/// the caller's to fix, not reported as an outage to retry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_envelope_without_a_source_is_refused_as_invalid_not_as_an_outage() {
    let catalog = support::catalog();
    let bus = support::bus(&catalog, cloudevents_options()).await;
    let event = support::skill(Uuid::new_v4(), 1).with_source("");
    let error = bus.publish(event).await.unwrap_err();
    assert!(
        matches!(error, novel_events::PublishError::Invalid { .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("cannot be written as a CloudEvent"),
        "{error}"
    );
}
