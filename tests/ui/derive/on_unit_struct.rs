// A unit struct is not an object on the wire.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[event(type = "lending.book.borrowed", version = "1.0.0", aggregate = "Book")]
pub struct BookBorrowed;

fn main() {}
