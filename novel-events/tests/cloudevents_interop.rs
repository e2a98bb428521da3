//! CloudEvents interop against an implementation we did not write: the CloudEvents SDK for
//! Python (`cloudevents` 2.2.0, installed by `bash scripts/interop.sh`). Our structured and
//! binary output is read by the SDK, and every attribute and the data as the SDK sees them
//! are asserted here; events the SDK writes (from the specification's events, hand-written in
//! `tests/fixtures/novel-engine/`) are read by our decoder into typed envelopes; bad events
//! the SDK writes are refused with an error naming the attribute.

mod cloudevents_sdk;

use chrono::{DateTime, Utc};
use cloudevents_sdk::sdk;
use novel_events::cloudevents::{CloudEventError, CloudEvents, STRUCTURED_CONTENT_TYPE};
use novel_events::novel_engine::characters::{CharacterCreated, CharacterType};
use novel_events::novel_engine::{AnyEvent, CATALOG};
use novel_events::{Envelope, Limits};
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// Events of the specification, with and without userId, trace and schema.
const FIXTURES: [&str; 6] = [
    "CharacterCreated",
    "StoryGenerated",
    "DialogueExchanged",
    "SystemHealthChanged",
    "WorldStateChanged",
    "UserAuthenticated",
];

fn mapping() -> CloudEvents {
    CloudEvents::for_catalog(&CATALOG)
}

/// The hand-written fixture, as JSON.
fn fixture_json(name: &str) -> Value {
    let path = format!(
        "{}/../tests/fixtures/novel-engine/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

fn envelope_of(json: &Value) -> Envelope<AnyEvent> {
    Envelope::from_json(&serde_json::to_vec(json).unwrap(), &Limits::default()).unwrap()
}

/// Fixtures, and variants of them without the optional fields, with a trace that is not a
/// W3C trace context and a source that needs percent-encoding.
fn envelopes() -> Vec<Value> {
    let mut all = Vec::new();
    for name in FIXTURES {
        let json = fixture_json(name);
        let mut bare = json.clone();
        let object = bare.as_object_mut().unwrap();
        object.remove("userId");
        object["metadata"] = json!({ "source": "Ünïcode \"service\" 100%" });
        let mut traced = json.clone();
        traced["metadata"]["trace"] = json!("request 42 / tenant ☂");
        all.extend([json, bare, traced]);
    }
    all
}

/// What the SDK must see of an envelope, from the envelope's JSON and the mapping's table.
fn expected_attributes(envelope: &Value) -> Map<String, Value> {
    let field = |key: &str| envelope[key].clone();
    let mut attributes = json!({
        "specversion": "1.0",
        "id": field("eventId"),
        "source": envelope["metadata"]["source"],
        "type": field("eventType"),
        "subject": field("aggregateId"),
        "datacontenttype": "application/json",
        "dataschema": format!(
            "urn:novel-events:novel-engine:{}:{}",
            field("eventType").as_str().unwrap(),
            field("eventVersion").as_str().unwrap()
        ),
        "eventversion": field("eventVersion"),
        "aggregatetype": field("aggregateType"),
        "correlationid": field("correlationId"),
        "causationid": field("causationId"),
    });
    let attributes = attributes.as_object_mut().unwrap();
    if let Some(user) = envelope.get("userId") {
        attributes.insert("userid".into(), user.clone());
    }
    if let Some(Value::String(trace)) = envelope["metadata"].get("trace") {
        let w3c = trace.len() == 55 && trace.starts_with("00-") && !trace.contains(' ');
        attributes.insert(
            (if w3c { "traceparent" } else { "trace" }).into(),
            json!(trace),
        );
    }
    if let Some(schema) = envelope["metadata"].get("schema") {
        attributes.insert("schema".into(), schema.clone());
    }
    attributes.clone()
}

/// Asserts the SDK's view of an event against the envelope it came from.
fn assert_seen(seen: &Value, envelope: &Value, mode: &str) {
    let mut attributes = seen["attributes"].as_object().unwrap().clone();
    let time = attributes.remove("time").expect("the SDK sees `time`");
    let time = DateTime::parse_from_rfc3339(time.as_str().unwrap()).unwrap();
    let timestamp: DateTime<Utc> = serde_json::from_value(envelope["timestamp"].clone()).unwrap();
    assert_eq!(time, timestamp, "{mode}: time");
    assert_eq!(
        attributes,
        expected_attributes(envelope),
        "{mode}: attributes"
    );
    assert_eq!(seen["data"], envelope["payload"], "{mode}: data");
}

#[test]
fn the_sdk_reads_our_structured_and_binary_events() {
    for json in envelopes() {
        let envelope = envelope_of(&json);
        let structured = mapping().to_structured(&envelope).unwrap();
        let seen = sdk(&json!({
            "op": "read",
            "mode": "structured",
            "headers": { "content-type": STRUCTURED_CONTENT_TYPE },
            "body": String::from_utf8(structured).unwrap(),
        }));
        assert_seen(&seen, &json, "structured");

        let binary = mapping().to_binary(&envelope).unwrap();
        let headers: Map<String, Value> = binary
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), json!(value)))
            .collect();
        let seen = sdk(&json!({
            "op": "read",
            "mode": "binary",
            "headers": headers,
            "body": String::from_utf8(binary.body).unwrap(),
        }));
        assert_seen(&seen, &json, "binary");
    }
}

