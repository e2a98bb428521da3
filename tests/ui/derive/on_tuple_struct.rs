// A tuple struct has no field names to put on the wire.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[event(type = "lending.book.borrowed", version = "1.0.0", aggregate = "Book")]
pub struct BookBorrowed(Uuid, u32);

fn main() {}
