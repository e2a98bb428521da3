//! Duplicate keys.

use super::*;

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
