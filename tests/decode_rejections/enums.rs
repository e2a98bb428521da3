//! Enums.

use super::*;

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
