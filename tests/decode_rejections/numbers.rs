//! Numbers.

use super::*;

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
