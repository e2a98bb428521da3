// An event type is one concrete wire schema.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[event(type = "lending.book.borrowed", version = "1.0.0", aggregate = "Book")]
pub struct BookBorrowed<T> {
    #[event(aggregate_id)]
    pub book_id: Uuid,
    pub extra: T,
}

fn main() {}
