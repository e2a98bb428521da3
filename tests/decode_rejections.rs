//! Strict decoding: each rule of the crate documentation ("Decoding rules"), checked by breaking
//! a hand-written fixture and reading the error, which must name the field's path. Also what
//! decoding tolerates: unknown fields, any key order, an absent or null `userId`.

use novel_events::novel_engine::characters::{CharacterRelationshipFormed, RelationshipType};
use novel_events::novel_engine::narratives::{self, Genre};
use novel_events::novel_engine::shared::SystemHealthChanged;
use novel_events::novel_engine::{AnyEvent, CATALOG, HealthStatus, characters};
use novel_events::{Envelope, EventPayload};
use novel_events_tests::{novel_engine_fixture, novel_engine_fixtures};
use serde_json::{Value, json};
use uuid::Uuid;

/// The fixture `name` after `edit`.
fn broken(name: &str, edit: impl FnOnce(&mut Value)) -> Value {
    let mut value = novel_engine_fixture(name);
    edit(&mut value);
    value
}

/// The error of decoding `value` as `Envelope<T>`, from JSON text and from a parsed `Value`;
/// both must fail and, once serde_json's position is removed, say the same thing.
fn error_as<T: EventPayload + std::fmt::Debug>(value: &Value) -> String
where
    Envelope<T>: serde::de::DeserializeOwned,
{
    let text = serde_json::to_string(value).unwrap();
    let from_text = match serde_json::from_str::<Envelope<T>>(&text) {
        Ok(envelope) => panic!("decoded, expected an error: {envelope:?}"),
        Err(error) => error.to_string(),
    };
    let from_value = match serde_json::from_value::<Envelope<T>>(value.clone()) {
        Ok(envelope) => panic!("decoded from a Value, expected an error: {envelope:?}"),
        Err(error) => error.to_string(),
    };
    let (message, position) = from_text
        .rsplit_once(" at line ")
        .unwrap_or_else(|| panic!("no position in {from_text:?}"));
    assert!(
        position.split(" column ").count() == 2,
        "one position at the end: {from_text}"
    );
    assert!(
        !message.contains(" at line "),
        "the position appears twice: {from_text}"
    );
    assert_eq!(message, from_value, "text and Value decoding disagree");
    from_value
}

/// The error of decoding `value` as `Envelope<AnyEvent>`.
fn error(value: &Value) -> String {
    error_as::<AnyEvent>(value)
}

fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(
            message.contains(part),
            "the error does not mention {part:?}: {message}"
        );
    }
}

fn remove(value: &mut Value, key: &str) {
    value
        .as_object_mut()
        .unwrap()
        .remove(key)
        .unwrap_or_else(|| panic!("no key {key}"));
}

/// `value` as JSON text with its keys in the order given (the other keys after them).
fn text_in_order(value: &Value, first: &[&str]) -> String {
    let object = value.as_object().unwrap();
    let mut parts: Vec<String> = first
        .iter()
        .map(|key| format!("{}:{}", json!(key), object[*key]))
        .collect();
    parts.extend(
        object
            .iter()
            .filter(|(key, _)| !first.contains(&key.as_str()))
            .map(|(key, value)| format!("{}:{value}", json!(key))),
    );
    format!("{{{}}}", parts.join(","))
}

// ---------------------------------------------------------------------------------------------
// Missing required fields

#[test]
fn a_missing_payload_field_is_named() {
    let message = error(&broken("CharacterDeleted", |value| {
        remove(&mut value["payload"], "name");
    }));
    assert_mentions(&message, &["payload", "name", "missing field"]);
    assert_eq!(message, "payload: missing field `name`");

    // The same from the typed envelope.
    let typed = error_as::<characters::CharacterDeleted>(&broken("CharacterDeleted", |value| {
        remove(&mut value["payload"], "name");
    }));
    assert_eq!(typed, message);
}

#[test]
fn a_missing_nested_field_is_named_with_its_object() {
    let message = error(&broken("CharacterCreated", |value| {
        remove(&mut value["payload"]["personalityTraits"], "neuroticism");
    }));
    assert_eq!(
        message,
        "payload.personalityTraits: missing field `neuroticism`"
    );
}

