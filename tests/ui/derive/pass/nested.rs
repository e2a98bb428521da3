// A nested catalog object held by the catalog's generated struct, or by a user struct that
// is checked against it by `#[derive(EventObject)]`; an array of nested objects likewise.
#![deny(warnings)]

use novel_events::{Event, EventPayload};
use novel_events::novel_engine::characters::{CharacterType, PersonalityTraits};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "characters.character.created", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct WithGenerated {
    pub character_id: Uuid,
    pub name: String,
    pub r#type: CharacterType,
    pub personality_traits: PersonalityTraits,
    pub background: String,
    pub configuration: serde_json::Map<String, serde_json::Value>,
    pub created_by: Uuid,
}

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::EventObject)]
#[event(object = "PersonalityTraits", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct Traits {
    pub openness: f64,
    pub conscientiousness: f64,
    pub extraversion: f64,
    pub agreeableness: f64,
    pub neuroticism: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "characters.character.created", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct WithOwn {
    pub character_id: Uuid,
    pub name: String,
    pub r#type: CharacterType,
    pub personality_traits: Traits,
    pub background: String,
    pub configuration: std::collections::BTreeMap<String, serde_json::Value>,
    pub created_by: Uuid,
}

mod optional {
    novel_events::include_catalog!("ui/catalogs/derive_optional.yaml");
}

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "sensors.reading.taken", version = "1.0.0", catalog = "ui/catalogs/derive_optional.yaml")]
pub struct ReadingTaken {
    pub sensor_name: String,
    pub value: f32,
    pub unit: optional::sensors::Unit,
    pub note: Option<String>,
    pub battery: Option<i64>,
    pub retries: Option<i64>,
    pub mood: optional::Mood,
    pub location: optional::sensors::Location,
    pub tags: std::collections::BTreeSet<String>,
    pub samples: Vec<f64>,
    pub taken_at: chrono::DateTime<chrono::FixedOffset>,
}

fn main() {
    let traits = Traits { openness: 0.8, conscientiousness: 0.4, extraversion: 0.3, agreeableness: 0.5, neuroticism: 0.6 };
    let own = WithOwn {
        character_id: Uuid::from_u128(1),
        name: "Aria".into(),
        r#type: CharacterType::Protagonist,
        personality_traits: traits,
        background: String::new(),
        configuration: Default::default(),
        created_by: Uuid::nil(),
    };
    let json = serde_json::to_value(&own).unwrap();
    let generated: WithGenerated = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&generated).unwrap(), json);
    assert_eq!(generated.aggregate_id(), Uuid::from_u128(1));
    assert_eq!(WithOwn::SUBSCRIBERS, WithGenerated::SUBSCRIBERS);
    assert_eq!(ReadingTaken::EVENT_TYPE, optional::sensors::ReadingTaken::EVENT_TYPE);
}
