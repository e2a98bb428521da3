// Without a catalog, `aggregate` is required.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[event(type = "lending.book.borrowed", version = "1.0.0")]
pub struct BookBorrowed {
    #[event(aggregate_id)]
    pub book_id: Uuid,
}

fn main() {}
