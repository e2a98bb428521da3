// Without #[serde(rename_all = "camelCase")], serde reads `character_id` as `character_id`:
// the catalog's camelCase fields are all unknown and missing.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[event(type = "characters.character.deleted", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct CharacterDeleted {
    pub character_id: Uuid,
    pub name: String,
    pub deletion_reason: String,
    pub deleted_by: Uuid,
}

fn main() {}
