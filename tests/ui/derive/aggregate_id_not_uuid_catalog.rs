// With a catalog, the catalog's aggregate id field must also be a Uuid.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "characters.character.deleted", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct CharacterDeleted {
    pub character_id: String,
    pub name: String,
    pub deletion_reason: String,
    pub deleted_by: Uuid,
}

fn main() {}
