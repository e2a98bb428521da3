//! Rows that no longer decode: damaged, not an object, of an unknown type or version.

use std::path::Path;
use std::time::Duration;

use novel_events::novel_engine::AnyEvent;
use novel_events::store::projection::{self, ProjectionError};
use novel_events::{
    AppendOutcome, CatchUp, CheckpointStore, EventAppender, EventReader, ExpectedVersion,
    HandlerError, HoldingsCheck, Projection, SqliteProjection, StoreError, StoreOptions,
    StoredEvent, Upcasters,
};
use rusqlite::Connection;
use uuid::Uuid;

use crate::*;

/// Three streams: a (positions 1, 3), b (2, 4), c (5).
async fn three_streams(store: &Store) -> ([Uuid; 3], Vec<Env>) {
    let [a, b, c] = [Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4()];
    let events = vec![
        related(a, b),
        related(b, a),
        skill(a, 1),
        skill(b, 1),
        related(c, a),
    ];
    for event in &events {
        append(store, vec![event.clone()]).await.expect("append");
    }
    ([a, b, c], events)
}

fn damage(path: &Path, sql: &str, position: u64) {
    let changed = Connection::open(path)
        .expect("open")
        .execute(sql, [i64::try_from(position).expect("fits")])
        .expect("damage the row");
    assert_eq!(changed, 1, "{sql}");
}

/// Checks an error is `Undecodable` naming the event; returns its message.
#[track_caller]
fn undecodable(error: StoreError, position: u64, event: &Env) -> String {
    let shown = error.to_string();
    match error {
        StoreError::Undecodable {
            position: at,
            event_id,
            event_type,
            event_version,
            message,
        } => {
            assert_eq!(at, position);
            assert_eq!(event_id, event.event_id.to_string());
            assert_eq!(event_type, event.event_type());
            assert_eq!(event_version, "1.0.0");
            assert!(
                shown.contains(&format!("position {position}"))
                    && shown.contains(&event_id)
                    && shown.contains(&event_type),
                "{shown}"
            );
            message
        }
        other => panic!("expected Undecodable at {position}, got {other:?}"),
    }
}

