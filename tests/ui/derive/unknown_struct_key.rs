// An unknown key of #[event(...)] is named, with the nearest known key.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[event(type = "lending.book.borrowed", verison = "1.0.0", aggregate = "Book")]
pub struct BookBorrowed {
    #[event(aggregate_id)]
    pub book_id: Uuid,
}

fn main() {}
