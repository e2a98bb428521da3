// A catalog enum cannot be read into a plain String: use the generated enum or an EventEnum.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "characters.character.skill-gained", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct CharacterSkillGained {
    pub character_id: Uuid,
    pub skill_name: String,
    pub skill_level: i64,
    pub acquisition_method: String,
    pub context: String,
}

fn main() {}
