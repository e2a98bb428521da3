//! How `SqliteEventStore` fails: files that are not stores, schemas from the future, a full
//! disk, rows that no longer decode; and what survives closing and reopening a store.
//!
//! Rows are damaged with a connection of our own (rusqlite) on the store's file, as another
//! program or a careless migration would.

use std::path::{Path, PathBuf};
use std::time::Duration;

use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{
    AcquisitionMethod, CharacterCreated, CharacterRelationshipFormed, CharacterSkillGained,
    CharacterType, PersonalityTraits, RelationshipType,
};
use novel_events::projection::{self, ProjectionError};
use novel_events::{
    AppendOutcome, CatchUp, CheckpointStore, Durability, Envelope, EventAppender, EventReader,
    ExpectedVersion, HandlerError, Projection, SCHEMA_VERSION, SqliteEventStore, SqliteProjection,
    StoreError, StoreOptions, StoredEvent, Upcasters,
};
use rusqlite::Connection;
use uuid::Uuid;

type Store = SqliteEventStore<AnyEvent>;
type Env = Envelope<AnyEvent>;

const SOURCE: &str = "store-faults";

/// A directory of its own per test, removed with its files when dropped.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "novel-events-store-faults-{test}-{}-{}",
            std::process::id(),
            Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
        Self { dir }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

// --------------------------------------------------------------------------------------------
// Events.

fn created(character: Uuid, background: String) -> Env {
    Envelope::new(
        AnyEvent::from(CharacterCreated {
            character_id: character,
            name: "Mira".into(),
            r#type: CharacterType::Npc,
            personality_traits: PersonalityTraits {
                openness: 0.8,
                conscientiousness: 0.6,
                extraversion: 0.4,
                agreeableness: 0.7,
                neuroticism: 0.2,
            },
            background,
            configuration: serde_json::Map::new(),
            created_by: Uuid::from_u128(7),
        }),
        SOURCE,
    )
}

fn related(character: Uuid, other: Uuid) -> Env {
    Envelope::new(
        AnyEvent::from(CharacterRelationshipFormed {
            character_id: character,
            related_character_id: other,
            relationship_type: RelationshipType::Family,
            relationship_strength: 0.75,
            context: "the same harbour".into(),
            formation_event: "a wedding".into(),
        }),
        SOURCE,
    )
}

fn skill(character: Uuid, level: i64) -> Env {
    Envelope::new(
        AnyEvent::from(CharacterSkillGained {
            character_id: character,
            skill_name: "sailing".into(),
            skill_level: level,
            acquisition_method: AcquisitionMethod::Experience,
            context: "a rough crossing".into(),
        }),
        SOURCE,
    )
}

/// A background of about `bytes` bytes, different each time (no compression helps).
fn filler(bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 32);
    while text.len() < bytes {
        text.push_str(&Uuid::new_v4().simple().to_string());
    }
    text
}

async fn append(store: &Store, events: Vec<Env>) -> Result<AppendOutcome, StoreError> {
    let aggregate = events[0].aggregate_id;
    store.append(aggregate, ExpectedVersion::Any, events).await
}

fn positions(events: &[StoredEvent<AnyEvent>]) -> Vec<u64> {
    events.iter().map(|event| event.position).collect()
}

fn envelopes(events: &[StoredEvent<AnyEvent>]) -> Vec<Env> {
    events.iter().map(|event| event.envelope.clone()).collect()
}

