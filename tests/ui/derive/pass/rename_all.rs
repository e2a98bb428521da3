// #[serde(rename_all = "camelCase")] gives the catalog's names; a field's own rename wins.
#![deny(warnings)]

use novel_events::{Event, EventCategory, EventPayload};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "characters.character.updated", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct CharacterUpdated {
    pub character_id: Uuid,
    pub changes: serde_json::Map<String, serde_json::Value>,
    #[serde(rename = "previousValues")]
    pub before: serde_json::Map<String, serde_json::Value>,
    pub updated_by: Uuid,
}

fn main() {
    assert_eq!(CharacterUpdated::EVENT_TYPE, "characters.character.updated");
    assert_eq!(CharacterUpdated::CATEGORY, EventCategory::Domain);
    assert_eq!(CharacterUpdated::DESCRIPTION, "Character information has been modified");
    let updated = CharacterUpdated {
        character_id: Uuid::from_u128(1),
        changes: serde_json::Map::new(),
        before: serde_json::Map::new(),
        updated_by: Uuid::nil(),
    };
    assert_eq!(updated.aggregate_id(), Uuid::from_u128(1));
    let json = serde_json::to_value(&updated).unwrap();
    assert!(json.get("previousValues").is_some());
}