#[test]
fn a_null_required_field_is_refused() {
    let message = error(&broken("CharacterDeleted", |value| {
        value["payload"]["name"] = Value::Null;
    }));
    assert_mentions(&message, &["payload.name", "null"]);
}

#[test]
fn every_missing_envelope_key_is_named() {
    for key in [
        "eventId",
        "eventType",
        "eventVersion",
        "aggregateId",
        "aggregateType",
        "timestamp",
        "correlationId",
        "causationId",
        "payload",
        "metadata",
    ] {
        let message = error(&broken("CharacterCreated", |value| remove(value, key)));
        assert_eq!(message, format!("missing field `{key}`"));
    }
    let message = error(&broken("CharacterCreated", |value| {
        remove(&mut value["metadata"], "source");
    }));
    assert_eq!(message, "metadata: missing field `source`");
}

#[test]
fn user_id_may_be_absent_or_null() {
    for edit in [
        (|value: &mut Value| remove(value, "userId")) as fn(&mut Value),
        |value: &mut Value| value["userId"] = Value::Null,
    ] {
        let value = broken("CharacterCreated", edit);
        let envelope: Envelope<AnyEvent> = serde_json::from_value(value).unwrap();
        assert_eq!(envelope.user_id, None);
        let reencoded = serde_json::to_value(&envelope).unwrap();
        assert!(reencoded.get("userId").is_none(), "None is omitted");
        let mut expected = novel_engine_fixture("CharacterCreated");
        remove(&mut expected, "userId");
        assert_eq!(reencoded, expected);
    }
}

// ---------------------------------------------------------------------------------------------
// Wrong JSON types

#[test]
fn a_wrong_json_type_is_named_by_its_nested_path() {
    let message = error(&broken("CharacterCreated", |value| {
        value["payload"]["personalityTraits"]["openness"] = json!("0.82");
    }));
    assert_mentions(
        &message,
        &[
            "payload.personalityTraits.openness",
            "invalid type",
            "string",
        ],
    );
    assert!(
        message.starts_with("payload.personalityTraits.openness: "),
        "the path comes first: {message}"
    );
}

#[test]
fn a_wrong_json_type_at_the_payload_root_is_named() {
    for (field, wrong) in [
        ("name", json!(42)),
        ("background", json!(["a"])),
        ("characterId", json!(7)),
    ] {
        let message = error(&broken("CharacterCreated", |value| {
            value["payload"][field] = wrong;
        }));
        assert_mentions(&message, &[&format!("payload.{field}: "), "invalid type"]);
    }
    let message = error(&broken("ActionPerformed", |value| {
        value["payload"]["success"] = json!("true");
    }));
    assert_mentions(&message, &["payload.success", "expected a boolean"]);
    let message = error(&broken("StoryGenerationRequested", |value| {
        value["payload"]["themes"] = json!("redemption");
    }));
    assert_mentions(&message, &["payload.themes", "expected a sequence"]);
    let message = error(&broken("StoryGenerationRequested", |value| {
        value["payload"]["themes"][0] = json!(3);
    }));
    assert_mentions(&message, &["payload.themes", "invalid type: integer"]);
}

#[test]
fn a_wrong_json_type_in_the_header_is_named() {
    let message = error(&broken("CharacterCreated", |value| {
        value["eventType"] = json!(3);
    }));
    assert_mentions(&message, &["eventType", "invalid type: integer"]);
    let message = error(&broken("CharacterCreated", |value| {
        value["metadata"]["source"] = json!(false);
    }));
    assert_mentions(&message, &["metadata.source", "invalid type: boolean"]);
}

#[test]
fn an_envelope_that_is_not_an_object_is_refused() {
    for wrong in [json!([]), json!("envelope"), json!(null)] {
        let message = serde_json::from_value::<Envelope<AnyEvent>>(wrong)
            .unwrap_err()
            .to_string();
        assert_mentions(&message, &["invalid type", "event envelope"]);
    }
}

