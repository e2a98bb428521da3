// A service's subscriber trait implemented with every method the catalog requires, as
// `async fn`s, and turned into a bus handler.
#![deny(warnings)]

mod catalog {
    novel_events::include_catalog!("ui/catalogs/derive_services.yaml");
}

use catalog::ReminderServiceSubscriber;
use catalog::lending::{BookBorrowed, BookReturned};
use novel_events::{Envelope, HandlerResult};

struct Reminders;

impl ReminderServiceSubscriber for Reminders {
    async fn on_book_borrowed(&self, _event: &Envelope<BookBorrowed>) -> HandlerResult {
        Ok(())
    }

    async fn on_book_returned(&self, _event: &Envelope<BookReturned>) -> HandlerResult {
        Ok(())
    }
}

fn main() {
    assert!(Reminders::handles("lending.book.returned", "1.0.0"));
    assert!(!Reminders::handles("lending.book.lost", "1.0.0"));
    let _handler = Reminders.into_handler();
}
