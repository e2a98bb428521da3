//! Events the bus suite publishes: Novel Engine characters, stamped by one source.

use novel_events::Envelope;
use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{
    AcquisitionMethod, CharacterCreated, CharacterDeleted, CharacterRelationshipFormed,
    CharacterSkillGained, CharacterType, PersonalityTraits, RelationshipType,
};
use uuid::Uuid;

pub(crate) type Env = Envelope<AnyEvent>;

pub(crate) const SOURCE: &str = "conformance-suite";

pub(crate) fn skill(aggregate: Uuid, level: i64) -> Env {
    Envelope::new(
        AnyEvent::from(CharacterSkillGained {
            character_id: aggregate,
            skill_name: "swordplay".into(),
            skill_level: level,
            acquisition_method: AcquisitionMethod::Training,
            context: "sparring".into(),
        }),
        SOURCE,
    )
}

pub(crate) fn deleted(aggregate: Uuid) -> Env {
    Envelope::new(AnyEvent::from(deleted_payload(aggregate)), SOURCE)
}

pub(crate) fn deleted_payload(aggregate: Uuid) -> CharacterDeleted {
    CharacterDeleted {
        character_id: aggregate,
        name: "Oren".into(),
        deletion_reason: "retired".into(),
        deleted_by: Uuid::from_u128(7),
    }
}

pub(crate) fn created(aggregate: Uuid) -> Env {
    Envelope::new(
        AnyEvent::from(CharacterCreated {
            character_id: aggregate,
            name: "Mira Vale".into(),
            r#type: CharacterType::Protagonist,
            personality_traits: PersonalityTraits {
                openness: 0.8,
                conscientiousness: 0.6,
                extraversion: 0.4,
                agreeableness: 0.7,
                neuroticism: 0.2,
            },
            background: "A cartographer of drowned cities.".into(),
            configuration: serde_json::Map::new(),
            created_by: Uuid::from_u128(7),
        }),
        SOURCE,
    )
}

pub(crate) fn relationship(strength: f64) -> AnyEvent {
    AnyEvent::from(CharacterRelationshipFormed {
        character_id: Uuid::new_v4(),
        related_character_id: Uuid::new_v4(),
        relationship_type: RelationshipType::Ally,
        relationship_strength: strength,
        context: "shared a campfire".into(),
        formation_event: "the flood".into(),
    })
}

pub(crate) fn level(envelope: &Env) -> Option<i64> {
    match &envelope.payload {
        AnyEvent::CharacterSkillGained(skill) => Some(skill.skill_level),
        _ => None,
    }
}
