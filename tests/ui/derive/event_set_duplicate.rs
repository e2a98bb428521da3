// Two variants of an EventSet holding the same eventType and version: decoding could not choose.
use novel_events::novel_engine::characters::{CharacterCreated, CharacterDeleted};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "characters.character.deleted", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct MyCharacterDeleted {
    pub character_id: Uuid,
    pub name: String,
    pub deletion_reason: String,
    pub deleted_by: Uuid,
}

#[derive(Debug, Clone, novel_events::EventSet)]
pub enum CharacterEvents {
    Created(CharacterCreated),
    Deleted(CharacterDeleted),
    MyDeleted(MyCharacterDeleted),
}

fn main() {}
