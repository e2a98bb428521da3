// Without a catalog, the struct says everything itself; the doc comment is the description.
#![deny(warnings)]

use novel_events::{Envelope, Event, EventCategory, EventPayload, SubscriberInfo};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A reader borrowed a book.
#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "lending.book.borrowed", version = "1.2.0", aggregate = "Book",
        category = "notification",
        subscribers = ["Reminder Service (schedule a reminder)", "Audit Log"])]
pub struct BookBorrowed {
    #[event(aggregate_id)]
    pub book_id: Uuid,
    pub due_in_days: u32,
}

/// Not used as the description: `description` wins.
#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[event(type = "lending.book.returned", version = "1.0.0", aggregate = "Book", description = "A book came back.")]
pub struct BookReturned {
    #[event(aggregate_id)]
    pub book: Uuid,
}

fn main() {
    assert_eq!(BookBorrowed::EVENT_VERSION, "1.2.0");
    assert_eq!(BookBorrowed::CATEGORY, EventCategory::Notification);
    assert_eq!(BookBorrowed::DESCRIPTION, "A reader borrowed a book.");
    assert_eq!(
        BookBorrowed::SUBSCRIBERS,
        [
            SubscriberInfo { service: "Reminder Service", purpose: "schedule a reminder" },
            SubscriberInfo { service: "Audit Log", purpose: "" },
        ]
    );
    assert_eq!(BookReturned::DESCRIPTION, "A book came back.");
    assert_eq!(BookReturned::CATEGORY, EventCategory::Domain);
    assert!(BookReturned::SUBSCRIBERS.is_empty());
    let envelope = Envelope::new(BookBorrowed { book_id: Uuid::from_u128(5), due_in_days: 14 }, "desk");
    assert_eq!(envelope.aggregate_id, Uuid::from_u128(5));
    assert_eq!(envelope.payload.due_in_days, 14);
    assert_eq!(BookReturned { book: Uuid::nil() }.aggregate_id(), Uuid::nil());
}
