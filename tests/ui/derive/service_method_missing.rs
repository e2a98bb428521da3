// A service's subscriber trait has one required method per event the catalog subscribes it to:
// an implementation that forgets one is an error that shows the method to write, and why the
// service handles that event.
mod catalog {
    novel_events::include_catalog!("ui/catalogs/derive_services.yaml");
}

use catalog::ReminderServiceSubscriber;
use catalog::lending::BookBorrowed;
use novel_events::{Envelope, HandlerResult};

struct Reminders;

impl ReminderServiceSubscriber for Reminders {
    async fn on_book_borrowed(&self, _event: &Envelope<BookBorrowed>) -> HandlerResult {
        Ok(())
    }
}

fn main() {}
