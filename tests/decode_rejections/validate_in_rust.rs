//! EventPayload::validate on values built in Rust.

use super::*;

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