// ---------------------------------------------------------------------------------------------
// Enums

#[test]
fn a_value_outside_its_enum_lists_the_expected_values() {
    let message = error(&broken("StoryGenerationRequested", |value| {
        value["payload"]["genre"] = json!("scifi");
    }));
    assert_mentions(&message, &["payload.genre", "`scifi`"]);
    assert_eq!(Genre::VALUES.len(), 8);
    for expected in Genre::VALUES {
        assert_mentions(&message, &[&format!("`{expected}`")]);
    }
}

#[test]
fn a_value_outside_a_named_enum_type_lists_the_expected_values() {
    let message = error(&broken("SystemHealthChanged", |value| {
        value["payload"]["currentHealth"] = json!("Healthy");
    }));
    assert_mentions(&message, &["payload.currentHealth", "`Healthy`"]);
    for expected in HealthStatus::VALUES {
        assert_mentions(&message, &[&format!("`{expected}`")]);
    }
}

#[test]
fn an_enum_refuses_other_spellings_and_other_json_types() {
    for wrong in [
        json!("ALLY"),
        json!(" ally"),
        json!(0),
        json!(null),
        json!(true),
        json!(["ally"]),
    ] {
        let message = error(&broken("CharacterRelationshipFormed", |value| {
            value["payload"]["relationshipType"] = wrong.clone();
        }));
        assert_mentions(
            &message,
            &[
                "payload.relationshipType: ",
                "`ally`, `enemy`, `neutral`, `romantic`, `family`",
            ],
        );
        if !wrong.is_string() {
            assert_mentions(&message, &["invalid type"]);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Uuids and datetimes

#[test]
fn a_malformed_payload_uuid_is_named() {
    for wrong in [
        "not-a-uuid",
        "6b1f0e2d-9c8a-4b7e-a6d5-4c3b2a190f8",
        "6b1f0e2d-9c8a-4b7e-a6d5-4c3b2a190f8z",
        "",
    ] {
        let message = error(&broken("CharacterCreated", |value| {
            value["payload"]["characterId"] = json!(wrong);
        }));
        assert_mentions(&message, &["payload.characterId: ", "UUID"]);
    }
}

#[test]
fn a_malformed_uuid_in_an_array_is_named_by_its_array() {
    let message = error(&broken("StoryGenerationRequested", |value| {
        value["payload"]["characters"][1] = json!("nobody");
    }));
    assert_mentions(&message, &["payload.characters", "UUID"]);
}

#[test]
fn a_malformed_envelope_uuid_is_named() {
    for key in [
        "eventId",
        "aggregateId",
        "correlationId",
        "causationId",
        "userId",
    ] {
        let message = error(&broken("CharacterCreated", |value| {
            value[key] = json!("0f6c2a7e-3d41-4b9a-8e25");
        }));
        assert!(
            message.starts_with(&format!("{key}: ")) && message.contains("UUID"),
            "{key}: {message}"
        );
    }
}

#[test]
fn a_malformed_payload_datetime_is_named_and_explained() {
    for wrong in [
        "yesterday",
        "2025-13-01T10:00:00Z",
        "2025-08-26",
        "2025-08-26T10:15:00", // no offset
        "26/08/2025 10:15",
    ] {
        let message = error(&broken("PlotPointReached", |value| {
            value["payload"]["timestamp"] = json!(wrong);
        }));
        assert_mentions(&message, &["payload.timestamp: ", "RFC 3339"]);
    }
    let message = error(&broken("PlotPointReached", |value| {
        value["payload"]["timestamp"] = json!(1_756_203_300);
    }));
    assert_mentions(&message, &["payload.timestamp: ", "invalid type: integer"]);
}

#[test]
fn a_malformed_envelope_timestamp_is_named() {
    let message = error(&broken("PlotPointReached", |value| {
        value["timestamp"] = json!("2025-08-26 25:00:00Z");
    }));
    assert!(message.starts_with("timestamp: "), "{message}");
    assert_mentions(&message, &["RFC 3339"]);
}

#[test]
fn datetimes_with_an_offset_or_fraction_are_read_in_utc() {
    let value = broken("PlotPointReached", |value| {
        value["timestamp"] = json!("2025-08-26T12:15:00.5+02:00");
    });
    let envelope: Envelope<AnyEvent> = serde_json::from_value(value).unwrap();
    assert_eq!(
        envelope.timestamp.to_rfc3339(),
        "2025-08-26T10:15:00.500+00:00"
    );
}

// ---------------------------------------------------------------------------------------------
// Numbers

#[test]
fn a_number_out_of_bounds_names_the_field_and_the_bounds() {
    for wrong in [1.5, -0.25, 1.000_001] {
        let message = error(&broken("CharacterRelationshipFormed", |value| {
            value["payload"]["relationshipStrength"] = json!(wrong);
        }));
        assert_mentions(
            &message,
            &[
                "payload.relationshipStrength",
                &wrong.to_string(),
                "from 0 to 1",
            ],
        );
    }
    let message = error(&broken("StoryGenerated", |value| {
        value["payload"]["qualityScore"] = json!(2.0);
    }));
    assert_mentions(&message, &["payload.qualityScore", "from 0 to 1"]);
}

#[test]
fn the_bounds_are_inclusive() {
    for edge in [0.0, 1.0] {
        let value = broken("CharacterRelationshipFormed", |value| {
            value["payload"]["relationshipStrength"] = json!(edge);
        });
        let envelope: Envelope<CharacterRelationshipFormed> =
            serde_json::from_value(value).unwrap();
        assert_eq!(envelope.payload.relationship_strength, edge);
    }
}

#[test]
fn an_integer_field_refuses_a_float() {
    for wrong in [json!(12.5), json!(12.0), json!("12")] {
        let message = error(&broken("StoryGenerated", |value| {
            value["payload"]["wordCount"] = wrong;
        }));
        assert_mentions(&message, &["payload.wordCount", "invalid type"]);
    }
    let message = error(&broken("StoryGenerated", |value| {
        value["payload"]["generationMetrics"]["tokensConsumed"] = json!(1800.5);
    }));
    assert_mentions(
        &message,
        &["payload.generationMetrics.tokensConsumed", "floating point"],
    );
}

#[test]
fn a_number_field_accepts_an_integer() {
    let value = broken("CharacterRelationshipFormed", |value| {
        value["payload"]["relationshipStrength"] = json!(1);
    });
    let envelope: Envelope<CharacterRelationshipFormed> = serde_json::from_value(value).unwrap();
    assert_eq!(envelope.payload.relationship_strength, 1.0);
}

// ---------------------------------------------------------------------------------------------
// Objects

#[test]
fn a_non_object_where_an_object_is_declared_is_refused() {
    for wrong in [json!([]), json!("x"), json!(null), json!(3)] {
        let message = error(&broken("CharacterCreated", |value| {
            value["payload"]["configuration"] = wrong;
        }));
        assert_mentions(
            &message,
            &["payload.configuration: ", "invalid type", "expected a map"],
        );
    }
}

#[test]
fn a_nested_object_given_as_an_array_of_its_values_is_refused() {
    // serde's derive would read a struct from its field values in order; the catalog declares
    // an object.
    let message = error(&broken("CharacterCreated", |value| {
        value["payload"]["personalityTraits"] = json!([0.82, 0.47, 0.35, 0.58, 0.61]);
    }));
    assert_mentions(
        &message,
        &["payload.personalityTraits: ", "invalid type: sequence"],
    );
}

#[test]
fn a_payload_given_as_an_array_of_its_values_is_refused() {
    // The field values in declaration order, which serde's derive would accept.
    let fixture = novel_engine_fixture("CharacterDeleted");
    let values: Vec<Value> = CATALOG
        .event("characters.character.deleted", "1.0.0")
        .unwrap()
        .fields
        .iter()
        .map(|field| fixture["payload"][field.name].clone())
        .collect();
    assert_eq!(values.len(), 4);
    let payload_array = broken("CharacterDeleted", |value| {
        value["payload"] = Value::Array(values);
    });
    let message = error(&payload_array);
    assert_mentions(&message, &["payload: ", "invalid type: sequence"]);
    let message = error_as::<characters::CharacterDeleted>(&payload_array);
    assert_mentions(&message, &["payload: ", "invalid type: sequence"]);
    // Also when the payload comes first and is buffered.
    let text = text_in_order(&payload_array, &["payload"]);
    let message = serde_json::from_str::<Envelope<AnyEvent>>(&text)
        .unwrap_err()
        .to_string();
    assert_mentions(&message, &["payload: ", "invalid type: sequence"]);
}

#[test]
fn a_payload_struct_decoded_on_its_own_is_read_from_an_object_only() {
    // Outside an envelope too: the generated `Deserialize` has no sequence form.
    let fixture = novel_engine_fixture("CharacterDeleted");
    let payload = &fixture["payload"];
    let values: Vec<Value> = payload.as_object().unwrap().values().cloned().collect();
    let error = serde_json::from_value::<characters::CharacterDeleted>(Value::Array(values))
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "invalid type: sequence, expected struct CharacterDeleted"
    );
    // Keys that are not borrowed from the input (escaped, or read from a reader) are matched
    // like the others.
    let text = serde_json::to_string(payload)
        .unwrap()
        .replacen("\"name\"", "\"\\u006eame\"", 1);
    assert!(text.contains("u006eame"), "{text}");
    let decoded: characters::CharacterDeleted = serde_json::from_reader(text.as_bytes()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), *payload);
    let decoded: characters::CharacterDeleted = serde_json::from_str(&text).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), *payload);
}