/// The SDK's message for an envelope, with attributes dropped or set.
fn written_by_sdk(
    mode: &str,
    envelope: &Value,
    drop: &[&str],
    set: Value,
) -> (Vec<(String, String)>, Vec<u8>) {
    let message = sdk(&json!({
        "op": "write",
        "mode": mode,
        "envelope": envelope,
        "drop": drop,
        "set": set,
    }));
    let headers = message["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, value)| (name.clone(), value.as_str().unwrap().to_owned()))
        .collect();
    (
        headers,
        message["body"].as_str().unwrap().as_bytes().to_vec(),
    )
}

fn read_sdk_message<P: novel_events::EventPayload>(
    mode: &str,
    (headers, body): &(Vec<(String, String)>, Vec<u8>),
) -> Result<Envelope<P>, CloudEventError> {
    if mode == "structured" {
        assert_eq!(
            headers,
            &[(
                "content-type".to_owned(),
                STRUCTURED_CONTENT_TYPE.to_owned()
            )]
        );
        mapping().from_structured(body)
    } else {
        mapping().from_binary(headers.iter().map(|(n, v)| (n.as_str(), v.as_str())), body)
    }
}

#[test]
fn we_read_the_sdks_structured_and_binary_events() {
    for json in envelopes() {
        let reference = envelope_of(&json);
        for mode in ["structured", "binary"] {
            let message = written_by_sdk(mode, &json, &[], json!({}));
            let envelope: Envelope<AnyEvent> = read_sdk_message(mode, &message)
                .unwrap_or_else(|error| panic!("{mode} {}: {error}", json["eventType"]));
            let id = |key: &str| Uuid::parse_str(json[key].as_str().unwrap()).unwrap();
            assert_eq!(envelope.event_id, id("eventId"), "{mode}");
            assert_eq!(envelope.event_type(), json["eventType"], "{mode}");
            assert_eq!(envelope.event_version(), json["eventVersion"], "{mode}");
            assert_eq!(envelope.aggregate_id, id("aggregateId"), "{mode}");
            assert_eq!(envelope.aggregate_type(), json["aggregateType"], "{mode}");
            assert_eq!(envelope.correlation_id, id("correlationId"), "{mode}");
            assert_eq!(envelope.causation_id, id("causationId"), "{mode}");
            assert_eq!(
                envelope.user_id.map(|user| user.to_string()),
                json.get("userId")
                    .map(|user| user.as_str().unwrap().to_owned()),
                "{mode}"
            );
            assert_eq!(
                serde_json::to_value(&envelope.payload).unwrap(),
                json["payload"],
                "{mode}"
            );
            assert_eq!(
                serde_json::to_value(&envelope.metadata).unwrap(),
                json["metadata"],
                "{mode}"
            );
            assert_eq!(envelope, reference, "{mode}");
        }
    }
}

#[test]
fn a_typed_reader_gets_the_specifications_character() {
    let json = fixture_json("CharacterCreated");
    for mode in ["structured", "binary"] {
        let message = written_by_sdk(mode, &json, &[], json!({}));
        let created: Envelope<CharacterCreated> = read_sdk_message(mode, &message).unwrap();
        assert_eq!(created.payload.name, "Elara Voss");
        assert_eq!(created.payload.r#type, CharacterType::Protagonist);
        assert_eq!(created.payload.personality_traits.openness, 0.82);
        assert_eq!(created.timestamp.to_rfc3339(), "2025-08-26T09:02:14+00:00");
        assert_eq!(
            created.metadata.trace.as_deref(),
            Some("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        );
    }
}

#[test]
fn bad_events_the_sdk_writes_are_refused_naming_the_attribute() {
    let json = fixture_json("CharacterCreated");
    for mode in ["structured", "binary"] {
        let message = written_by_sdk(mode, &json, &["eventversion"], json!({}));
        let error = read_sdk_message::<AnyEvent>(mode, &message).unwrap_err();
        assert_eq!(
            error,
            CloudEventError::Missing {
                attribute: "eventversion"
            },
            "{mode}"
        );
        assert_eq!(
            error.to_string(),
            "the CloudEvent has no `eventversion` attribute (the envelope's eventVersion)"
        );

        let message = written_by_sdk(
            mode,
            &json,
            &[],
            json!({ "type": "characters.character.cloned" }),
        );
        let error = read_sdk_message::<AnyEvent>(mode, &message).unwrap_err();
        assert_eq!(error.attribute(), Some("type"), "{mode}: {error}");
        assert!(
            error.to_string().contains("characters.character.cloned"),
            "{error}"
        );

        let message = written_by_sdk(mode, &json, &[], json!({ "userid": "elara" }));
        let error = read_sdk_message::<AnyEvent>(mode, &message).unwrap_err();
        assert_eq!(error.attribute(), Some("userid"), "{mode}: {error}");

        let message = written_by_sdk(mode, &json, &[], json!({ "datacontenttype": "text/plain" }));
        let error = read_sdk_message::<AnyEvent>(mode, &message).unwrap_err();
        assert_eq!(
            error,
            CloudEventError::ContentType {
                found: "text/plain".into()
            },
            "{mode}"
        );

        let message = written_by_sdk(mode, &json, &["subject"], json!({}));
        let error = read_sdk_message::<AnyEvent>(mode, &message).unwrap_err();
        assert_eq!(
            error,
            CloudEventError::Missing {
                attribute: "subject"
            },
            "{mode}"
        );
    }
    // The SDK itself refuses a specversion other than 1.0: ours does too (see cloudevents.rs).
    let refused = cloudevents_sdk::try_sdk(&json!({
        "op": "write", "mode": "structured", "envelope": json, "set": { "specversion": "0.9" },
    }));
    assert!(refused.unwrap_err().contains("specversion"));
}