#[tokio::test]
async fn a_damaged_row_is_undecodable_and_the_rest_reads() {
    let damages: [(&str, &str); 4] = [
        (
            "UPDATE events SET envelope = '{\"eventId\": broken' WHERE position = ?1",
            "expected",
        ),
        (
            "UPDATE events SET envelope = json_remove(envelope, '$.payload.context') WHERE position = ?1",
            "context",
        ),
        (
            "UPDATE events SET envelope = x'00ff7b7d' WHERE position = ?1",
            "UTF-8",
        ),
        (
            // The column's TEXT affinity keeps it as the text `42`: JSON, not an envelope.
            "UPDATE events SET envelope = 42 WHERE position = ?1",
            "invalid type",
        ),
    ];
    for (sql, why) in damages {
        let scratch = Scratch::new("damaged");
        let path = scratch.path("events.db");
        let store = Store::open(&path).expect("a new store");
        let ([a, b, c], events) = three_streams(&store).await;
        damage(&path, sql, 3);
        let broken = &events[2];

        let message = undecodable(
            store.read_stream(a, 1).await.expect_err("stream a"),
            3,
            broken,
        );
        assert!(message.contains(why), "{sql}: {message}");
        undecodable(
            store.read_all(0, 10).await.expect_err("read_all"),
            3,
            broken,
        );
        undecodable(
            store
                .read_event(broken.event_id)
                .await
                .expect_err("read_event"),
            3,
            broken,
        );
        undecodable(
            store
                .read_correlation(broken.correlation_id)
                .await
                .expect_err("read_correlation"),
            3,
            broken,
        );
        // Everything else reads.
        assert_eq!(
            envelopes(&store.read_stream(b, 1).await.expect("stream b")),
            [events[1].clone(), events[3].clone()]
        );
        assert_eq!(
            envelopes(&store.read_stream(c, 1).await.expect("stream c")),
            [events[4].clone()]
        );
        assert_eq!(
            positions(&store.read_all(0, 2).await.expect("before it")),
            [1, 2]
        );
        assert_eq!(
            positions(&store.read_all(3, 10).await.expect("after it")),
            [4, 5]
        );
        let first = store
            .read_event(events[0].event_id)
            .await
            .expect("read_event");
        assert_eq!(first.map(|event| event.envelope), Some(events[0].clone()));
        assert_eq!(store.last_position().await.expect("last_position"), 5);
        // Its stream still takes appends, at the right version.
        let outcome = store
            .append(a, ExpectedVersion::Exactly(2), vec![skill(a, 2)])
            .await
            .expect("append after a damaged row");
        assert_eq!(
            outcome,
            AppendOutcome::Appended {
                stream_version: 3,
                position: 6
            }
        );
        // A subscription delivers what precedes it, then reports it (no panic, no hang).
        let mut subscription = CatchUp::new(store.clone(), 0);
        for position in [1, 2] {
            let event = tokio::time::timeout(Duration::from_secs(10), subscription.next())
                .await
                .expect("no hang")
                .expect("decodes");
            assert_eq!(event.position, position);
        }
        let error = tokio::time::timeout(Duration::from_secs(10), subscription.next())
            .await
            .expect("no hang")
            .expect_err("undecodable");
        undecodable(error, 3, broken);

        // Projections get as far as the log reads, their checkpoints just before the damage.
        let mut positions_applied = Positions(Vec::new());
        let error = projection::catch_up(&store, &mut positions_applied)
            .await
            .expect_err("stops at the damaged row");
        match error {
            ProjectionError::Store(error) => {
                undecodable(error, 3, broken);
            }
            other => panic!("expected a store error, got {other:?}"),
        }
        assert_eq!(positions_applied.0, [1, 2]);
        assert_eq!(
            store
                .load_checkpoint("positions")
                .await
                .expect("checkpoint"),
            2
        );
        let error = store
            .run_sqlite_projection(Nothing)
            .await
            .err()
            .expect("stops at the damaged row");
        undecodable(error, 3, broken);
        assert_eq!(
            store.load_checkpoint("nothing").await.expect("checkpoint"),
            2
        );
    }
}

/// Records the positions it is given.
struct Positions(Vec<u64>);

impl Projection<AnyEvent> for Positions {
    fn name(&self) -> &str {
        "positions"
    }

    fn apply(&mut self, event: &StoredEvent<AnyEvent>) -> Result<(), HandlerError> {
        self.0.push(event.position);
        Ok(())
    }
}

/// Applies nothing, in the store's database.
struct Nothing;

impl SqliteProjection<AnyEvent> for Nothing {
    fn name(&self) -> &str {
        "nothing"
    }

    fn apply(
        &mut self,
        _transaction: &rusqlite::Transaction<'_>,
        _event: &StoredEvent<AnyEvent>,
    ) -> rusqlite::Result<()> {
        Ok(())
    }
}

/// A row whose envelope is JSON but not an object, for an event type that has an upcaster.
#[tokio::test]
async fn an_upcasted_row_that_is_not_an_object_is_undecodable() {
    let scratch = Scratch::new("not_an_object");
    let path = scratch.path("events.db");
    let ([a, _, _], events) = {
        let store = Store::open(&path).expect("a new store");
        three_streams(&store).await
    };
    damage(
        &path,
        "UPDATE events SET envelope = '[1, 2, 3]' WHERE position = ?1",
        1,
    );
    let mut upcasters = Upcasters::new();
    upcasters.register(
        "characters.character.relationship-formed",
        "1.0.0",
        "1.0.1",
        Ok,
    );
    // The upcaster leads to a version the catalog does not have, which opening refuses: this
    // test is about the read of the row, so it opens unchecked.
    let store = Store::open_with(
        &path,
        StoreOptions {
            upcasters,
            check_holdings: HoldingsCheck::Off,
            ..StoreOptions::default()
        },
    )
    .expect("reopens");
    let message = undecodable(
        store.read_stream(a, 1).await.expect_err("stream a"),
        1,
        &events[0],
    );
    assert!(message.contains("not a JSON object"), "{message}");
}

