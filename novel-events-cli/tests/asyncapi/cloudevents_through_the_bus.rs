//! The `cloudevents-binary` document says what the JetStream bus does when it publishes
//! CloudEvents: events published through the real bus (`novel-events-nats` with
//! `Encoding::CloudEventsBinary`, on the server at `NOVEL_EVENTS_NATS_URL`, by default
//! `nats://127.0.0.1:4222`) arrive with headers that the headers schema of their message
//! accepts (validated with `jsonschema`, formats checked) and that it names one by one, and
//! with a body that the message's payload schema accepts. The validator is shown to refuse
//! headers that break the schema, so that its acceptance means something.

use std::time::Duration;

use futures_util::StreamExt;
use jsonschema::Validator;
use novel_events::cloudevents::CloudEvents;
use novel_events::novel_engine::characters::{
    AcquisitionMethod, CharacterDeleted, CharacterSkillGained,
};
use novel_events::novel_engine::{AnyEvent, CATALOG};
use novel_events::{Envelope, EventBus as _};
use novel_events_nats::{BusOptions, Encoding, JetStreamBus};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::support::{NOVEL_ENGINE, json_document};

type Env = Envelope<AnyEvent>;

/// The base URI both the bus and the document are given.
const BASE_URI: &str = "https://schemas.example/novel engine";

fn url() -> String {
    std::env::var("NOVEL_EVENTS_NATS_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".to_owned())
}

/// `value` with every local `$ref` replaced by what it points at in `document`.
fn inlined(document: &Value, value: &Value) -> Value {
    match value {
        Value::Object(object) => {
            if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
                let pointer = reference.strip_prefix('#').expect("a local reference");
                let target = document
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("`{pointer}` points at nothing"));
                return inlined(document, target);
            }
            Value::Object(
                object
                    .iter()
                    .map(|(key, value)| (key.clone(), inlined(document, value)))
                    .collect(),
            )
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|item| inlined(document, item)).collect())
        }
        other => other.clone(),
    }
}

fn validator(schema: &Value) -> Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|error| panic!("the schema does not compile: {error}\n{schema:#}"))
}

fn errors(validator: &Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|error| format!("{error} at `{}`", error.instance_path()))
        .collect()
}

/// Events that fill every optional header in turn: a user, a W3C trace, another trace, a
/// schema, a source that must be percent-encoded, a caused event.
fn events() -> Vec<Env> {
    let character = Uuid::new_v4();
    let gained = Envelope::new(
        AnyEvent::from(CharacterSkillGained {
            character_id: character,
            skill_name: "swordplay".into(),
            skill_level: 3,
            acquisition_method: AcquisitionMethod::Training,
            context: "sparring".into(),
        }),
        "character service ☂",
    );
    let deleted = |source: &str| {
        Envelope::new(
            AnyEvent::from(CharacterDeleted {
                character_id: character,
                name: "Oren \"the quiet\"".into(),
                deletion_reason: "retired".into(),
                deleted_by: Uuid::new_v4(),
            }),
            source,
        )
    };
    vec![
        gained
            .clone()
            .with_user(Uuid::new_v4())
            .with_trace("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
        deleted("cleanup-service")
            .with_trace("b3=80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1 100%")
            .with_schema("characters/deleted 1"),
        Envelope::caused_by(&gained, deleted("x").payload),
        deleted("plain"),
    ]
}

#[tokio::test(flavor = "current_thread")]
async fn every_raw_header_and_body_is_what_the_document_says() {
    let stream = format!("t{}", Uuid::new_v4().simple());
    let document = json_document(
        NOVEL_ENGINE,
        &[
            "--stream",
            &stream,
            "--encoding",
            "cloudevents-binary",
            "--base-uri",
            BASE_URI,
        ],
    );
    let url = url();
    let options = BusOptions::default().with_encoding(Encoding::CloudEventsBinary(
        CloudEvents::for_catalog(&CATALOG).with_base_uri(BASE_URI),
    ));
    let bus: JetStreamBus<AnyEvent> = match JetStreamBus::connect(&url, &stream, options).await {
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
    let mut optional_seen = std::collections::BTreeSet::new();
    for envelope in &events {
        let message = tokio::time::timeout(Duration::from_secs(10), wire.next())
            .await
            .expect("the message within 10 s")
            .expect("the subscription is open");
        let id = format!("{}.v{}", envelope.event_type(), envelope.event_version());
        let definition = &document["components"]["messages"][&id];
        let headers_schema = inlined(&document, &definition["headers"]);
        let payload_schema = inlined(&document, &definition["payload"]);

        let raw = message.headers.as_ref().expect("the bus sets headers");
        let mut headers = Map::new();
        for (name, values) in raw.iter() {
            let name: &str = name.as_ref();
            assert_eq!(values.len(), 1, "`{name}` is set once");
            headers.insert(name.to_owned(), Value::from(values[0].as_str()));
        }
        let headers = Value::Object(headers);
        let named = &headers_schema["allOf"][0]["properties"];
        for name in headers.as_object().expect("an object").keys() {
            assert!(
                named.get(name).is_some(),
                "{id}: the bus sets `{name}`, which the document does not name"
            );
            if !headers_schema["allOf"][0]["required"]
                .as_array()
                .expect("required")
                .contains(&Value::from(name.as_str()))
            {
                optional_seen.insert(name.clone());
            }
        }
        let headers_validator = validator(&headers_schema);
        let found = errors(&headers_validator, &headers);
        assert!(found.is_empty(), "{id}: {found:?}\n{headers:#}");
        assert_eq!(
            headers["ce-dataschema"],
            format!(
                "https://schemas.example/novel%20engine/{}/{}.schema.json",
                envelope.event_type(),
                envelope.event_version()
            )
            .as_str()
        );
        assert_eq!(headers["ce-id"], envelope.event_id.to_string().as_str());

        let body: Value = serde_json::from_slice(&message.payload).expect("a JSON body");
        assert_eq!(
            body,
            serde_json::to_value(&envelope.payload).expect("JSON"),
            "the body is the payload alone"
        );
        let found = errors(&validator(&payload_schema), &body);
        assert!(found.is_empty(), "{id}: {found:?}\n{body:#}");

        // The schema refuses what the bus must not send.
        for (name, wrong) in [
            ("ce-type", Some("characters.character.renamed")),
            ("ce-eventversion", Some("9.9.9")),
            ("ce-time", Some("yesterday")),
            ("ce-subject", Some("not-a-uuid")),
            ("ce-specversion", Some("0.3")),
            ("ce-source", None),
            ("ce-dataschema", None),
        ] {
            let mut broken = headers.clone();
            let object = broken.as_object_mut().expect("an object");
            match wrong {
                Some(value) => {
                    object.insert(name.to_owned(), Value::from(value));
                }
                None => {
                    object.remove(name);
                }
            }
            assert!(
                !errors(&headers_validator, &broken).is_empty(),
                "{id}: the headers schema accepts a wrong `{name}`"
            );
        }
    }
    assert_eq!(
        optional_seen.into_iter().collect::<Vec<_>>(),
        [
            "ce-schema",
            "ce-trace",
            "ce-traceparent",
            "ce-userid",
            "traceparent"
        ],
        "the events fill every optional header"
    );

    bus.shutdown(Duration::from_secs(2)).await;
    let jetstream = async_nats::jetstream::new(bus.client().clone());
    for name in [
        stream.clone(),
        format!("{stream}-reprocess"),
        format!("{stream}-dead-letters"),
        format!("{stream}-idempotency"),
    ] {
        let _ = jetstream.delete_stream(name).await;
    }
}
