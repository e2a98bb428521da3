// Without a catalog, the aggregate id field must be a Uuid: rustc reports the field's type.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[event(type = "lending.book.borrowed", version = "1.0.0", aggregate = "Book")]
pub struct BookBorrowed {
    #[event(aggregate_id)]
    pub book_id: String,
}

fn main() {}
