//! What decoding tolerates.

use super::*;

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
