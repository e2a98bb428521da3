// Each variant of an EventSet holds exactly one event type.
use novel_events::novel_engine::characters::{CharacterCreated, CharacterDeleted};

#[derive(Debug, Clone, novel_events::EventSet)]
pub enum CharacterEvents {
    Created(CharacterCreated),
    Deleted { payload: CharacterDeleted },
    Forgotten,
}

fn main() {}
