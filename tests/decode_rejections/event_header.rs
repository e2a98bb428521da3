//! The header: eventType, eventVersion, aggregateType.

use super::*;

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
