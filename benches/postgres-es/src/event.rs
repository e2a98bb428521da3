//! The event both sides store: a Novel Engine `CharacterDeleted`, its payload built once here.

use novel_events::novel_engine::characters::CharacterDeleted;
use uuid::Uuid;

/// The `CharacterDeleted` of `character` that every benchmarked append stores.
pub fn character_deleted(character: Uuid) -> CharacterDeleted {
    CharacterDeleted {
        character_id: character,
        name: "Oren".into(),
        deletion_reason: "retired".into(),
        deleted_by: Uuid::nil(),
    }
}
