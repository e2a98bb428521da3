//! Wrong JSON types.

use super::*;

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
