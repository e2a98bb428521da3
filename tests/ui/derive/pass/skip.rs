// A #[serde(skip)] field is not on the wire, so the catalog checks ignore it.
#![deny(warnings)]

use novel_events::EventPayload;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "characters.character.deleted", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct CharacterDeleted {
    pub character_id: Uuid,
    pub name: String,
    pub deletion_reason: String,
    pub deleted_by: Uuid,
    /// Local bookkeeping, never sent.
    #[serde(skip)]
    pub cache_hits: u32,
    #[serde(skip_deserializing)]
    pub local_note: String,
}

fn main() {
    let deleted = CharacterDeleted {
        character_id: Uuid::from_u128(3),
        name: "Aria".into(),
        deletion_reason: "retired".into(),
        deleted_by: Uuid::nil(),
        cache_hits: 12,
        local_note: String::new(),
    };
    assert_eq!(deleted.aggregate_id(), Uuid::from_u128(3));
    let json = serde_json::to_value(&deleted).unwrap();
    assert!(json.get("cacheHits").is_none());
    let back: CharacterDeleted = serde_json::from_value(json).unwrap();
    assert_eq!(back.cache_hits, 0);
}
