// The catalog file is not valid YAML: its error is shown with its file:line:column.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "lending.book.borrowed", version = "1.0.0", catalog = "ui/catalogs/derive_malformed.yaml")]
pub struct BookBorrowed {
    pub book_id: Uuid,
}

fn main() {}
