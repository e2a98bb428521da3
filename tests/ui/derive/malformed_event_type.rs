// An eventType must be `domain.aggregate.action`, lowercase.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[event(type = "Lending.Book", version = "1.0.0", aggregate = "Book")]
pub struct BookBorrowed {
    #[event(aggregate_id)]
    pub book_id: Uuid,
}

fn main() {}
