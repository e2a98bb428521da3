// A user enum must read exactly the catalog's values (in any order): here `story_event` is
// spelled with an underscore where the catalog has `story-event`.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::EventEnum)]
#[serde(rename_all = "snake_case")]
pub enum Acquisition {
    Training,
    Experience,
    StoryEvent,
}

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "characters.character.skill-gained", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct CharacterSkillGained {
    pub character_id: Uuid,
    pub skill_name: String,
    pub skill_level: i64,
    pub acquisition_method: Acquisition,
    pub context: String,
}

fn main() {}
