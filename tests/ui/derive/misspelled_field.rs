// A misspelled field is reported twice, together: as unknown, and its catalog field as missing.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "characters.character.deleted", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct CharacterDeleted {
    pub character_id: Uuid,
    pub name: String,
    pub deletion_reasn: String,
    pub deleted_by: Uuid,
}

fn main() {}