#[test]
fn metadata_given_as_an_array_is_refused() {
    let message = error(&broken("CharacterCreated", |value| {
        value["metadata"] = json!(["character-service"]);
    }));
    assert_mentions(&message, &["metadata: ", "invalid type: sequence"]);
}

// ---------------------------------------------------------------------------------------------
// eventType, eventVersion, aggregateType

#[test]
fn an_unknown_event_type_suggests_the_nearest() {
    let message = error(&broken("CharacterCreated", |value| {
        value["eventType"] = json!("characters.character.create");
    }));
    assert_mentions(
        &message,
        &[
            "eventType",
            "unknown eventType `characters.character.create`",
            "novel-engine",
            "did you mean `characters.character.created`",
        ],
    );
    let message = error(&broken("CharacterCreated", |value| {
        value["eventType"] = json!("billing.invoice.paid");
    }));
    assert_mentions(&message, &["unknown eventType `billing.invoice.paid`"]);
    assert!(!message.contains("did you mean"), "{message}");
}

#[test]
fn an_unknown_version_of_a_known_type_lists_the_known_versions() {
    let message = error(&broken("CharacterCreated", |value| {
        value["eventVersion"] = json!("2.0.0");
    }));
    assert_mentions(
        &message,
        &[
            "eventVersion",
            "`characters.character.created`",
            "2.0.0",
            "known versions: 1.0.0",
        ],
    );
}

