//! The document says what the JetStream bus does. Events published through the real bus
//! (`novel-events-nats`, on the server at `NOVEL_EVENTS_NATS_URL`, by default
//! `nats://127.0.0.1:4222`) arrive on a subject that matches their channel's address and no
//! other channel's, with the headers the message's schema names and a body its payload schema
//! pins; and a subscription named after a service gets the durable consumer that the service's
//! receive operation names as its NATS `queue`.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{
    AcquisitionMethod, CharacterDeleted, CharacterSkillGained,
};
use novel_events::{Envelope, EventBus as _, HandlerResult, SubscriptionOptions, handler_fn};
use novel_events_nats::{BusOptions, JetStreamBus};
use serde_json::Value;
use uuid::Uuid;

use crate::support::{NOVEL_ENGINE, json_document};

type Env = Envelope<AnyEvent>;

fn url() -> String {
    std::env::var("NOVEL_EVENTS_NATS_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".to_owned())
}

fn resolve<'a>(document: &'a Value, reference: &Value) -> &'a Value {
    let pointer = reference["$ref"]
        .as_str()
        .and_then(|reference| reference.strip_prefix('#'))
        .unwrap_or_else(|| panic!("not a local reference: {reference}"));
    document
        .pointer(pointer)
        .unwrap_or_else(|| panic!("`{pointer}` points at nothing"))
}

/// The channels whose address, with a partition the document allows, is `subject`.
fn channels_matching<'a>(document: &'a Value, subject: &str) -> Vec<&'a str> {
    let partitions: Vec<&str> = document["components"]["parameters"]["partition"]["enum"]
        .as_array()
        .expect("the partitions")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    document["channels"]
        .as_object()
        .expect("channels")
        .iter()
        .filter(|(_, channel)| {
            let address = channel["address"].as_str().expect("an address");
            partitions
                .iter()
                .any(|partition| address.replace("{partition}", partition) == subject)
        })
        .map(|(id, _)| id.as_str())
        .collect()
}

fn events() -> Vec<Env> {
    let mut events = Vec::new();
    for _ in 0..4 {
        let character = Uuid::new_v4();
        events.push(Envelope::new(
            AnyEvent::from(CharacterSkillGained {
                character_id: character,
                skill_name: "swordplay".into(),
                skill_level: 3,
                acquisition_method: AcquisitionMethod::Training,
                context: "sparring".into(),
            }),
            "asyncapi-tests",
        ));
        events.push(Envelope::new(
            AnyEvent::from(CharacterDeleted {
                character_id: character,
                name: "Oren".into(),
                deletion_reason: "retired".into(),
                deleted_by: Uuid::new_v4(),
            }),
            "asyncapi-tests",
        ));
    }
    events
}

#[tokio::test(flavor = "current_thread")]
async fn subjects_headers_bodies_and_consumers_are_the_document_s() {
    let stream = format!("t{}", Uuid::new_v4().simple());
    let document = json_document(NOVEL_ENGINE, &["--stream", &stream, "--partitions", "4"]);
    let url = url();
    let bus: JetStreamBus<AnyEvent> = match JetStreamBus::connect(
        &url,
        &stream,
        BusOptions::default().with_partitions(4),
    )
    .await
    {
        Ok(bus) => bus,
        Err(error) => panic!(
            "this test needs nats-server with JetStream at {url} ({error}); start it with \
                 `bash scripts/services.sh`, or point NOVEL_EVENTS_NATS_URL at one"
        ),
    };
    let mut wire = bus
        .client()
        .subscribe(format!("{stream}.>"))
        .await
        .expect("a subscription to the stream's subjects");
    bus.client()
        .flush()
        .await
        .expect("the subscription is registered");

    let events = events();
    for envelope in &events {
        bus.publish(envelope.clone()).await.expect("published");
    }
    let mut partitions_seen = std::collections::BTreeSet::new();
    for envelope in &events {
        let message = tokio::time::timeout(Duration::from_secs(10), wire.next())
            .await
            .expect("the message within 10 s")
            .expect("the subscription is open");
        let subject = message.subject.to_string();
        assert_eq!(
            channels_matching(&document, &subject),
            [envelope.event_type()],
            "the subject `{subject}` is the address of `{}`'s channel and no other's",
            envelope.event_type()
        );
        partitions_seen.insert(subject.split('.').nth(1).map(str::to_owned));

        let channel = &document["channels"][envelope.event_type()];
        let definition = resolve(
            &document,
            &channel["messages"][format!("v{}", envelope.event_version())],
        );
        let headers = message.headers.as_ref().expect("the bus sets headers");
        let header = |name: &str| headers.get(name).map(|value| value.as_str().to_owned());
        let shared = resolve(&document, &definition["headers"]["allOf"][0]);
        for name in shared["required"].as_array().expect("required headers") {
            let name = name.as_str().expect("a header name");
            assert!(
                header(name).is_some(),
                "the bus sets `{name}` on `{subject}`"
            );
        }
        let pinned = &definition["headers"]["allOf"][1]["properties"];
        assert_eq!(
            header("Novel-Event-Type").as_deref(),
            pinned["Novel-Event-Type"]["const"].as_str()
        );
        assert_eq!(
            header("Novel-Event-Version").as_deref(),
            pinned["Novel-Event-Version"]["const"].as_str()
        );
        assert_eq!(header("Nats-Msg-Id"), Some(envelope.event_id.to_string()));

        let body: Value = serde_json::from_slice(&message.payload).expect("a JSON body");
        let schema = resolve(&document, &definition["payload"]);
        for key in schema["required"].as_array().expect("required keys") {
            let key = key.as_str().expect("a key");
            assert!(body.get(key).is_some(), "the body has `{key}`: {body}");
        }
        for key in ["eventType", "eventVersion", "aggregateType"] {
            assert_eq!(body[key], schema["properties"][key]["const"], "{key}");
        }
    }
    assert!(
        partitions_seen.len() > 1,
        "eight events on four aggregates over four partitions use more than one: {partitions_seen:?}"
    );

    let receive = &document["operations"]["cleanup-service.receive.characters.character.deleted"];
    let service = receive["x-novel-events-service"]
        .as_str()
        .expect("the service");
    let queue = receive["bindings"]["nats"]["queue"]
        .as_str()
        .expect("a queue");
    bus.subscribe(
        SubscriptionOptions::asynchronous(service),
        handler_fn(|_: Arc<Env>| async { HandlerResult::Ok(()) }),
    )
    .await
    .expect("subscribed");
    let jetstream = async_nats::jetstream::new(bus.client().clone());
    let consumer = jetstream
        .get_stream(&stream)
        .await
        .expect("the bus's stream is named as the document says")
        .consumer_info(queue)
        .await
        .unwrap_or_else(|error| {
            panic!("no durable consumer `{queue}` for the subscription `{service}`: {error}")
        });
    assert_eq!(consumer.name, queue);

    bus.shutdown(Duration::from_secs(2)).await;
    for name in [
        stream.clone(),
        format!("{stream}-reprocess"),
        format!("{stream}-dead-letters"),
        format!("{stream}-idempotency"),
    ] {
        let _ = jetstream.delete_stream(name).await;
    }
}
