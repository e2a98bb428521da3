// A #[serde(skip)] field is not read from the wire: a catalog field cannot be skipped.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "characters.character.deleted", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct CharacterDeleted {
    pub character_id: Uuid,
    pub name: String,
    #[serde(skip)]
    pub deletion_reason: String,
    pub deleted_by: Uuid,
}

fn main() {}
