// Field names given one by one with #[serde(rename)], no rename_all; `rename(deserialize)` is
// the name read from the wire.
#![deny(warnings)]

use novel_events::{Envelope, Event};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[event(type = "characters.character.deleted", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct Deleted {
    #[serde(rename = "characterId")]
    pub id: Uuid,
    pub name: String,
    #[serde(rename(serialize = "deletionReason", deserialize = "deletionReason"))]
    pub why: String,
    #[serde(rename = "deletedBy")]
    pub by: Uuid,
}

fn main() {
    let id = Uuid::from_u128(7);
    let deleted = Deleted { id, name: "Aria".into(), why: "retired".into(), by: Uuid::nil() };
    let envelope = Envelope::new(deleted, "characters-service");
    assert_eq!(envelope.aggregate_id, id);
    let json = serde_json::to_value(&envelope).unwrap();
    assert_eq!(json["payload"]["deletionReason"], "retired");
    assert_eq!(Deleted::AGGREGATE_TYPE, "Character");
}
