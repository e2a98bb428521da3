//! Events the store suite appends: Novel Engine characters, and the hand-written fixtures.

use novel_events::Envelope;
use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{
    AcquisitionMethod, CharacterCreated, CharacterDeleted, CharacterRelationshipFormed,
    CharacterSkillGained, CharacterType, PersonalityTraits, RelationshipType,
};
use serde_json::Value;
use uuid::Uuid;

pub(crate) type Env = Envelope<AnyEvent>;

pub(crate) const SOURCE: &str = "store-conformance";

/// `CharacterCreated` of `character`, named `name`.
pub fn created(character: Uuid, name: &str) -> AnyEvent {
    AnyEvent::from(CharacterCreated {
        character_id: character,
        name: name.into(),
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
    })
}

/// `CharacterRelationshipFormed`: `character` became an ally of `other`, with this strength.
pub fn related(character: Uuid, other: Uuid, strength: f64) -> AnyEvent {
    AnyEvent::from(CharacterRelationshipFormed {
        character_id: character,
        related_character_id: other,
        relationship_type: RelationshipType::Ally,
        relationship_strength: strength,
        context: "shared a campfire".into(),
        formation_event: "the storm at Gull Point".into(),
    })
}

/// `CharacterSkillGained`: `character` reached this level in cartography.
pub fn skill(character: Uuid, level: i64) -> AnyEvent {
    AnyEvent::from(CharacterSkillGained {
        character_id: character,
        skill_name: "cartography".into(),
        skill_level: level,
        acquisition_method: AcquisitionMethod::Training,
        context: "mapped the sunken quarter".into(),
    })
}

/// `CharacterDeleted` of `character`.
pub fn deleted(character: Uuid) -> AnyEvent {
    AnyEvent::from(CharacterDeleted {
        character_id: character,
        name: "Oren".into(),
        deletion_reason: "retired".into(),
        deleted_by: Uuid::from_u128(7),
    })
}

/// A root envelope of `payload` (correlation and causation are its own id).
pub fn root(payload: AnyEvent) -> Env {
    Envelope::new(payload, SOURCE)
}

/// The 26 hand-written Novel Engine envelopes, with their JSON.
pub(crate) fn fixtures() -> Vec<(Env, Value)> {
    crate::novel_engine_fixtures()
        .into_iter()
        .map(|(name, text)| {
            let envelope: Env = serde_json::from_str(&text)
                .unwrap_or_else(|error| panic!("fixture {name}: {error}"));
            let json: Value = serde_json::from_str(&text).expect("fixtures are JSON");
            (envelope, json)
        })
        .collect()
}
