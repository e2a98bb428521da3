// An `object` field needs a type that holds an object: a struct that is not declared as one
// (no `impl novel_events::catalog::holds::HoldsObject`) is refused.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Changes {
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "characters.character.updated", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct CharacterUpdated {
    pub character_id: Uuid,
    pub changes: Changes,
    pub previous_values: serde_json::Map<String, serde_json::Value>,
    pub updated_by: Uuid,
}

fn main() {}
