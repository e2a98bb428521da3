//! How `SqliteEventStore` fails: files that are not stores, schemas from the future, a full
//! disk, rows that no longer decode, stores of events their reader cannot read; and what
//! survives closing and reopening a store.
//!
//! Rows are damaged with a connection of our own (rusqlite) on the store's file, as another
//! program or a careless migration would. One module per kind of fault; the events and calls
//! they share are here.

mod contention;
mod full_disk;
mod holdings;
mod migrations;
mod not_a_store;
mod reopening;
mod runtimes;
mod truncated_file;
mod undecodable_rows;

use std::path::Path;

use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{
    AcquisitionMethod, CharacterCreated, CharacterRelationshipFormed, CharacterSkillGained,
    CharacterType, PersonalityTraits, RelationshipType,
};
use novel_events::{
    AppendOutcome, Envelope, EventAppender, EventReader, ExpectedVersion, SqliteEventStore,
    StoreError, StoredEvent,
};
use novel_events_tests::scratch::Scratch;
use uuid::Uuid;

type Store = SqliteEventStore<AnyEvent>;
type Env = Envelope<AnyEvent>;

const SOURCE: &str = "store-faults";

fn created(character: Uuid, background: String) -> Env {
    Envelope::new(
        AnyEvent::from(CharacterCreated {
            character_id: character,
            name: "Mira".into(),
            r#type: CharacterType::Npc,
            personality_traits: PersonalityTraits {
                openness: 0.8,
                conscientiousness: 0.6,
                extraversion: 0.4,
                agreeableness: 0.7,
                neuroticism: 0.2,
            },
            background,
            configuration: serde_json::Map::new(),
            created_by: Uuid::from_u128(7),
        }),
        SOURCE,
    )
}

fn related(character: Uuid, other: Uuid) -> Env {
    Envelope::new(
        AnyEvent::from(CharacterRelationshipFormed {
            character_id: character,
            related_character_id: other,
            relationship_type: RelationshipType::Family,
            relationship_strength: 0.75,
            context: "the same harbour".into(),
            formation_event: "a wedding".into(),
        }),
        SOURCE,
    )
}

fn skill(character: Uuid, level: i64) -> Env {
    Envelope::new(
        AnyEvent::from(CharacterSkillGained {
            character_id: character,
            skill_name: "sailing".into(),
            skill_level: level,
            acquisition_method: AcquisitionMethod::Experience,
            context: "a rough crossing".into(),
        }),
        SOURCE,
    )
}

/// A background of about `bytes` bytes, different each time (no compression helps).
fn filler(bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 32);
    while text.len() < bytes {
        text.push_str(&Uuid::new_v4().simple().to_string());
    }
    text
}

async fn append(store: &Store, events: Vec<Env>) -> Result<AppendOutcome, StoreError> {
    let aggregate = events[0].aggregate_id;
    store.append(aggregate, ExpectedVersion::Any, events).await
}

fn positions(events: &[StoredEvent<AnyEvent>]) -> Vec<u64> {
    events.iter().map(|event| event.position).collect()
}

fn envelopes(events: &[StoredEvent<AnyEvent>]) -> Vec<Env> {
    events.iter().map(|event| event.envelope.clone()).collect()
}

async fn everything(store: &Store) -> Vec<StoredEvent<AnyEvent>> {
    store.read_all(0, usize::MAX).await.expect("the log reads")
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}
