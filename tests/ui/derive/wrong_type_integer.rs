// An `integer` field cannot be a float.
use novel_events::novel_engine::characters::AcquisitionMethod;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "characters.character.skill-gained", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct CharacterSkillGained {
    pub character_id: Uuid,
    pub skill_name: String,
    pub skill_level: f64,
    pub acquisition_method: AcquisitionMethod,
    pub context: String,
}

fn main() {}