async fn everything(store: &Store) -> Vec<StoredEvent<AnyEvent>> {
    store.read_all(0, usize::MAX).await.expect("the log reads")
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

// --------------------------------------------------------------------------------------------
// Files that are not stores.

#[test]
fn a_file_that_is_not_sqlite_is_not_a_store() {
    let scratch = Scratch::new("not_sqlite");
    let random: Vec<u8> = (0..512).flat_map(|_| *Uuid::new_v4().as_bytes()).collect();
    for (name, bytes) in [
        ("random.db", random),
        (
            "notes.txt",
            b"these are not the events you are looking for\n".to_vec(),
        ),
    ] {
        let path = scratch.file(name);
        std::fs::write(&path, &bytes).expect("write");
        match Store::open(&path) {
            Err(StoreError::NotAStore {
                path: named,
                message,
            }) => {
                assert_eq!(named, shown(&path));
                assert!(!message.is_empty());
            }
            Err(other) => panic!("{name}: expected NotAStore, got {other:?}"),
            Ok(_) => panic!("{name}: opened as a store"),
        }
        let error = Store::open(&path).err().expect("refused");
        assert!(error.to_string().contains(&shown(&path)), "{error}");
        assert_eq!(
            std::fs::read(&path).expect("read"),
            bytes,
            "{name} is left as it was"
        );
    }
}

#[test]
fn a_foreign_sqlite_database_is_not_a_store() {
    let scratch = Scratch::new("foreign");
    let path = scratch.file("crm.db");
    {
        let connection = Connection::open(&path).expect("open");
        connection
            .execute_batch(
                "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
                 INSERT INTO customers (name) VALUES ('Ada');",
            )
            .expect("a foreign schema");
    }
    match Store::open(&path) {
        Err(StoreError::NotAStore {
            path: named,
            message,
        }) => {
            assert_eq!(named, shown(&path));
            assert!(message.contains("SQLite database"), "{message}");
        }
        Err(other) => panic!("expected NotAStore, got {other:?}"),
        Ok(_) => panic!("a foreign database opened as a store"),
    }
    // Left untouched: no tables of ours, not switched to WAL.
    let connection = Connection::open(&path).expect("open");
    let tables: Vec<String> = connection
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("query")
        .query_map([], |row| row.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(tables, ["customers"]);
    let journal: String = connection
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("pragma");
    assert_eq!(journal, "delete");

    // Another program's database that sets user_version too.
    connection
        .execute_batch("PRAGMA user_version = 1")
        .expect("pragma");
    drop(connection);
    match Store::open(&path) {
        Err(StoreError::NotAStore {
            path: named,
            message,
        }) => {
            assert_eq!(named, shown(&path));
            assert!(message.contains("user_version 1"), "{message}");
        }
        Err(other) => panic!("expected NotAStore, got {other:?}"),
        Ok(_) => panic!("a foreign database with user_version 1 opened as a store"),
    }
}

#[tokio::test]
async fn a_newer_schema_is_refused() {
    let scratch = Scratch::new("newer_schema");
    let path = scratch.file("events.db");
    let character = Uuid::new_v4();
    let event = skill(character, 1);
    {
        let store = Store::open(&path).expect("a new store");
        append(&store, vec![event.clone()]).await.expect("append");
    }
    let set_version = |version: i64| {
        Connection::open(&path)
            .expect("open")
            .execute_batch(&format!("PRAGMA user_version = {version}"))
            .expect("pragma");
    };
    set_version(99);
    match Store::open(&path) {
        Err(StoreError::NewerSchema {
            path: named,
            found,
            supported,
        }) => assert_eq!(
            (named, found, supported),
            (shown(&path), 99, SCHEMA_VERSION)
        ),
        Err(other) => panic!("expected NewerSchema, got {other:?}"),
        Ok(_) => panic!("a newer schema opened"),
    }
    let message = Store::open(&path).err().expect("refused").to_string();
    assert!(
        message.contains("99") && message.contains(&format!("({SCHEMA_VERSION})")),
        "{message}"
    );
    // Refusing it changed nothing.
    set_version(SCHEMA_VERSION);
    let store = Store::open(&path).expect("the store opens again");
    assert_eq!(envelopes(&everything(&store).await), [event]);
}

// --------------------------------------------------------------------------------------------
// A full disk.

/// How many pages the tests allow (of 4 KiB): the schema takes about ten.
const MAX_PAGES: u64 = 60;

fn limited(path: &Path) -> Store {
    Store::open_with(
        path,
        StoreOptions {
            max_pages: Some(MAX_PAGES),
            ..StoreOptions::default()
        },
    )
    .expect("a limited store opens")
}

/// Appends events of about 3 KiB, one per append, until the store is full; returns those
/// stored and the error.
async fn fill(store: &Store, character: Uuid) -> (Vec<Env>, StoreError) {
    let mut stored = Vec::new();
    for _ in 0..10_000 {
        let event = big_event(character);
        match append(store, vec![event.clone()]).await {
            Ok(_) => stored.push(event),
            Err(error) => return (stored, error),
        }
    }
    panic!("the store never filled up");
}

/// An event of about 3 KiB in `character`'s stream (the store does not mind that it is
/// created again and again).
fn big_event(character: Uuid) -> Env {
    created(character, filler(3000))
}

#[tokio::test]
async fn a_full_store_refuses_appends_whole_and_stays_usable() {
    let scratch = Scratch::new("full");
    // How many big events fit, one at a time.
    let probe = limited(&scratch.file("probe.db"));
    let (fitted, error) = fill(&probe, Uuid::new_v4()).await;
    assert!(
        matches!(error, StoreError::Full { .. }),
        "expected Full, got {error:?}"
    );
    assert!(error.to_string().contains("full"), "{error}");
    let capacity = fitted.len();
    assert!(capacity >= 6, "room for a few events: {capacity}");
    assert_eq!(envelopes(&everything(&probe).await), fitted);

    // A batch of more than fits, appended when half the room is free: all or nothing.
    let path = scratch.file("events.db");
    let store = limited(&path);
    let character = Uuid::new_v4();
    let mut before = Vec::new();
    for _ in 0..capacity / 2 {
        let event = big_event(character);
        append(&store, vec![event.clone()])
            .await
            .expect("room left");
        before.push(event);
    }
    let batch: Vec<Env> = (0..capacity).map(|_| big_event(character)).collect();
    let error = append(&store, batch.clone())
        .await
        .expect_err("the batch does not fit");
    match &error {
        StoreError::Full { message } => assert!(message.contains("full"), "{message}"),
        other => panic!("expected Full, got {other:?}"),
    }
    // Nothing of the batch is stored; what was is intact and readable.
    for event in &batch {
        assert_eq!(
            store.read_event(event.event_id).await.expect("read_event"),
            None
        );
    }
    let last = before.len() as u64;
    assert_eq!(store.last_position().await.expect("last_position"), last);
    let all = everything(&store).await;
    assert_eq!(envelopes(&all), before);
    assert_eq!(positions(&all), (1..=last).collect::<Vec<u64>>());
    let stream = store.read_stream(character, 1).await.expect("read_stream");
    assert_eq!(stream.len(), before.len());
    assert_eq!(*store.watch_position().borrow(), last);

    // Still usable: small events fit, right after the last stored position.
    let small = skill(Uuid::new_v4(), 1);
    let outcome = append(&store, vec![small.clone()])
        .await
        .expect("a small event fits");
    assert_eq!(
        outcome,
        AppendOutcome::Appended {
            stream_version: 1,
            position: last + 1
        }
    );
    store
        .save_checkpoint("after-full", last + 1)
        .await
        .expect("checkpoint");
    // Fill it up completely: it keeps refusing cleanly, and reading keeps working.
    let (more, error) = fill(&store, character).await;
    assert!(matches!(error, StoreError::Full { .. }), "{error:?}");
    let error = append(&store, vec![big_event(character)])
        .await
        .expect_err("still full");
    assert!(matches!(error, StoreError::Full { .. }), "{error:?}");
    let total = last + 1 + more.len() as u64;
    assert_eq!(store.last_position().await.expect("last_position"), total);
    assert_eq!(
        positions(&everything(&store).await),
        (1..=total).collect::<Vec<u64>>()
    );
    drop(store);

    // Reopened without the limit, the store takes appends again, positions continuing.
    let store = Store::open(&path).expect("reopens");
    let outcome = append(&store, batch.clone()).await.expect("room now");
    assert_eq!(
        outcome,
        AppendOutcome::Appended {
            stream_version: last + more.len() as u64 + batch.len() as u64,
            position: total + batch.len() as u64
        }
    );
    assert_eq!(
        store
            .load_checkpoint("after-full")
            .await
            .expect("checkpoint"),
        last + 1
    );
}

// --------------------------------------------------------------------------------------------
// Rows that no longer decode.

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
        let path = scratch.file("events.db");
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
    let path = scratch.file("events.db");
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
    let store = Store::open_with(
        &path,
        StoreOptions {
            upcasters,
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
    let path = scratch.file("events.db");
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

// --------------------------------------------------------------------------------------------
// Closing and reopening.

#[tokio::test]
async fn reopening_a_store_keeps_everything() {
    let scratch = Scratch::new("reopen");
    let path = scratch.file("events.db");
    let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
    let first = vec![
        related(a, b),
        related(b, a),
        skill(a, 1),
        skill(a, 2),
        skill(b, 1),
    ];
    let before = {
        let store = Store::open_with(
            &path,
            StoreOptions {
                durability: Durability::ProcessCrash,
                ..StoreOptions::default()
            },
        )
        .expect("a new store");
        for event in &first {
            append(&store, vec![event.clone()]).await.expect("append");
        }
        store
            .save_checkpoint("ledger", 4)
            .await
            .expect("checkpoint");
        store
            .save_snapshot(a, "Character", 3, "{\"relationships\":1}".into())
            .await
            .expect("snapshot");
        everything(&store).await
    };

    let store = Store::open(&path).expect("reopens");
    assert_eq!(store.path(), path);
    assert_eq!(everything(&store).await, before);
    assert_eq!(store.last_position().await.expect("last_position"), 5);
    assert_eq!(*store.watch_position().borrow(), 5);
    assert_eq!(
        store.load_checkpoint("ledger").await.expect("checkpoint"),
        4
    );
    assert_eq!(
        store.load_snapshot(a).await.expect("snapshot"),
        Some((3, "{\"relationships\":1}".to_owned()))
    );
    // Versions and positions continue; concurrency and idempotency hold across the reopen.
    let error = store
        .append(a, ExpectedVersion::NoStream, vec![skill(a, 3)])
        .await
        .expect_err("a exists");
    assert!(
        matches!(
            error,
            StoreError::Conflict {
                expected: 0,
                actual: 3,
                ..
            }
        ),
        "{error:?}"
    );
    let outcome = store
        .append(a, ExpectedVersion::Any, vec![first[0].clone()])
        .await
        .expect("the same event again");
    assert!(
        matches!(outcome, AppendOutcome::AlreadyStored { .. }),
        "{outcome:?}"
    );
    let next = skill(a, 3);
    let outcome = store
        .append(a, ExpectedVersion::Exactly(3), vec![next.clone()])
        .await
        .expect("append");
    assert_eq!(
        outcome,
        AppendOutcome::Appended {
            stream_version: 4,
            position: 6
        }
    );
    // A subscription of the reopened store starts where asked and sees live appends.
    let mut subscription = CatchUp::new(store.clone(), 5);
    let event = tokio::time::timeout(Duration::from_secs(10), subscription.next())
        .await
        .expect("no hang")
        .expect("next");
    assert_eq!((event.position, &event.envelope), (6, &next));
    drop(subscription);
    drop(store);

    let store = Store::open(&path).expect("reopens again");
    assert_eq!(store.last_position().await.expect("last_position"), 6);
    assert_eq!(
        envelopes(&store.read_stream(a, 1).await.expect("stream a")),
        [first[0].clone(), first[2].clone(), first[3].clone(), next]
    );
}

/// Two stores open on one file (two processes, say): appends from both land, once each,
/// positions without gaps.
#[tokio::test]
async fn two_handles_on_one_file_append_without_gaps() {
    let scratch = Scratch::new("two_handles");
    let path = scratch.file("events.db");
    let one = Store::open(&path).expect("opens");
    let two = Store::open(&path).expect("opens twice");
    let character = Uuid::new_v4();
    let tasks: Vec<_> = [one.clone(), two.clone()]
        .into_iter()
        .map(|store| {
            tokio::spawn(async move {
                let mut mine = Vec::new();
                for level in 0..20 {
                    let event = skill(character, level);
                    append(&store, vec![event.clone()]).await.expect("append");
                    mine.push(event.event_id);
                }
                mine
            })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        ids.extend(task.await.expect("no panic"));
    }
    for store in [&one, &two] {
        let all = everything(store).await;
        assert_eq!(positions(&all), (1..=40).collect::<Vec<u64>>());
        let stream = store.read_stream(character, 1).await.expect("read_stream");
        assert_eq!(
            stream
                .iter()
                .map(|event| event.stream_version)
                .collect::<Vec<_>>(),
            (1..=40).collect::<Vec<u64>>()
        );
        let mut stored: Vec<Uuid> = all.iter().map(|event| event.envelope.event_id).collect();
        stored.sort();
        let mut expected = ids.clone();
        expected.sort();
        assert_eq!(stored, expected);
    }
}

// --------------------------------------------------------------------------------------------
// Migrations.

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
    let path = scratch.file("events.db");
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
            ["checkpoints", "events", "outbox", "snapshots", "streams"]
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

// --------------------------------------------------------------------------------------------
// Runtimes: the store's SQLite work runs in place on a multi-thread runtime, on the blocking
// pool on a current-thread runtime and in a `LocalSet`.

/// A read model whose `apply` panics.
struct Panicking;

impl SqliteProjection<AnyEvent> for Panicking {
    fn name(&self) -> &str {
        "panicking"
    }

    fn apply(
        &mut self,
        _transaction: &rusqlite::Transaction<'_>,
        _event: &StoredEvent<AnyEvent>,
    ) -> rusqlite::Result<()> {
        panic!("a projection that panics");
    }
}

/// A panicking projection is an error of the call, and the store stays usable.
async fn a_panicking_projection_is_an_error(test: &str) {
    let scratch = Scratch::new(test);
    let store = Store::open(scratch.file("events.db")).expect("a new store");
    let character = Uuid::new_v4();
    append(&store, vec![skill(character, 1)])
        .await
        .expect("append");
    match store.run_sqlite_projection(Panicking).await {
        Err(StoreError::Database(message)) => {
            assert!(message.contains("panicked"), "{message}");
        }
        Err(other) => panic!("expected a database error, got {other:?}"),
        Ok(_) => panic!("a panicking projection ran"),
    }
    append(&store, vec![skill(character, 2)])
        .await
        .expect("the store still appends");
    assert_eq!(
        positions(&store.read_stream(character, 1).await.expect("reads")),
        [1, 2]
    );
    assert_eq!(store.load_checkpoint("panicking").await.expect("load"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_projection_is_an_error_in_place() {
    // In a task, on a worker thread: the work runs in place.
    tokio::spawn(a_panicking_projection_is_an_error("panic_in_place"))
        .await
        .expect("no panic escapes");
}

#[tokio::test]
async fn a_panicking_projection_is_an_error_on_the_blocking_pool() {
    a_panicking_projection_is_an_error("panic_on_the_pool").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_set_on_a_multi_thread_runtime_uses_the_blocking_pool() {
    let scratch = Scratch::new("local_set");
    let store = Store::open(scratch.file("events.db")).expect("a new store");
    let character = Uuid::new_v4();
    // tokio refuses `block_in_place` in a `LocalSet`: the store falls back to the pool, then
    // and on later calls from this thread.
    let local = tokio::task::LocalSet::new();
    local
        .run_until(async {
            for level in 1..=3 {
                append(&store, vec![skill(character, level)])
                    .await
                    .expect("append in a LocalSet");
            }
            let spawned = store.clone();
            tokio::task::spawn_local(async move {
                spawned
                    .read_stream(character, 1)
                    .await
                    .expect("read in a local task")
                    .len()
            })
            .await
            .expect("the local task ends")
        })
        .await;
    assert_eq!(
        positions(&store.read_stream(character, 1).await.expect("reads")),
        [1, 2, 3]
    );
}
