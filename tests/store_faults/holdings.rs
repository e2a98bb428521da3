//! What a store holds, checked when it opens: the holdings suite
//! (`conformance::store::holdings`) on SQLite files, and a store of schema 2, written before
//! the store listed what it holds, migrated and checked.

use std::path::PathBuf;

use novel_events::store::{EventKind, HoldingsCheck, Unreadable};
use novel_events::{
    EventPayload, SCHEMA_VERSION, SqliteEventStore, StoreError, StoreOptions, Upcasters,
};
use novel_events_tests::conformance::store::holdings::{self, StoreLocation, old_reader, writer};
use novel_events_tests::scratch::Scratch;
use rusqlite::Connection;

/// A store's file in a scratch directory of the test's own.
struct File {
    _scratch: Scratch,
    path: PathBuf,
}

impl File {
    fn new(test: &str) -> Self {
        let scratch = Scratch::new(test);
        let path = scratch.path("events.db");
        Self {
            _scratch: scratch,
            path,
        }
    }
}

impl StoreLocation for File {
    type Store<P: EventPayload + Send + Sync + 'static> = SqliteEventStore<P>;

    async fn open<P: EventPayload + Send + Sync + 'static>(
        &self,
        upcasters: Upcasters,
        check: HoldingsCheck,
    ) -> Result<SqliteEventStore<P>, StoreError> {
        SqliteEventStore::open_with(
            &self.path,
            StoreOptions {
                upcasters,
                check_holdings: check,
                ..StoreOptions::default()
            },
        )
    }

    async fn event_kinds<P: EventPayload + Send + Sync + 'static>(
        store: &SqliteEventStore<P>,
    ) -> Result<Vec<EventKind>, StoreError> {
        store.event_kinds().await
    }
}

#[tokio::test]
async fn a_store_of_another_catalog_is_refused_with_every_pair_it_cannot_read() {
    let file = File::new("holdings_another_catalog");
    holdings::a_store_of_another_catalog_is_refused_with_every_pair_it_cannot_read(&file).await;
}

#[tokio::test]
async fn a_reader_that_reads_forward_opens_a_store_of_newer_releases() {
    let file = File::new("holdings_forward");
    holdings::a_reader_that_reads_forward_opens_a_store_of_newer_releases(&file).await;
}

#[tokio::test]
async fn an_older_version_needs_an_upcaster_which_opens_the_store() {
    let file = File::new("holdings_older");
    holdings::an_older_version_needs_an_upcaster_which_opens_the_store(&file).await;
}

#[tokio::test]
async fn the_writers_catalog_opens_its_store_and_lists_what_it_holds() {
    let file = File::new("holdings_writer");
    holdings::the_writers_catalog_opens_its_store_and_lists_what_it_holds(&file).await;
}

#[tokio::test]
async fn an_event_set_is_checked_on_the_event_types_it_names() {
    let file = File::new("holdings_event_set");
    holdings::an_event_set_is_checked_on_the_event_types_it_names(&file).await;
}

/// A store of schema 2 (before `event_kinds`) is migrated: the pairs are listed from its log and
/// checked at once (a reader that cannot read them is refused at its first open, with counts
/// taken from the log). Rows fixed or removed by hand leave their former pairs listed, but
/// those count no events any more, and the store opens.
#[tokio::test]
async fn a_store_of_schema_2_is_migrated_listed_and_checked() {
    let file = File::new("holdings_schema_2");
    holdings::write_the_library(&file).await;
    // Schema 3 only adds the table and its triggers: without them, the file is what a store
    // of schema 2 wrote.
    Connection::open(&file.path)
        .expect("open")
        .execute_batch(
            "DROP TRIGGER event_kinds_insert; DROP TRIGGER event_kinds_update;
             DROP TABLE event_kinds; PRAGMA user_version = 2;",
        )
        .expect("back to schema 2");

    let unreadable = match file
        .open::<old_reader::AnyEvent>(Upcasters::new(), HoldingsCheck::Readable)
        .await
    {
        Err(StoreError::UnreadableEvents(unreadable)) => unreadable,
        other => panic!("expected UnreadableEvents, got {:?}", other.err()),
    };
    let listed: Vec<_> = unreadable
        .events
        .iter()
        .map(|event| {
            (
                event.kind.event_type.as_str(),
                event.kind.event_version.as_str(),
                event.count,
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("library.book.shelved", "1.1.0", 1),
            ("library.book.withdrawn", "2.0.0", 1)
        ]
    );
    assert!(matches!(
        unreadable.events[1].why,
        Unreadable::UnknownType { .. }
    ));
    let version: i64 = Connection::open(&file.path)
        .expect("open")
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .expect("user_version");
    assert_eq!(
        version, SCHEMA_VERSION,
        "the refused open migrated the file"
    );

    // Rows fixed by hand: the 1.1.0 event rewritten as 1.0.0 (as an operator would, dropping
    // the field 1.0.0 does not have), and the withdrawal removed.
    let connection = Connection::open(&file.path).expect("open");
    let fixed = connection
        .execute(
            "UPDATE events SET event_version = '1.0.0',
                 envelope = json_set(json_remove(envelope, '$.payload.section'), '$.eventVersion', '1.0.0')
             WHERE event_type = 'library.book.shelved' AND event_version = '1.1.0'",
            [],
        )
        .expect("fix the row");
    assert_eq!(fixed, 1);
    let removed = connection
        .execute(
            "DELETE FROM events WHERE event_type = 'library.book.withdrawn'",
            [],
        )
        .expect("remove the row");
    assert_eq!(removed, 1);
    drop(connection);
    let store = file
        .open::<old_reader::AnyEvent>(Upcasters::new(), HoldingsCheck::Readable)
        .await
        .expect("the fixed store opens");
    // Listed still, counted none: not refused.
    assert_eq!(
        store.event_kinds().await.expect("event_kinds"),
        [
            EventKind::new("library.book.lent", "1.0.0"),
            EventKind::new("library.book.shelved", "1.0.0"),
            EventKind::new("library.book.shelved", "1.1.0"),
            EventKind::new("library.book.withdrawn", "2.0.0"),
        ]
    );
    drop(store);
    // And the writer's catalog reads it too.
    file.open::<writer::AnyEvent>(Upcasters::new(), HoldingsCheck::Readable)
        .await
        .expect("the writer opens the fixed store");
}