#[test]
fn a_typed_envelope_refuses_another_version() {
    let message = error_as::<characters::CharacterCreated>(&broken("CharacterCreated", |value| {
        value["eventVersion"] = json!("1.0.1");
    }));
    assert_mentions(&message, &["1.0.0", "1.0.1"]);
}

#[test]
fn an_aggregate_type_mismatch_is_refused() {
    let message = error(&broken("CharacterCreated", |value| {
        value["aggregateType"] = json!("Story");
    }));
    assert_mentions(
        &message,
        &[
            "aggregateType",
            "`Character`",
            "`Story`",
            "characters.character.created",
        ],
    );
    let message = error_as::<SystemHealthChanged>(&broken("SystemHealthChanged", |value| {
        value["aggregateType"] = json!("systemComponent");
    }));
    assert_mentions(&message, &["aggregateType", "`SystemComponent`"]);
}

#[test]
fn an_aggregate_id_that_is_not_the_payloads_is_refused() {
    let other = Uuid::new_v4();
    let message = error(&broken("CharacterCreated", |value| {
        value["aggregateId"] = json!(other.to_string());
    }));
    let fixture = novel_engine_fixture("CharacterCreated");
    let expected = fixture["payload"]["characterId"].as_str().unwrap();
    assert_mentions(&message, &["aggregateId", expected, &other.to_string()]);

    // A name-based id must be the UUID v5 of the component.
    let message = error(&broken("SystemHealthChanged", |value| {
        value["payload"]["component"] = json!("memory-service");
    }));
    let expected = novel_events::name_based_aggregate_id("memory-service").to_string();
    assert_mentions(&message, &["aggregateId", &expected]);
}

