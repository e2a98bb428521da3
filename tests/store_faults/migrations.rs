//! Migrations: a store of schema 1 is migrated and keeps everything.

use std::path::Path;

use novel_events::novel_engine::AnyEvent;
use novel_events::store::EventKind;
use novel_events::{
    AppendOutcome, CheckpointStore, EventAppender, EventReader, ExpectedVersion, SCHEMA_VERSION,
    StoreError, StoreOptions, StoredEvent,
};
use rusqlite::Connection;
use uuid::Uuid;

use crate::*;

/// The schema of version 1, as released (`sqlite_store.rs`, migration 1).
const SCHEMA_1: &str = "CREATE TABLE events (
        position        INTEGER PRIMARY KEY,
        event_id        TEXT NOT NULL UNIQUE,
        aggregate_id    TEXT NOT NULL,
        aggregate_type  TEXT NOT NULL,
        stream_version  INTEGER NOT NULL,
        event_type      TEXT NOT NULL,
        event_version   TEXT NOT NULL,
        correlation_id  TEXT NOT NULL,
        causation_id    TEXT NOT NULL,
        timestamp       TEXT NOT NULL,
        envelope        TEXT NOT NULL,
        UNIQUE (aggregate_id, stream_version)
    );
    CREATE INDEX events_by_correlation ON events (correlation_id, position);
    CREATE TABLE outbox (position INTEGER PRIMARY KEY REFERENCES events (position));
    CREATE TABLE checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL);
    CREATE TABLE snapshots (
        aggregate_id    TEXT PRIMARY KEY,
        aggregate_type  TEXT NOT NULL,
        stream_version  INTEGER NOT NULL,
        state           TEXT NOT NULL
    );
    PRAGMA user_version = 1;";

/// Writes `events` (in this order, each at the next version of its stream) into a new file of
/// schema 1, as a store of version 1 wrote them (WAL mode, the rowid as the position), with
/// `pending` positions left in the outbox.
fn schema_1_store(path: &Path, events: &[Env], pending: &[u64]) {
    let mut connection = Connection::open(path).expect("open");
    connection
        .execute_batch("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")
        .expect("pragmas");
    connection.execute_batch(SCHEMA_1).expect("schema 1");
    let transaction = connection.transaction().expect("transaction");
    let mut versions = std::collections::HashMap::new();
    for envelope in events {
        let version = versions.entry(envelope.aggregate_id).or_insert(0i64);
        *version += 1;
        transaction
            .execute(
                "INSERT INTO events (event_id, aggregate_id, aggregate_type, stream_version, event_type, event_version,
                                     correlation_id, causation_id, timestamp, envelope)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                rusqlite::params![
                    envelope.event_id.to_string(),
                    envelope.aggregate_id.to_string(),
                    envelope.aggregate_type(),
                    *version,
                    envelope.event_type(),
                    envelope.event_version(),
                    envelope.correlation_id.to_string(),
                    envelope.causation_id.to_string(),
                    envelope
                        .timestamp
                        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                    serde_json::to_string(envelope).expect("serializes"),
                ],
            )
            .expect("a row of schema 1");
    }
    for position in pending {
        transaction
            .execute(
                "INSERT INTO outbox (position) VALUES (?1)",
                [i64::try_from(*position).expect("fits")],
            )
            .expect("an outbox entry");
    }
    transaction
        .execute(
            "INSERT INTO checkpoints (projection, position) VALUES ('ledger', 4)",
            [],
        )
        .expect("a checkpoint");
    transaction
        .execute(
            "INSERT INTO snapshots (aggregate_id, aggregate_type, stream_version, state)
             VALUES (?1, 'Character', 2, '{\"relationships\":1}')",
            [events[0].aggregate_id.to_string()],
        )
        .expect("a snapshot");
    transaction.commit().expect("commit");
}

