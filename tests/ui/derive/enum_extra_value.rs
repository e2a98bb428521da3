// A user enum must not read a value the catalog's enum does not have: here `Mentoring` has no
// counterpart among `training`, `experience`, `story-event`.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::EventEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Acquisition {
    Training,
    Experience,
    StoryEvent,
    Mentoring,
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