// ---------------------------------------------------------------------------------------------
// Duplicate keys

/// The fixture's text with `"key": value` inserted again right after the opening brace.
fn with_duplicate(name: &str, key: &str, value: &Value) -> String {
    let text = serde_json::to_string(&novel_engine_fixture(name)).unwrap();
    format!("{{{}:{value},{}", json!(key), &text[1..])
}

#[test]
fn a_duplicate_envelope_key_is_refused() {
    let fixture = novel_engine_fixture("CharacterCreated");
    for key in [
        "eventId",
        "eventType",
        "eventVersion",
        "aggregateId",
        "aggregateType",
        "timestamp",
        "correlationId",
        "causationId",
        "userId",
        "payload",
        "metadata",
    ] {
        let text = with_duplicate("CharacterCreated", key, &fixture[key]);
        let message = serde_json::from_str::<Envelope<AnyEvent>>(&text)
            .unwrap_err()
            .to_string();
        assert_mentions(&message, &[&format!("duplicate field `{key}`")]);
    }
}

#[test]
fn a_duplicate_payload_field_is_refused() {
    let text = serde_json::to_string(&novel_engine_fixture("CharacterDeleted")).unwrap();
    let text = text.replacen(
        "\"payload\":{",
        "\"payload\":{\"name\":\"Someone Else\",",
        1,
    );
    let message = serde_json::from_str::<Envelope<AnyEvent>>(&text)
        .unwrap_err()
        .to_string();
    assert_mentions(&message, &["payload", "duplicate field `name`"]);
}

// ---------------------------------------------------------------------------------------------
// What decoding tolerates

#[test]
fn unknown_fields_are_ignored_and_not_reencoded() {
    for (name, _) in novel_engine_fixtures() {
        let fixture = novel_engine_fixture(&name);
        let extended = broken(&name, |value| {
            value["schemaRevision"] = json!(7);
            value["headers"] = json!({ "x-tenant": "acme", "nested": [1, 2, { "deep": null }] });
            value["payload"]["addedInV1_1"] = json!("new writer field");
            value["payload"]["eventType"] = json!("not the envelope's");
            value["metadata"]["region"] = json!("eu-west-1");
        });
        let envelope: Envelope<AnyEvent> = serde_json::from_value(extended.clone())
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(
            serde_json::to_value(&envelope).unwrap(),
            fixture,
            "{name}: the unknown fields should be dropped"
        );
        // From text too, where unknown values are skipped without being built.
        let envelope: Envelope<AnyEvent> =
            serde_json::from_str(&serde_json::to_string(&extended).unwrap()).unwrap();
        assert_eq!(serde_json::to_value(&envelope).unwrap(), fixture, "{name}");
    }
}

#[test]
fn unknown_fields_in_nested_objects_are_ignored() {
    let fixture = novel_engine_fixture("CharacterCreated");
    let extended = broken("CharacterCreated", |value| {
        value["payload"]["personalityTraits"]["curiosity"] = json!(0.9);
    });
    let envelope: Envelope<characters::CharacterCreated> =
        serde_json::from_value(extended).unwrap();
    assert_eq!(serde_json::to_value(&envelope).unwrap(), fixture);
}

