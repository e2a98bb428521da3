//! The CloudEvents mapping: Envelope -> CloudEvent -> Envelope is the identity in both modes
//! for every combination of optional fields, and bad CloudEvents are refused with an error
//! naming the attribute.

use chrono::{DateTime, TimeZone, Utc};
use novel_events::cloudevents::{CloudEventError, CloudEvents};
use novel_events::novel_engine::characters::CharacterDeleted;
use novel_events::novel_engine::{AnyEvent, CATALOG};
use novel_events::{Envelope, Limits, Metadata};
use proptest::prelude::*;
use serde_json::{Value, json};
use uuid::Uuid;

fn mapping() -> CloudEvents {
    CloudEvents::for_catalog(&CATALOG)
}

fn fixture(name: &str) -> Envelope<AnyEvent> {
    let path = format!(
        "{}/../tests/fixtures/novel-engine/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    Envelope::from_json(&text, &Limits::default()).unwrap()
}

fn binary_headers(event: &novel_events::cloudevents::BinaryEvent) -> Vec<(&str, &str)> {
    event
        .headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect()
}

fn round_trip(envelope: &Envelope<AnyEvent>) -> Result<(), TestCaseError> {
    let mapping = mapping();
    let json = mapping.to_structured(envelope).unwrap();
    let back: Envelope<AnyEvent> = mapping
        .from_structured(&json)
        .map_err(|error| TestCaseError::fail(format!("structured: {error}")))?;
    prop_assert_eq!(&back, envelope);
    let binary = mapping.to_binary(envelope).unwrap();
    for (name, value) in &binary.headers {
        prop_assert!(
            value.bytes().all(|byte| (0x21..=0x7e).contains(&byte)),
            "{} is not printable ASCII: {:?}",
            name,
            value
        );
    }
    let back: Envelope<AnyEvent> = mapping
        .from_binary(binary_headers(&binary), &binary.body)
        .map_err(|error| TestCaseError::fail(format!("binary: {error}")))?;
    prop_assert_eq!(&back, envelope);
    Ok(())
}

fn timestamps() -> impl Strategy<Value = DateTime<Utc>> {
    let first = Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap().timestamp();
    let last = Utc
        .with_ymd_and_hms(9999, 12, 31, 23, 59, 59)
        .unwrap()
        .timestamp();
    let nanos = prop_oneof![
        Just(0u32),
        (0u32..1000).prop_map(|ms| ms * 1_000_000),
        (0u32..1_000_000).prop_map(|us| us * 1000),
        0u32..1_000_000_000,
    ];
    (first..=last, nanos).prop_map(|(seconds, nanos)| Utc.timestamp_opt(seconds, nanos).unwrap())
}

fn traces() -> impl Strategy<Value = String> {
    prop_oneof![
        // W3C trace contexts (written as `traceparent`).
        (1u128.., 1u64.., any::<u8>())
            .prop_map(|(trace, span, flags)| format!("00-{trace:032x}-{span:016x}-{flags:02x}")),
        // Not one, or not as the runtime writes one (written as `trace`).
        (1u128.., 1u64..).prop_map(|(trace, span)| format!("00-{trace:032X}-{span:016x}-01")),
        any::<String>(),
    ]
}

fn envelopes() -> impl Strategy<Value = Envelope<AnyEvent>> {
    let payloads = prop_oneof![
        (
            any::<u128>(),
            any::<String>(),
            any::<String>(),
            any::<u128>()
        )
            .prop_map(
                |(character, name, reason, by)| AnyEvent::from(CharacterDeleted {
                    character_id: Uuid::from_u128(character),
                    name,
                    deletion_reason: reason,
                    deleted_by: Uuid::from_u128(by),
                })
            ),
        Just(fixture("CharacterCreated").payload),
        Just(fixture("StoryGenerated").payload),
        Just(fixture("SystemHealthChanged").payload),
    ];
    (
        payloads,
        (any::<u128>(), any::<u128>(), any::<u128>()),
        timestamps(),
        proptest::option::of(any::<u128>()),
        "\\PC{1,24}",
        proptest::option::of(traces()),
        proptest::option::of(any::<String>()),
    )
        .prop_map(
            |(payload, (id, correlation, causation), timestamp, user, source, trace, schema)| {
                let aggregate_id = novel_events::EventPayload::aggregate_id(&payload);
                Envelope {
                    event_id: Uuid::from_u128(id),
                    aggregate_id,
                    timestamp,
                    correlation_id: Uuid::from_u128(correlation),
                    causation_id: Uuid::from_u128(causation),
                    user_id: user.map(Uuid::from_u128),
                    payload,
                    metadata: Metadata {
                        source,
                        trace,
                        schema,
                    },
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_envelope_survives_both_modes(envelope in envelopes()) {
        round_trip(&envelope)?;
    }
}

#[test]
fn every_fixture_survives_both_modes() {
    let directory = format!(
        "{}/../tests/fixtures/novel-engine",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut count = 0;
    for entry in std::fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path
            .extension()
            .is_some_and(|extension| extension == "json")
        {
            let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
            round_trip(&fixture(&name)).unwrap_or_else(|error| panic!("{name}: {error}"));
            count += 1;
        }
    }
    assert_eq!(count, 26);
}

#[test]
fn the_attributes_are_the_tables() {
    let envelope = fixture("CharacterCreated");
    let event: Value =
        serde_json::from_slice(&mapping().to_structured(&envelope).unwrap()).unwrap();
    assert_eq!(
        event,
        json!({
            "specversion": "1.0",
            "id": "0f6c2a7e-3d41-4b9a-8e25-71c4d9a0b3e1",
            "source": "character-service",
            "type": "characters.character.created",
            "subject": "6b1f0e2d-9c8a-4b7e-a6d5-4c3b2a190f8e",
            "time": "2025-08-26T09:02:14Z",
            "datacontenttype": "application/json",
            "dataschema": "urn:novel-events:novel-engine:characters.character.created:1.0.0",
            "eventversion": "1.0.0",
            "aggregatetype": "Character",
            "correlationid": "0f6c2a7e-3d41-4b9a-8e25-71c4d9a0b3e1",
            "causationid": "0f6c2a7e-3d41-4b9a-8e25-71c4d9a0b3e1",
            "userid": "3f2a9c4e-7b1d-4e8a-9c2f-5d6e7f8a9b01",
            "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "schema": "https://schemas.novel-engine.example/characters/character-created/1.0.0.json",
            "data": serde_json::to_value(&envelope.payload).unwrap(),
        })
    );
    for (name, _) in event.as_object().unwrap() {
        if name != "data" {
            assert!(name.len() <= 20, "{name}");
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                "{name}"
            );
        }
    }
    let binary = mapping()
        .with_base_uri("https://schemas.example/novel-engine/")
        .to_binary(&envelope.clone().with_source("character service ☂"))
        .unwrap();
    assert_eq!(binary.header("content-type"), Some("application/json"));
    assert_eq!(
        binary.header("ce-datacontenttype"),
        Some("application/json")
    );
    assert_eq!(
        binary.header("ce-source"),
        Some("character%20service%20%E2%98%82")
    );
    assert_eq!(
        binary.header("ce-dataschema"),
        Some("https://schemas.example/novel-engine/characters.character.created/1.0.0.schema.json")
    );
    assert_eq!(binary.header("ce-time"), Some("2025-08-26T09:02:14Z"));
    assert_eq!(
        serde_json::from_slice::<Value>(&binary.body).unwrap(),
        serde_json::to_value(&envelope.payload).unwrap()
    );
}

/// The structured form of a fixture, as a JSON object to break.
fn structured(name: &str) -> serde_json::Map<String, Value> {
    let json = mapping().to_structured(&fixture(name)).unwrap();
    serde_json::from_slice(&json).unwrap()
}

fn read(event: &serde_json::Map<String, Value>) -> Result<Envelope<AnyEvent>, CloudEventError> {
    mapping().from_structured(&serde_json::to_vec(event).unwrap())
}

#[test]
fn a_missing_required_attribute_is_named() {
    for attribute in [
        "specversion",
        "id",
        "source",
        "type",
        "subject",
        "time",
        "eventversion",
        "aggregatetype",
        "data",
    ] {
        let mut event = structured("CharacterDeleted");
        event.remove(attribute);
        let error = read(&event).unwrap_err();
        assert_eq!(error, CloudEventError::Missing { attribute }, "{attribute}");
        assert_eq!(error.attribute(), Some(attribute));
        assert!(
            error
                .to_string()
                .starts_with(&format!("the CloudEvent has no `{attribute}` attribute (")),
            "{error}"
        );
    }
    // The optional ones may be absent; correlation and causation then make a root event.
    let mut event = structured("StoryGenerated");
    for attribute in [
        "correlationid",
        "causationid",
        "userid",
        "traceparent",
        "schema",
        "dataschema",
        "datacontenttype",
    ] {
        event.remove(attribute);
    }
    let envelope = read(&event).unwrap();
    assert!(envelope.is_root());
    assert_eq!(envelope.user_id, None);
    assert_eq!(envelope.metadata, Metadata::from_source("story-engine"));
}

#[test]
fn a_wrong_specversion_is_refused() {
    for found in ["0.3", "1", "1.0.0", ""] {
        let mut event = structured("CharacterDeleted");
        event.insert("specversion".into(), json!(found));
        let error = read(&event).unwrap_err();
        assert_eq!(
            error,
            CloudEventError::SpecVersion {
                found: found.into()
            }
        );
        assert_eq!(
            error.to_string(),
            format!("specversion: expected `1.0` (CloudEvents 1.0), found `{found}`")
        );
    }
}

#[test]
fn a_type_the_catalog_does_not_know_is_refused_naming_type() {
    let mut event = structured("CharacterDeleted");
    event.insert("type".into(), json!("characters.character.deletd"));
    let error = read(&event).unwrap_err();
    assert_eq!(error.attribute(), Some("type"));
    let message = error.to_string();
    assert!(message.starts_with("type: "), "{message}");
    assert!(message.contains("characters.character.deletd"), "{message}");
    assert!(
        message.contains("characters.character.deleted"),
        "a suggestion: {message}"
    );

    let mut event = structured("CharacterDeleted");
    event.insert("eventversion".into(), json!("7.0.0"));
    let error = read(&event).unwrap_err();
    assert!(
        matches!(&error, CloudEventError::UnknownType { event_version, .. } if event_version == "7.0.0"),
        "{error}"
    );

    // A typed reader refuses any other event of its catalog.
    let json = mapping()
        .to_structured(&fixture("CharacterCreated"))
        .unwrap();
    let error = mapping()
        .from_structured::<CharacterDeleted>(&json)
        .unwrap_err();
    assert_eq!(error.attribute(), Some("type"), "{error}");
}

#[test]
fn malformed_attribute_values_are_refused_naming_them() {
    let cases: [(&str, Value, &str); 10] = [
        (
            "time",
            json!("26/08/2025 09:02"),
            "expected an RFC 3339 timestamp",
        ),
        (
            "time",
            json!("2025-08-26T09:02:14"),
            "expected an RFC 3339 timestamp",
        ),
        (
            "id",
            json!("42"),
            "expected a UUID (the envelope's eventId)",
        ),
        (
            "subject",
            json!("character-7"),
            "expected a UUID (the envelope's aggregateId)",
        ),
        ("correlationid", json!("not-a-uuid"), "expected a UUID"),
        ("causationid", json!(""), "expected a UUID"),
        ("userid", json!("someone"), "expected a UUID"),
        ("traceparent", json!("00-xyz-01"), "traceparent"),
        ("source", json!(""), "must not be empty"),
        ("eventversion", json!(1), "expected a string, found 1"),
    ];
    for (attribute, value, expected) in cases {
        let mut event = structured("CharacterDeleted");
        event.insert(attribute.into(), value.clone());
        let error = read(&event).unwrap_err();
        assert_eq!(
            error.attribute(),
            Some(attribute),
            "{attribute} = {value}: {error}"
        );
        let message = error.to_string();
        assert!(message.starts_with(&format!("{attribute}: ")), "{message}");
        assert!(message.contains(expected), "{message}");
    }
    let mut event = structured("CharacterCreated");
    event.insert("trace".into(), json!("some-trace"));
    let error = read(&event).unwrap_err();
    assert_eq!(error.attribute(), Some("trace"), "{error}");

    // An offset other than Z is the same instant.
    let mut event = structured("CharacterDeleted");
    event.insert("time".into(), json!("2025-08-26T11:02:14.5+02:00"));
    let envelope = read(&event).unwrap();
    assert_eq!(
        envelope.timestamp.to_rfc3339(),
        "2025-08-26T09:02:14.500+00:00"
    );
}

#[test]
fn a_datacontenttype_that_is_not_json_is_refused() {
    for found in [
        "text/plain",
        "application/xml",
        "application/json; charset=latin-1",
    ] {
        let mut event = structured("CharacterDeleted");
        event.insert("datacontenttype".into(), json!(found));
        let error = read(&event).unwrap_err();
        assert_eq!(
            error,
            CloudEventError::ContentType {
                found: found.into()
            }
        );
        assert_eq!(error.attribute(), Some("datacontenttype"));
    }
    for accepted in ["application/json", "Application/JSON; charset=UTF-8"] {
        let mut event = structured("CharacterDeleted");
        event.insert("datacontenttype".into(), json!(accepted));
        read(&event).unwrap();
    }
    let binary = mapping().to_binary(&fixture("CharacterDeleted")).unwrap();
    let mut headers = binary_headers(&binary);
    headers.retain(|(name, _)| *name != "ce-datacontenttype");
    for (name, value) in &mut headers {
        if *name == "content-type" {
            *value = "text/csv";
        }
    }
    let error = mapping()
        .from_binary::<AnyEvent, _>(headers, &binary.body)
        .unwrap_err();
    assert_eq!(
        error,
        CloudEventError::ContentType {
            found: "text/csv".into()
        }
    );
}

#[test]
fn the_data_is_checked_by_the_envelope_decoder_with_paths_from_data() {
    let mut event = structured("CharacterCreated");
    event["data"]["personalityTraits"]["openness"] = json!("high");
    let error = read(&event).unwrap_err();
    assert_eq!(error.attribute(), Some("data"));
    assert!(
        error
            .to_string()
            .starts_with("data.personalityTraits.openness: invalid type"),
        "{error}"
    );

    let mut event = structured("CharacterCreated");
    event["data"].as_object_mut().unwrap().remove("name");
    let error = read(&event).unwrap_err();
    assert!(
        error.to_string().starts_with("data: missing field `name`"),
        "{error}"
    );

    let mut event = structured("CharacterCreated");
    event.insert("aggregatetype".into(), json!("Story"));
    let error = read(&event).unwrap_err();
    assert_eq!(error.attribute(), Some("aggregatetype"), "{error}");
    assert!(
        error.to_string().contains("expected `Character`"),
        "{error}"
    );

    let mut event = structured("CharacterCreated");
    event.insert("subject".into(), json!(Uuid::nil()));
    let error = read(&event).unwrap_err();
    assert_eq!(error.attribute(), Some("subject"), "{error}");

    let mut event = structured("CharacterCreated");
    let data = event.remove("data").unwrap();
    event.insert("data_base64".into(), json!(data.to_string()));
    let error = read(&event).unwrap_err();
    assert_eq!(error.attribute(), Some("data_base64"), "{error}");
}

#[test]
fn structured_input_gets_the_envelopes_protection() {
    let json = serde_json::to_string(&structured("CharacterDeleted")).unwrap();
    let twice = json.replacen("\"type\":", "\"type\":\"x\",\"type\":", 1);
    let error = mapping()
        .from_structured::<AnyEvent>(twice.as_bytes())
        .unwrap_err();
    assert!(matches!(error, CloudEventError::Format { .. }), "{error}");
    assert!(
        error.to_string().contains("duplicate field `type`"),
        "{error}"
    );

    let nested = json.replacen(
        "\"data\":{",
        "\"data\":{\"deep\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],",
        1,
    );
    let error = mapping()
        .from_structured::<AnyEvent>(nested.as_bytes())
        .unwrap_err();
    assert!(error.to_string().contains("max_depth"), "{error}");

    let mut padded = structured("CharacterDeleted");
    padded.insert("padding".into(), json!("x".repeat(1024)));
    let padded = serde_json::to_vec(&padded).unwrap();
    let small = mapping().with_limits(Limits::default().with_max_envelope_bytes(1024).unwrap());
    let error = small.from_structured::<AnyEvent>(&padded).unwrap_err();
    assert!(error.to_string().contains("max_envelope_bytes"), "{error}");

    let mut long = structured("CharacterDeleted");
    long["data"]["name"] = json!("Oren Kast ".repeat(30));
    let envelope = read(&long).unwrap();
    let short = mapping().with_limits(Limits::default().with_max_string_bytes(256).unwrap());
    let error = short
        .from_structured::<AnyEvent>(&serde_json::to_vec(&long).unwrap())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "not a CloudEvent in the JSON format: data.name: a string of 300 bytes is longer than the limit `max_string_bytes` (256)"
    );
    let binary = short.to_binary(&envelope).unwrap();
    let error = short
        .from_binary::<AnyEvent, _>(binary_headers(&binary), &binary.body)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "data.name: a string of 300 bytes is longer than the limit `max_string_bytes` (256)"
    );

    for garbage in [
        &b"[1, 2]"[..],
        b"not json",
        b"{\"specversion\": \"1.0\"} trailing",
    ] {
        let error = mapping().from_structured::<AnyEvent>(garbage).unwrap_err();
        assert!(matches!(error, CloudEventError::Format { .. }), "{error}");
    }
}

#[test]
fn binary_headers_are_read_case_insensitively_and_checked() {
    let envelope = fixture("CharacterCreated").with_source("service \"quoted\" 100%");
    let binary = mapping().to_binary(&envelope).unwrap();
    let upper: Vec<(String, String)> = binary
        .headers
        .iter()
        .map(|(name, value)| (name.to_ascii_uppercase(), value.clone()))
        .chain([
            ("Nats-Msg-Id".to_owned(), "x".to_owned()),
            ("ce-otherextension".to_owned(), "1".to_owned()),
        ])
        .collect();
    let back: Envelope<AnyEvent> = mapping()
        .from_binary(
            upper.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            &binary.body,
        )
        .unwrap();
    assert_eq!(back, envelope);

    let mut headers = binary_headers(&binary);
    headers.push(("ce-id", "0f6c2a7e-3d41-4b9a-8e25-71c4d9a0b3e2"));
    let error = mapping()
        .from_binary::<AnyEvent, _>(headers, &binary.body)
        .unwrap_err();
    assert_eq!(error.attribute(), Some("id"));
    assert!(error.to_string().starts_with("id: given twice"), "{error}");

    let mut headers = binary_headers(&binary);
    for (name, value) in &mut headers {
        if *name == "ce-source" {
            *value = "broken%2";
        }
    }
    let error = mapping()
        .from_binary::<AnyEvent, _>(headers, &binary.body)
        .unwrap_err();
    assert_eq!(error.attribute(), Some("source"), "{error}");

    let mut headers = binary_headers(&binary);
    for (name, value) in &mut headers {
        if *name == "ce-datacontenttype" {
            *value = "application/json;charset=utf-8";
        }
    }
    let error = mapping()
        .from_binary::<AnyEvent, _>(headers, &binary.body)
        .unwrap_err();
    assert!(
        matches!(error, CloudEventError::Duplicate { .. }),
        "{error}"
    );

    let error = mapping()
        .from_binary::<AnyEvent, _>(binary_headers(&binary), b"{\"name\": 1} ,\"userId\": null")
        .unwrap_err();
    assert!(error.to_string().starts_with("data: not JSON"), "{error}");
    let error = mapping()
        .from_binary::<AnyEvent, _>(binary_headers(&binary), b"")
        .unwrap_err();
    assert_eq!(error, CloudEventError::Missing { attribute: "data" });
}

#[test]
fn envelopes_a_cloudevent_cannot_hold_are_refused_when_written() {
    let envelope = fixture("CharacterDeleted").with_source("");
    let error = mapping().to_structured(&envelope).unwrap_err();
    assert_eq!(error.attribute(), Some("source"));
    let mut envelope = fixture("CharacterDeleted");
    envelope.timestamp = Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).unwrap();
    let error = mapping().to_binary(&envelope).unwrap_err();
    assert_eq!(error.attribute(), Some("time"));
}

#[test]
fn the_envelope_json_of_a_cloudevent_is_the_envelope() {
    let envelope = fixture("DialogueExchanged");
    let json = mapping().to_structured(&envelope).unwrap();
    let carried = mapping().structured_to_envelope_json(&json).unwrap();
    assert_eq!(
        Envelope::<AnyEvent>::from_json(&carried, &Limits::default()).unwrap(),
        envelope
    );
    let binary = mapping().to_binary(&envelope).unwrap();
    let carried = mapping()
        .binary_to_envelope_json(binary_headers(&binary), &binary.body)
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&carried).unwrap(),
        serde_json::to_value(&envelope).unwrap()
    );
}
