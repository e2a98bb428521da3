//! Missing required fields.

use super::*;

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
