//! Uuids and datetimes.

use super::*;

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
