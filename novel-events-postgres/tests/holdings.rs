//! What a store holds, checked when it opens: the holdings suite
//! (`conformance::store::holdings`) on PostgreSQL schemas, and a schema of version 2, written
//! before the store listed what it holds, migrated and checked.

mod common;

use common::TestSchema;
use novel_events::store::{EventKind, HoldingsCheck, Unreadable};
use novel_events::{EventPayload, StoreError, Upcasters};
use novel_events_postgres::sqlx::{self, Connection as _};
use novel_events_postgres::{PostgresEventStore, PostgresOptions, SCHEMA_VERSION};
use novel_events_tests::conformance::store::holdings::{self, StoreLocation, old_reader, writer};

/// A schema of its own per test, dropped at its end.
struct Schema(TestSchema);

impl StoreLocation for Schema {
    type Store<P: EventPayload + Send + Sync + 'static> = PostgresEventStore<P>;

    async fn open<P: EventPayload + Send + Sync + 'static>(
        &self,
        upcasters: Upcasters,
        check: HoldingsCheck,
    ) -> Result<PostgresEventStore<P>, StoreError> {
        PostgresEventStore::open_with(
            &common::url(),
            PostgresOptions {
                upcasters,
                check_holdings: check,
                max_connections: 3,
                ..self.0.options()
            },
        )
        .await
    }

    async fn event_kinds<P: EventPayload + Send + Sync + 'static>(
        store: &PostgresEventStore<P>,
    ) -> Result<Vec<EventKind>, StoreError> {
        store.event_kinds().await
    }
}

async fn schema() -> Schema {
    Schema(TestSchema::new().await)
}

async fn execute(sql: String) -> u64 {
    let mut connection = common::connect().await;
    let done = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut connection)
        .await
        .expect("changing the schema by hand");
    connection.close().await.expect("close");
    done.rows_affected()
}

#[tokio::test]
async fn a_store_of_another_catalog_is_refused_with_every_pair_it_cannot_read() {
    holdings::a_store_of_another_catalog_is_refused_with_every_pair_it_cannot_read(&schema().await)
        .await;
}

#[tokio::test]
async fn a_reader_that_reads_forward_opens_a_store_of_newer_releases() {
    holdings::a_reader_that_reads_forward_opens_a_store_of_newer_releases(&schema().await).await;
}

#[tokio::test]
async fn an_older_version_needs_an_upcaster_which_opens_the_store() {
    holdings::an_older_version_needs_an_upcaster_which_opens_the_store(&schema().await).await;
}

#[tokio::test]
async fn the_writers_catalog_opens_its_store_and_lists_what_it_holds() {
    holdings::the_writers_catalog_opens_its_store_and_lists_what_it_holds(&schema().await).await;
}

#[tokio::test]
async fn an_event_set_is_checked_on_the_event_types_it_names() {
    holdings::an_event_set_is_checked_on_the_event_types_it_names(&schema().await).await;
}

/// A schema of version 2 (before `event_kinds`) is migrated: the pairs are listed from its log
/// and checked at once (a reader that cannot read them is refused at its first open, with
/// counts taken from the log), and listed again when rows are fixed or removed by hand.
#[tokio::test]
async fn a_schema_of_version_2_is_migrated_listed_and_checked() {
    let schema = schema().await;
    holdings::write_the_library(&schema).await;
    let name = &schema.0.name;
    // Version 3 only adds the table, its function and trigger: without them, the schema is
    // what a store of version 2 wrote.
    execute(format!(
        "DROP TABLE \"{name}\".event_kinds;
         DROP FUNCTION \"{name}\".event_kinds_relist() CASCADE;
         DELETE FROM \"{name}\".schema_version WHERE version = 3;"
    ))
    .await;

    let unreadable = match schema
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
    assert!(
        unreadable.to_string().contains(&format!(".{name}` holds")),
        "{unreadable}"
    );
    let mut connection = common::connect().await;
    let version: i32 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT max(version) FROM \"{name}\".schema_version"
    )))
    .fetch_one(&mut connection)
    .await
    .expect("schema_version");
    connection.close().await.expect("close");
    assert_eq!(
        i64::from(version),
        SCHEMA_VERSION,
        "the refused open migrated the schema"
    );

    // Rows fixed by hand are listed again: the 1.1.0 event rewritten as 1.0.0 (as an operator
    // would, dropping the field 1.0.0 does not have), and the withdrawal removed.
    let fixed = execute(format!(
        "UPDATE \"{name}\".events SET event_version = '1.0.0',
             envelope = ((envelope::jsonb #- '{{payload,section}}')
                         || '{{\"eventVersion\": \"1.0.0\"}}'::jsonb)::json
         WHERE event_type = 'library.book.shelved' AND event_version = '1.1.0'"
    ))
    .await;
    assert_eq!(fixed, 1);
    let removed = execute(format!(
        "DELETE FROM \"{name}\".events WHERE event_type = 'library.book.withdrawn'"
    ))
    .await;
    assert_eq!(removed, 1);
    let store = schema
        .open::<old_reader::AnyEvent>(Upcasters::new(), HoldingsCheck::Readable)
        .await
        .expect("the fixed store opens");
    assert_eq!(
        store.event_kinds().await.expect("event_kinds"),
        [
            EventKind::new("library.book.lent", "1.0.0"),
            EventKind::new("library.book.shelved", "1.0.0"),
        ]
    );
    schema
        .open::<writer::AnyEvent>(Upcasters::new(), HoldingsCheck::Readable)
        .await
        .expect("the writer opens the fixed store");
}
