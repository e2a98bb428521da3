// #[derive(Event)] is for structs; an enum of events is an EventSet.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[event(type = "lending.book.borrowed", version = "1.0.0", aggregate = "Book")]
pub enum BookEvents {
    Borrowed,
    Returned,
}

fn main() {}