#[test]
fn any_key_order_decodes_the_same() {
    for (name, text) in novel_engine_fixtures() {
        let fixture = novel_engine_fixture(&name);
        let expected: Envelope<AnyEvent> = serde_json::from_str(&text).unwrap();
        for first in [
            &["payload"][..],
            &["payload", "eventVersion"],
            &["eventVersion", "payload", "eventType"],
            &["metadata", "payload", "aggregateType"],
        ] {
            let reordered = text_in_order(&fixture, first);
            let decoded: Envelope<AnyEvent> = serde_json::from_str(&reordered)
                .unwrap_or_else(|error| panic!("{name} with {first:?} first: {error}"));
            assert_eq!(decoded, expected, "{name} with {first:?} first");
        }
    }
}

#[test]
fn a_payload_before_its_event_type_still_reports_paths() {
    let value = broken("CharacterCreated", |value| {
        value["payload"]["personalityTraits"]["openness"] = json!("high");
    });
    let text = text_in_order(&value, &["payload"]);
    let message = serde_json::from_str::<Envelope<AnyEvent>>(&text)
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("payload.personalityTraits.openness: invalid type: string"),
        "{message}"
    );
    assert_eq!(message.matches(" at line ").count(), 1, "{message}");

    // A typed envelope too, and a missing eventType is reported as such.
    let fixture = novel_engine_fixture("CharacterCreated");
    let text = text_in_order(&fixture, &["payload"]);
    let typed: Envelope<characters::CharacterCreated> = serde_json::from_str(&text).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), fixture);
    let without_type = broken("CharacterCreated", |value| remove(value, "eventType"));
    let message =
        serde_json::from_str::<Envelope<AnyEvent>>(&text_in_order(&without_type, &["payload"]))
            .unwrap_err()
            .to_string();
    assert_mentions(&message, &["missing field `eventType`"]);
}

#[test]
fn a_typed_envelope_ignores_unknown_fields_and_key_order() {
    let fixture = novel_engine_fixture("StoryGenerated");
    let extended = broken("StoryGenerated", |value| {
        value["payload"]["language"] = json!("en");
    });
    let text = text_in_order(&extended, &["metadata", "payload"]);
    let envelope: Envelope<narratives::StoryGenerated> = serde_json::from_str(&text).unwrap();
    assert_eq!(serde_json::to_value(&envelope).unwrap(), fixture);
}

// ---------------------------------------------------------------------------------------------
// EventPayload::validate on values built in Rust

fn relationship(strength: f64) -> CharacterRelationshipFormed {
    CharacterRelationshipFormed {
        character_id: Uuid::new_v4(),
        related_character_id: Uuid::new_v4(),
        relationship_type: RelationshipType::Ally,
        relationship_strength: strength,
        context: "shared a watch on the long drift".into(),
        formation_event: "the salvage of the Amaranth".into(),
    }
}

#[test]
fn validate_reports_an_out_of_bounds_number_by_path() {
    for strength in [1.5, -0.1, f64::NAN, f64::INFINITY] {
        let error = relationship(strength).validate().unwrap_err();
        assert_eq!(error.violations.len(), 1, "{strength}: {error}");
        let violation = &error.violations[0];
        assert_eq!(violation.path, "payload.relationshipStrength");
        assert_mentions(&violation.message, &["from 0 to 1"]);
        assert_mentions(&error.to_string(), &["payload.relationshipStrength"]);

        // The same through AnyEvent and an envelope.
        let envelope = Envelope::new(AnyEvent::from(relationship(strength)), "tests");
        assert_eq!(
            envelope.payload.validate().unwrap_err().violations[0].path,
            "payload.relationshipStrength"
        );
    }
    for strength in [0.0, 0.5, 1.0] {
        relationship(strength)
            .validate()
            .unwrap_or_else(|error| panic!("{strength}: {error}"));
    }
}

#[test]
fn what_validate_refuses_does_not_decode() {
    // A value built in Rust out of bounds serializes, but the decoder refuses it back.
    let envelope = Envelope::new(relationship(1.5), "tests");
    let value = serde_json::to_value(&envelope).unwrap();
    let message = error_as::<CharacterRelationshipFormed>(&value);
    assert_mentions(&message, &["payload.relationshipStrength", "from 0 to 1"]);
}
