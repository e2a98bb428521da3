// A service's subscriber trait has one required method per event the catalog subscribes it to:
// an implementation that forgets one is an error naming the method. For a trait of another
// crate (the built-in catalog), rustc also shows the method's signature to write; for a trait
// of this crate, it points at the `include_catalog!` that declares it, whose docs (shown by
// rust-analyzer) list every method with the service's reason.
mod catalog {
    novel_events::include_catalog!("ui/catalogs/derive_services.yaml");
}

use catalog::ReminderServiceSubscriber;
use catalog::lending::BookBorrowed;
use novel_events::novel_engine::ResourceManagerSubscriber;
use novel_events::novel_engine::orchestration::WorkflowStarted;
use novel_events::{Envelope, HandlerResult};

struct Reminders;

impl ReminderServiceSubscriber for Reminders {
    async fn on_book_borrowed(&self, _event: &Envelope<BookBorrowed>) -> HandlerResult {
        Ok(())
    }
}

struct Resources;

impl ResourceManagerSubscriber for Resources {
    async fn on_workflow_started(&self, _event: &Envelope<WorkflowStarted>) -> HandlerResult {
        Ok(())
    }
}

fn main() {}
