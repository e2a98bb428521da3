// A field's #[event(...)] takes only `aggregate_id`.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[event(type = "lending.book.borrowed", version = "1.0.0", aggregate = "Book")]
pub struct BookBorrowed {
    #[event(aggregate_idd)]
    pub book_id: Uuid,
}

fn main() {}