#[tokio::test]
async fn an_unknown_event_type_or_version_is_undecodable() {
    let scratch = Scratch::new("unknown_type");
    let path = scratch.path("events.db");
    let store = Store::open(&path).expect("a new store");
    let ([a, b, _], events) = three_streams(&store).await;

    // Written by a newer catalog: a type this build does not know, and a newer version.
    let newer = [
        ("characters.character.teleported", "1.0.0"),
        ("characters.character.skill-gained", "9.0.0"),
    ];
    let connection = Connection::open(&path).expect("open");
    let mut foreign_ids = Vec::new();
    for (index, (event_type, event_version)) in newer.iter().enumerate() {
        let event_id = Uuid::new_v4();
        let envelope = serde_json::json!({
            "eventId": event_id,
            "eventType": event_type,
            "eventVersion": event_version,
            "aggregateId": b,
            "aggregateType": "Character",
            "timestamp": "2026-01-01T00:00:00Z",
            "correlationId": event_id,
            "causationId": event_id,
            "payload": { "characterId": b, "destination": "the moon" },
            "metadata": { "source": "a-newer-service" }
        });
        connection
            .execute(
                // The store's layout (schema 2): the stream key is the stream's slot times 2^32
                // plus the version; positions follow the last.
                "INSERT INTO events (stream_key, position, event_id, aggregate_id, aggregate_type, stream_version,
                                     event_type, event_version, correlation_id, causation_id, timestamp, envelope)
                 VALUES (((SELECT slot FROM streams WHERE aggregate_id = ?2) << 32) + ?3,
                         (SELECT max(position) + 1 FROM events),
                         ?1, ?2, 'Character', ?3, ?4, ?5, ?1, ?1, '2026-01-01T00:00:00Z', ?6)",
                rusqlite::params![
                    event_id.to_string(),
                    b.to_string(),
                    3 + index as i64,
                    event_type,
                    event_version,
                    envelope.to_string()
                ],
            )
            .expect("a row from a newer writer");
        foreign_ids.push(event_id);
    }

    for (index, (event_type, event_version)) in newer.iter().enumerate() {
        let position = 6 + index as u64;
        let error = store
            .read_event(foreign_ids[index])
            .await
            .expect_err("an unknown event");
        let shown = error.to_string();
        match error {
            StoreError::Undecodable {
                position: at,
                event_id,
                event_type: stored_type,
                event_version: stored_version,
                ..
            } => {
                assert_eq!(at, position);
                assert_eq!(event_id, foreign_ids[index].to_string());
                assert_eq!(
                    (stored_type.as_str(), stored_version.as_str()),
                    (*event_type, *event_version)
                );
                assert!(shown.contains(event_type), "{shown}");
            }
            other => panic!("expected Undecodable, got {other:?}"),
        }
    }
    let error = store.read_stream(b, 1).await.expect_err("stream b");
    assert!(
        matches!(error, StoreError::Undecodable { position: 6, .. }),
        "{error:?}"
    );
    let error = store.read_all(0, 100).await.expect_err("read_all");
    assert!(
        matches!(error, StoreError::Undecodable { position: 6, .. }),
        "{error:?}"
    );
    // The rest reads; the known part of b's stream too.
    assert_eq!(
        envelopes(&store.read_stream(a, 1).await.expect("stream a")),
        [events[0].clone(), events[2].clone()]
    );
    assert_eq!(
        positions(&store.read_all(0, 5).await.expect("the known log")),
        [1, 2, 3, 4, 5]
    );
    assert_eq!(store.last_position().await.expect("last_position"), 7);
}
