// Only one field can be the aggregate id.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[event(type = "lending.book.borrowed", version = "1.0.0", aggregate = "Book")]
pub struct BookBorrowed {
    #[event(aggregate_id)]
    pub book_id: Uuid,
    #[event(aggregate_id)]
    pub reader_id: Uuid,
}

fn main() {}
