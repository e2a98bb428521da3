// Without a catalog, one field must be marked #[event(aggregate_id)].
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[event(type = "lending.book.borrowed", version = "1.0.0", aggregate = "Book")]
pub struct BookBorrowed {
    pub book_id: Uuid,
    pub due_in_days: u32,
}

fn main() {}