#[tokio::test]
async fn a_store_of_schema_1_is_migrated_and_keeps_everything() {
    let scratch = Scratch::new("migrate_1");
    let path = scratch.path("events.db");
    let [a, b, c] = [Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4()];
    // Streams interleaved in the log, as schema 1 kept them.
    let first = vec![
        related(a, b),
        related(b, a),
        skill(a, 1),
        skill(b, 1),
        related(c, a),
        skill(a, 2),
        skill(c, 1),
        skill(b, 2),
    ];
    schema_1_store(&path, &first, &[6, 8]);

    let store = Store::open_with(
        &path,
        StoreOptions {
            outbox: true,
            ..StoreOptions::default()
        },
    )
    .expect("a store of schema 1 opens");
    // The copy went through the WAL, which the migration truncated.
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    assert_eq!(std::fs::metadata(&wal).map_or(0, |wal| wal.len()), 0);
    {
        let connection = Connection::open(&path).expect("open");
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .expect("user_version");
        assert_eq!(version, SCHEMA_VERSION);
        let check: String = connection
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .expect("integrity_check");
        assert_eq!(check, "ok");
        let orphans: i64 = connection
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
                row.get(0)
            })
            .expect("foreign_key_check");
        assert_eq!(orphans, 0);
        let tables: Vec<String> = connection
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .expect("query")
            .query_map([], |row| row.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(
            tables,
            [
                "checkpoints",
                "event_kinds",
                "events",
                "outbox",
                "snapshots",
                "streams"
            ]
        );
        let pending: Vec<i64> = connection
            .prepare("SELECT position FROM outbox ORDER BY position")
            .expect("query")
            .query_map([], |row| row.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(pending, [6, 8]);
    }

    // The pairs it holds were listed from the log (migration 3), and checked at open.
    assert_eq!(
        store.event_kinds().await.expect("event_kinds"),
        [
            EventKind::new("characters.character.relationship-formed", "1.0.0"),
            EventKind::new("characters.character.skill-gained", "1.0.0"),
        ]
    );

    // The log, the streams and the flows read as before.
    let all = everything(&store).await;
    assert_eq!(positions(&all), (1..=8).collect::<Vec<u64>>());
    assert_eq!(envelopes(&all), first);
    let stream = |events: &[StoredEvent<AnyEvent>]| {
        events
            .iter()
            .map(|event| (event.position, event.stream_version))
            .collect::<Vec<_>>()
    };
    let read_a = store.read_stream(a, 1).await.expect("stream a");
    assert_eq!(stream(&read_a), [(1, 1), (3, 2), (6, 3)]);
    assert_eq!(
        envelopes(&read_a),
        [first[0].clone(), first[2].clone(), first[5].clone()]
    );
    let read_b = store.read_stream(b, 2).await.expect("stream b from 2");
    assert_eq!(stream(&read_b), [(4, 2), (8, 3)]);
    assert_eq!(
        stream(&store.read_stream(c, 1).await.expect("stream c")),
        [(5, 1), (7, 2)]
    );
    let flow = store
        .read_correlation(first[4].correlation_id)
        .await
        .expect("correlation");
    assert_eq!(envelopes(&flow), [first[4].clone()]);
    let found = store
        .read_event(first[6].event_id)
        .await
        .expect("read_event")
        .expect("found");
    assert_eq!((found.position, found.stream_version), (7, 2));
    assert_eq!(store.last_position().await.expect("last"), 8);
    assert_eq!(
        store.load_checkpoint("ledger").await.expect("checkpoint"),
        4
    );
    assert_eq!(
        store.load_snapshot(a).await.expect("snapshot"),
        Some((2, "{\"relationships\":1}".to_owned()))
    );

    // Appends continue each stream and the log, with the same checks.
    match append(&store, vec![first[0].clone()])
        .await
        .expect("a retry")
    {
        AppendOutcome::AlreadyStored { event_ids } => assert_eq!(event_ids, [first[0].event_id]),
        other => panic!("expected AlreadyStored, got {other:?}"),
    }
    match store
        .append(a, ExpectedVersion::Exactly(2), vec![skill(a, 3)])
        .await
    {
        Err(StoreError::Conflict {
            expected, actual, ..
        }) => assert_eq!((expected, actual), (2, 3)),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let next = skill(a, 3);
    assert!(matches!(
        store
            .append(a, ExpectedVersion::Exactly(3), vec![next.clone()])
            .await
            .expect("append to a"),
        AppendOutcome::Appended {
            stream_version: 4,
            position: 9
        }
    ));
    let d = Uuid::new_v4();
    assert!(matches!(
        store
            .append(d, ExpectedVersion::NoStream, vec![skill(d, 1), skill(d, 2)])
            .await
            .expect("a new stream"),
        AppendOutcome::Appended {
            stream_version: 2,
            position: 11
        }
    ));
    let read_a = store.read_stream(a, 3).await.expect("stream a from 3");
    assert_eq!(stream(&read_a), [(6, 3), (9, 4)]);
    assert_eq!(read_a[1].envelope, next);
    assert_eq!(
        positions(&everything(&store).await),
        (1..=11).collect::<Vec<u64>>()
    );
    drop(store);

    // Opening it again migrates nothing more.
    let store = Store::open(&path).expect("reopens");
    assert_eq!(
        positions(&everything(&store).await),
        (1..=11).collect::<Vec<u64>>()
    );
    assert_eq!(
        stream(&store.read_stream(d, 1).await.expect("stream d")),
        [(10, 1), (11, 2)]
    );
}
