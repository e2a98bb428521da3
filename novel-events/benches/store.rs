//! Event store throughput and latency (append, replay, load an aggregate), each figure against
//! raw SQLite measured in the same run; what each figure means and the results:
//! `docs/benchmarks.md`, "Event store".
//!
//! `cargo bench -p novel-events --bench store -- --warm-up-time 1 --measurement-time 3`
//! (`-- none` runs only the interleaved report; `STORE_BENCH_REPORT=appends` or `=reads` prints
//! only those figures)

mod common;

use common::{fixtures, quartiles, rounds};

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use novel_events::novel_engine::AnyEvent;
use novel_events::{
    AppendOutcome, CatchUp, Durability, Envelope, EventAppender, EventReader, ExpectedVersion,
    SqliteEventStore, StoreOptions, name_based_aggregate_id,
};
use rusqlite::{Connection, TransactionBehavior, params};
use tokio::runtime::Runtime;
use uuid::Uuid;

type Env = Envelope<AnyEvent>;
type Store = SqliteEventStore<AnyEvent>;

/// Events of the big store.
const BIG: u64 = 1_000_000;
/// Events of the small store.
const SMALL: u64 = 1_000;
/// Events of the stores aggregates are loaded from: the small one (built through `append`),
/// two middle ones and the big one (built with raw INSERTs, cached).
const SIZES: [u64; 4] = [SMALL, 10_000, 100_000, BIG];
/// Events per aggregate in both.
const STREAM: u64 = 10;
/// Events replayed.
const REPLAY_EVENTS: u64 = 100_000;
/// Events of one batch append.
const BATCH: usize = 100;
/// Aggregates per fixture in the append workloads.
const AGGREGATES: usize = 8;
/// Changes when the big store's contents would change, so that a stale cache is rebuilt.
const BIG_STORE_FORMAT: u32 = 2;

/// The statement the store appends with (`sqlite_store.rs`), for the raw INSERTs.
const INSERT: &str = "INSERT INTO events (stream_key, position, event_id, aggregate_id, aggregate_type, stream_version,
                                         event_type, event_version, correlation_id, causation_id, timestamp, envelope)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
/// A new stream's row (the store inserts `aggregate_id` and reads the slot SQLite gives it).
const INSERT_STREAM: &str = "INSERT INTO streams (slot, aggregate_id) VALUES (?1, ?2)";
/// The query of `read_all`, for the raw replay.
const SELECT_PAGE: &str = "SELECT position, stream_version, event_id, event_type, event_version, envelope FROM events WHERE position > ?1 ORDER BY position LIMIT ?2";
/// `read_stream`'s query without the store's memory of stream slots, for the raw loads: the
/// stream's slot from `streams`, then its rowid range.
const SELECT_STREAM: &str =
    "SELECT events.position, events.stream_version, events.event_id, events.event_type,
                                  events.event_version, events.envelope
                           FROM streams JOIN events
                             ON events.stream_key >= (streams.slot << 32) + ?2
                            AND events.stream_key < (streams.slot + 1) << 32
                           WHERE streams.aggregate_id = ?1
                           ORDER BY events.stream_key";

// --- the events -------------------------------------------------------------------------------

/// Fixture `json` with its aggregate replaced by aggregate number `k` of the same kind, of its
/// own (fixtures that share an aggregate get distinct ones).
fn variant(name: &str, json: &str, k: u64) -> Env {
    let original: Env =
        serde_json::from_str(json).unwrap_or_else(|error| panic!("{name}: {error}"));
    let old = original.aggregate_id;
    let new = Uuid::new_v5(&old, format!("{name}-{k}").as_bytes());
    if let Ok(envelope) =
        serde_json::from_str::<Env>(&json.replace(&old.to_string(), &new.to_string()))
    {
        assert_eq!(envelope.aggregate_id, new, "{name}");
        return envelope;
    }
    // A name-based aggregate (SystemComponent: the id is derived from `payload.component`).
    let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
    let component = value["payload"]["component"]
        .as_str()
        .unwrap_or_else(|| panic!("{name}: no variant of its aggregate"))
        .to_owned();
    let component = format!("{component}-{name}-{k}");
    value["aggregateId"] = name_based_aggregate_id(&component).to_string().into();
    value["payload"]["component"] = component.into();
    serde_json::from_value(value).unwrap_or_else(|error| panic!("{name} #{k}: {error}"))
}

/// `count` aggregates' templates: aggregate `a` is fixture `a % 26` in variant `a / 26`.
fn aggregates(fixtures: &[(String, String)], count: u64) -> Vec<Env> {
    let templates: Vec<Env> = (0..count)
        .map(|a| {
            let (name, json) = &fixtures[(a % fixtures.len() as u64) as usize];
            variant(name, json, a / fixtures.len() as u64)
        })
        .collect();
    let distinct: std::collections::HashSet<Uuid> = templates
        .iter()
        .map(|template| template.aggregate_id)
        .collect();
    assert_eq!(
        distinct.len(),
        templates.len(),
        "two templates share an aggregate"
    );
    templates
}

/// A root event of the template's aggregate with this eventId.
fn event(template: &Env, event_id: Uuid) -> Env {
    let mut envelope = template.clone();
    envelope.event_id = event_id;
    envelope.correlation_id = event_id;
    envelope.causation_id = event_id;
    envelope
}

/// Increasing eventIds, unique within the process (as UUID v7 are increasing).
fn next_event_id() -> Uuid {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    Uuid::from_u64_pair(0x0199_0000_0000_7000, NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A row as the store writes it (see `append` in `sqlite_store.rs`).
#[derive(Clone)]
struct Row {
    /// The first event of its stream: its `streams` row is inserted first.
    new_stream: bool,
    slot: i64,
    stream_key: i64,
    position: i64,
    event_id: String,
    aggregate_id: String,
    aggregate_type: &'static str,
    stream_version: i64,
    event_type: &'static str,
    event_version: &'static str,
    correlation_id: String,
    causation_id: String,
    timestamp: String,
    envelope: String,
}

impl Row {
    /// The row of `envelope` at `stream_version` of the stream numbered `slot` (streams are
    /// numbered from 1 in the order of their first events, as the store numbers them), at
    /// `position`.
    fn of(envelope: &Env, slot: u64, stream_version: u64, position: u64) -> Self {
        let slot = i64::try_from(slot).unwrap();
        Self {
            new_stream: stream_version == 1,
            slot,
            stream_key: (slot << 32) + i64::try_from(stream_version).unwrap(),
            position: i64::try_from(position).unwrap(),
            event_id: envelope.event_id.to_string(),
            aggregate_id: envelope.aggregate_id.to_string(),
            aggregate_type: envelope.aggregate_type(),
            stream_version: i64::try_from(stream_version).unwrap(),
            event_type: envelope.event_type(),
            event_version: envelope.event_version(),
            correlation_id: envelope.correlation_id.to_string(),
            causation_id: envelope.causation_id.to_string(),
            timestamp: envelope
                .timestamp
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            envelope: serde_json::to_string(envelope).unwrap(),
        }
    }

    /// Inserts the row with `insert` (the prepared [`INSERT`]), after its stream's if new.
    fn insert(
        &self,
        transaction: &rusqlite::Transaction<'_>,
        insert: &mut rusqlite::CachedStatement<'_>,
    ) {
        if self.new_stream {
            transaction
                .prepare_cached(INSERT_STREAM)
                .unwrap()
                .execute(params![self.slot, self.aggregate_id])
                .unwrap();
        }
        insert
            .execute(params![
                self.stream_key,
                self.position,
                self.event_id,
                self.aggregate_id,
                self.aggregate_type,
                self.stream_version,
                self.event_type,
                self.event_version,
                self.correlation_id,
                self.causation_id,
                self.timestamp,
                self.envelope,
            ])
            .unwrap();
    }
}

// --- databases --------------------------------------------------------------------------------

fn bench_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/store-bench");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        std::fs::remove_file(PathBuf::from(file)).ok();
    }
}

/// A fresh, empty database file with the store's schema (created by the store).
fn fresh_db(name: &str) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let path = std::env::temp_dir().join(format!(
        "novel-events-store-bench-{}-{}-{name}.db",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    remove_db(&path);
    drop(Store::open(&path).unwrap());
    path
}

fn options(durability: Durability) -> StoreOptions {
    StoreOptions {
        durability,
        ..StoreOptions::default()
    }
}

/// The store's durability pragmas (`sqlite_store.rs`).
fn synchronous(durability: Durability) -> &'static str {
    match durability {
        Durability::PowerLoss => {
            "PRAGMA synchronous = FULL; PRAGMA fullfsync = ON; PRAGMA checkpoint_fullfsync = ON;"
        }
        Durability::ProcessCrash => "PRAGMA synchronous = NORMAL;",
    }
}

/// A raw connection with the store's settings: its pragmas, and the query planner stability
/// guarantee (without it, SQLite re-prepares a cached `... WHERE aggregate_id = ?1` at each use).
fn raw_connection(path: &Path, durability: Durability) -> Connection {
    let connection = Connection::open(path).unwrap();
    connection
        .set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )
        .unwrap();
    connection
        .execute_batch(&format!(
            "PRAGMA journal_mode = WAL; {} PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA mmap_size = 2147483648;",
            synchronous(durability)
        ))
        .unwrap();
    let mode: String = connection
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    connection
}

fn durability_name(durability: Durability) -> &'static str {
    match durability {
        Durability::PowerLoss => "power-loss",
        Durability::ProcessCrash => "process-crash",
    }
}

// --- 1. append --------------------------------------------------------------------------------

/// One append of a workload.
struct Append {
    aggregate: Uuid,
    /// The stream's version before it.
    before: u64,
    /// The stream's slot (streams numbered from 1 in the order of their first appends).
    slot: u64,
    /// The position of its first event.
    first_position: u64,
    events: Vec<Env>,
}

impl Append {
    /// Its rows, as the store writes them.
    fn rows(&self) -> Vec<Row> {
        self.events
            .iter()
            .enumerate()
            .map(|(index, envelope)| {
                let index = index as u64;
                Row::of(
                    envelope,
                    self.slot,
                    self.before + 1 + index,
                    self.first_position + index,
                )
            })
            .collect()
    }

    fn expected(&self) -> ExpectedVersion {
        if self.before == 0 {
            ExpectedVersion::NoStream
        } else {
            ExpectedVersion::Exactly(self.before)
        }
    }
}

/// Appends of one workload, on an empty store.
struct Workload {
    appends: Vec<Append>,
    events: usize,
}

impl Workload {
    /// `appends` appends of `per_append` events each, cycling over the templates, with fresh
    /// eventIds; versions, slots and positions as in an empty store.
    fn new(templates: &[Env], appends: usize, per_append: usize) -> Self {
        let mut streams = std::collections::HashMap::new();
        let mut position = 1;
        let appends: Vec<_> = templates
            .iter()
            .cycle()
            .take(appends)
            .map(|template| {
                let slots = streams.len() as u64;
                let (slot, version) = streams
                    .entry(template.aggregate_id)
                    .or_insert((slots + 1, 0u64));
                let before = *version;
                *version += per_append as u64;
                let events = (0..per_append)
                    .map(|_| event(template, next_event_id()))
                    .collect();
                let append = Append {
                    aggregate: template.aggregate_id,
                    before,
                    slot: *slot,
                    first_position: position,
                    events,
                };
                position += per_append as u64;
                append
            })
            .collect();
        Self {
            events: appends.len() * per_append,
            appends,
        }
    }

    /// The same rows, one vector per transaction.
    fn rows(&self) -> Vec<Vec<Row>> {
        self.appends.iter().map(Append::rows).collect()
    }
}

/// Runs `future` in a task of `runtime` (on a worker thread of a multi-thread runtime, where
/// an application's tasks call the store), and waits for it.
fn run<T: Send + 'static>(
    runtime: &Runtime,
    future: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    runtime.block_on(runtime.spawn(future)).unwrap()
}

/// Appends the workload through a fresh store; returns the time of the appends alone.
fn time_store(runtime: &Runtime, durability: Durability, workload: Workload) -> Duration {
    let path = fresh_db("store");
    let store = Store::open_with(&path, options(durability)).unwrap();
    let events = workload.events;
    let appender = store.clone();
    let elapsed = run(runtime, async move {
        let started = Instant::now();
        for append in workload.appends {
            let outcome = appender
                .append(append.aggregate, append.expected(), append.events)
                .await
                .unwrap();
            assert!(matches!(outcome, AppendOutcome::Appended { .. }));
        }
        started.elapsed()
    });
    assert_eq!(
        runtime.block_on(store.last_position()).unwrap(),
        events as u64
    );
    drop(store);
    remove_db(&path);
    elapsed
}

/// Inserts the workload's rows raw into a fresh database; returns the time of the inserts.
fn time_raw(durability: Durability, workload: &Workload) -> Duration {
    let rows = workload.rows();
    let path = fresh_db("raw");
    let mut connection = raw_connection(&path, durability);
    let elapsed = rows
        .iter()
        .map(|rows| insert_raw(&mut connection, rows))
        .sum();
    let count: i64 = connection
        .query_row("SELECT count(*) FROM events", [], |row| row.get(0))
        .unwrap();
    assert_eq!(count as usize, workload.events);
    drop(connection);
    remove_db(&path);
    elapsed
}

/// Inserts one transaction's rows raw; returns the time.
fn insert_raw(connection: &mut Connection, rows: &[Row]) -> Duration {
    let started = Instant::now();
    let transaction = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .unwrap();
    {
        let mut insert = transaction.prepare_cached(INSERT).unwrap();
        for row in rows {
            row.insert(&transaction, &mut insert);
        }
    }
    transaction.commit().unwrap();
    started.elapsed()
}

/// The ways of the interleaved append report.
const APPEND_WAYS: usize = 4;

/// The workload four ways, rotating append by append (and which way goes first), on four fresh
/// databases, so that a change in the machine's load (in fsync latency above all) hits all
/// alike, all in one task of `runtime`; returns the total times of:
/// 0. raw INSERTs of rows serialized up front, on the calling thread (the baseline);
/// 1. the same, serializing the rows (`Row::of`: the JSON and the text columns) inside the
///    timed region;
/// 2. the same as 0, each transaction on tokio's blocking pool (`spawn_blocking`), the hop the
///    store makes on a current-thread runtime;
/// 3. the store.
fn time_paired(
    runtime: &Runtime,
    durability: Durability,
    workload: Workload,
) -> [Duration; APPEND_WAYS] {
    let rows = workload.rows();
    let events = workload.events;
    let paths = [
        fresh_db("paired-raw"),
        fresh_db("paired-serializing"),
        fresh_db("paired-pool"),
        fresh_db("paired-store"),
    ];
    let mut raw = raw_connection(&paths[0], durability);
    let mut serializing = raw_connection(&paths[1], durability);
    let pooled = Arc::new(Mutex::new(raw_connection(&paths[2], durability)));
    let store = Store::open_with(&paths[3], options(durability)).unwrap();
    let appender = store.clone();
    let times = run(runtime, async move {
        let mut times = [Duration::ZERO; APPEND_WAYS];
        for (index, (append, rows)) in workload.appends.into_iter().zip(rows).enumerate() {
            let mut envelopes = Some(append.events.clone());
            let mut pooled_rows = Some(rows.clone());
            for offset in 0..APPEND_WAYS {
                match (index + offset) % APPEND_WAYS {
                    0 => times[0] += insert_raw(&mut raw, &rows),
                    1 => {
                        let started = Instant::now();
                        let rows = append.rows();
                        insert_raw(&mut serializing, &rows);
                        times[1] += started.elapsed();
                        drop(rows);
                    }
                    2 => {
                        let rows = pooled_rows.take().unwrap();
                        let connection = Arc::clone(&pooled);
                        let started = Instant::now();
                        tokio::task::spawn_blocking(move || {
                            insert_raw(&mut connection.lock().unwrap(), &rows);
                        })
                        .await
                        .unwrap();
                        times[2] += started.elapsed();
                    }
                    _ => {
                        let envelopes = envelopes.take().unwrap();
                        let expected = append.expected();
                        let started = Instant::now();
                        let outcome = appender
                            .append(append.aggregate, expected, envelopes)
                            .await
                            .unwrap();
                        times[3] += started.elapsed();
                        assert!(matches!(outcome, AppendOutcome::Appended { .. }));
                    }
                }
            }
        }
        times
    });
    assert_eq!(
        runtime.block_on(store.last_position()).unwrap(),
        events as u64
    );
    drop(store);
    for path in &paths {
        remove_db(path);
    }
    times
}

#[derive(Debug, Clone, Copy)]
enum Mode {
    Single,
    Batch,
}

impl Mode {
    fn per_append(self) -> usize {
        match self {
            Mode::Single => 1,
            Mode::Batch => BATCH,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Mode::Single => "one-at-a-time",
            Mode::Batch => "batch-100",
        }
    }
}

const APPEND_CASES: [(Mode, Durability); 4] = [
    (Mode::Single, Durability::PowerLoss),
    (Mode::Batch, Durability::PowerLoss),
    (Mode::Single, Durability::ProcessCrash),
    (Mode::Batch, Durability::ProcessCrash),
];

/// Events per round of the interleaved report.
fn round_events(mode: Mode, durability: Durability) -> usize {
    match (mode, durability) {
        (Mode::Single, Durability::PowerLoss) => 150,
        (Mode::Batch, Durability::PowerLoss) => 3_000,
        (Mode::Single, Durability::ProcessCrash) => 2_000,
        (Mode::Batch, Durability::ProcessCrash) => 10_000,
    }
}

fn bench_append(criterion: &mut Criterion, runtime: &Runtime, templates: &[Env]) {
    let mut group = criterion.benchmark_group("append");
    group.sample_size(10);
    for (mode, durability) in APPEND_CASES {
        let per_append = mode.per_append();
        group.throughput(Throughput::Elements(per_append as u64));
        let id = format!("{}/{}", mode.name(), durability_name(durability));
        group.bench_function(format!("store/{id}"), |b| {
            b.iter_custom(|iters| {
                time_store(
                    runtime,
                    durability,
                    Workload::new(templates, iters as usize, per_append),
                )
            });
        });
        group.bench_function(format!("raw/{id}"), |b| {
            b.iter_custom(|iters| {
                time_raw(
                    durability,
                    &Workload::new(templates, iters as usize, per_append),
                )
            });
        });
    }
    group.finish();
}

// --- 2. and 3. the stores of 1,000 and 1,000,000 events -------------------------------------------

/// Builds (or reuses) the store of `count` events: `count / STREAM` aggregates, the event at
/// position p of aggregate (p - 1) mod A, version (p - 1) / A + 1.
fn big_store(fixtures: &[(String, String)], count: u64) -> PathBuf {
    let path = bench_dir().join(format!("events-{count}-v{BIG_STORE_FORMAT}.db"));
    if path.exists() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let valid = Store::open_with(&path, options(Durability::ProcessCrash))
            .is_ok_and(|store| runtime.block_on(store.last_position()).ok() == Some(count));
        if valid {
            return path;
        }
        eprintln!("store bench: {} is stale, rebuilding it", path.display());
    }
    let started = Instant::now();
    eprintln!(
        "store bench: building {} ({count} events, once)",
        path.display()
    );
    remove_db(&path);
    drop(Store::open(&path).unwrap());
    let aggregates = aggregates(fixtures, count / STREAM);
    let mut connection = raw_connection(&path, Durability::ProcessCrash);
    let mut position = 0u64;
    while position < count {
        let transaction = connection.transaction().unwrap();
        {
            let mut insert = transaction.prepare_cached(INSERT).unwrap();
            for _ in 0..10_000.min(count - position) {
                let a = position % aggregates.len() as u64;
                let version = position / aggregates.len() as u64 + 1;
                position += 1;
                let envelope = event(
                    &aggregates[a as usize],
                    Uuid::from_u64_pair(0x0199_0000_0000_7000, position),
                );
                Row::of(&envelope, a + 1, version, position).insert(&transaction, &mut insert);
            }
        }
        transaction.commit().unwrap();
    }
    connection
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    drop(connection);
    eprintln!("store bench: built in {:.1?}", started.elapsed());
    path
}

/// The store of `SMALL` events, built through `append` (one event per call), with a check that
/// its rows are exactly what [`Row::of`] makes, so that the raw-built big store is a store's.
fn small_store(runtime: &Runtime, fixtures: &[(String, String)]) -> PathBuf {
    let path = bench_dir().join(format!("events-{SMALL}.db"));
    remove_db(&path);
    let aggregates = aggregates(fixtures, SMALL / STREAM);
    let store = Store::open_with(&path, options(Durability::ProcessCrash)).unwrap();
    let mut expected_rows = Vec::new();
    runtime.block_on(async {
        for position in 0..SMALL {
            let a = (position % aggregates.len() as u64) as usize;
            let version = position / aggregates.len() as u64;
            let envelope = event(
                &aggregates[a],
                Uuid::from_u64_pair(0x0199_0000_0000_7000, position + 1),
            );
            expected_rows.push(Row::of(&envelope, a as u64 + 1, version + 1, position + 1));
            let expected = if version == 0 {
                ExpectedVersion::NoStream
            } else {
                ExpectedVersion::Exactly(version)
            };
            store
                .append(envelope.aggregate_id, expected, vec![envelope])
                .await
                .unwrap();
        }
    });
    drop(store);
    let connection = Connection::open(&path).unwrap();
    let mut statement = connection
        .prepare(
            "SELECT position, event_id, aggregate_id, aggregate_type, stream_version, event_type, event_version,
                    correlation_id, causation_id, timestamp, envelope, stream_key FROM events ORDER BY position",
        )
        .unwrap();
    let stored: Vec<(i64, Vec<String>, i64, i64)> = statement
        .query_map([], |row| {
            let text = [1, 2, 3, 5, 6, 7, 8, 9, 10]
                .iter()
                .map(|&column| row.get::<_, String>(column))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((row.get(0)?, text, row.get(4)?, row.get(11)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(stored.len(), expected_rows.len());
    for ((position, text, version, stream_key), row) in stored.iter().zip(&expected_rows) {
        assert_eq!((*position, *stream_key), (row.position, row.stream_key));
        let expected = [
            row.event_id.as_str(),
            row.aggregate_id.as_str(),
            row.aggregate_type,
            row.correlation_id.as_str(),
            row.causation_id.as_str(),
            row.timestamp.as_str(),
            row.envelope.as_str(),
        ];
        assert_eq!(
            [
                &text[0], &text[1], &text[2], &text[5], &text[6], &text[7], &text[8]
            ]
            .map(String::as_str),
            expected,
            "row {position}: the raw rows differ from the store's"
        );
        assert_eq!(
            (text[3].as_str(), text[4].as_str()),
            (row.event_type, row.event_version)
        );
        assert_eq!(*version, row.stream_version);
    }
    let streams: Vec<(i64, String)> = connection
        .prepare("SELECT slot, aggregate_id FROM streams ORDER BY slot")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let expected_streams: Vec<(i64, String)> = expected_rows
        .iter()
        .filter(|row| row.new_stream)
        .map(|row| (row.slot, row.aggregate_id.clone()))
        .collect();
    assert_eq!(streams, expected_streams);
    path
}

/// The aggregate ids of a store built by [`big_store`] or [`small_store`].
fn aggregate_ids(path: &Path, count: u64) -> Vec<Uuid> {
    let connection = Connection::open(path).unwrap();
    let mut statement = connection
        .prepare("SELECT aggregate_id FROM events WHERE position <= ?1 ORDER BY position")
        .unwrap();
    statement
        .query_map([i64::try_from(count / STREAM).unwrap()], |row| {
            row.get::<_, String>(0)
        })
        .unwrap()
        .map(|id| id.unwrap().parse().unwrap())
        .collect()
}

/// Replays the first `events` events through `read_all` in pages of `page` (in a task of
/// `runtime`); returns the time.
fn time_replay(runtime: &Runtime, store: &Store, events: u64, page: usize) -> Duration {
    let store = store.clone();
    run(runtime, async move {
        let started = Instant::now();
        let mut after = 0;
        let mut decoded = 0u64;
        while after < events {
            let limit = page.min((events - after) as usize);
            let batch = store.read_all(after, limit).await.unwrap();
            decoded += batch.len() as u64;
            after = batch.last().unwrap().position;
            std::hint::black_box(batch);
        }
        assert_eq!(decoded, events);
        started.elapsed()
    })
}

/// One page by a raw SELECT and `serde_json::from_str` of each envelope.
fn raw_page(connection: &Connection, after: i64, limit: i64) -> Vec<(i64, i64, Env)> {
    let mut statement = connection.prepare_cached(SELECT_PAGE).unwrap();
    statement
        .query_map(params![after, limit], |row| {
            let json: String = row.get(5)?;
            Ok((
                row.get(0)?,
                row.get(1)?,
                serde_json::from_str(&json).unwrap(),
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The same pages by [`raw_page`], on the calling thread.
fn time_raw_replay(connection: &Connection, events: u64, page: usize) -> Duration {
    let started = Instant::now();
    let mut after = 0i64;
    let mut decoded = 0u64;
    while (after as u64) < events {
        let limit = page.min((events - after as u64) as usize) as i64;
        let batch = raw_page(connection, after, limit);
        decoded += batch.len() as u64;
        after = batch.last().unwrap().0;
        std::hint::black_box(batch);
    }
    assert_eq!(decoded, events);
    started.elapsed()
}

/// The next pseudo-random aggregate of `aggregates`.
fn pick(aggregates: &[Uuid], seed: &mut u64) -> Uuid {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    aggregates[((*seed >> 33) % aggregates.len() as u64) as usize]
}

/// Loads `loads` random aggregates of 10 events (in a task of `runtime`); returns each load's
/// time.
fn time_loads(
    runtime: &Runtime,
    store: &Store,
    aggregates: &Arc<[Uuid]>,
    loads: usize,
    seed: &mut u64,
) -> Vec<Duration> {
    let store = store.clone();
    let aggregates = Arc::clone(aggregates);
    let mut next = *seed;
    let (times, next) = run(runtime, async move {
        let mut times = Vec::with_capacity(loads);
        for _ in 0..loads {
            let aggregate = pick(&aggregates, &mut next);
            let started = Instant::now();
            let stream = store.read_stream(aggregate, 1).await.unwrap();
            times.push(started.elapsed());
            assert_eq!(stream.len() as u64, STREAM);
            std::hint::black_box(stream);
        }
        (times, next)
    });
    *seed = next;
    times
}

/// The queries of `read_stream`: the slot of a stream not in the store's memory, then the
/// rowid range of its events.
const SELECT_SLOT: &str = "SELECT slot FROM streams WHERE aggregate_id = ?1";
const SELECT_RANGE: &str = "SELECT position, stream_version, event_id, event_type, event_version, envelope FROM events WHERE stream_key >= ?1 AND stream_key < ?2 ORDER BY stream_key";

/// The same loads by a raw SELECT ([`SELECT_STREAM`]: the slot is looked up each time) and
/// `serde_json::from_str` (or, unless `decode`, only a look at each envelope's text), on the
/// calling thread.
fn time_raw_loads(
    connection: &Connection,
    aggregates: &[Uuid],
    loads: usize,
    seed: &mut u64,
    decode: bool,
) -> Vec<Duration> {
    if !decode {
        let mut statement = connection.prepare_cached(SELECT_STREAM).unwrap();
        let mut times = Vec::with_capacity(loads);
        for _ in 0..loads {
            let aggregate = pick(aggregates, seed);
            let started = Instant::now();
            let mut rows = statement.query(params![aggregate.to_string(), 1]).unwrap();
            let mut count = 0;
            while let Some(row) = rows.next().unwrap() {
                std::hint::black_box(row.get_ref(5).unwrap().as_str().unwrap().len());
                count += 1;
            }
            times.push(started.elapsed());
            assert_eq!(count, STREAM);
        }
        return times;
    }
    let mut statement = connection.prepare_cached(SELECT_STREAM).unwrap();
    let mut times = Vec::with_capacity(loads);
    for _ in 0..loads {
        let aggregate = pick(aggregates, seed);
        let started = Instant::now();
        let stream: Vec<(i64, Env)> = statement
            .query_map(params![aggregate.to_string(), 1], |row| {
                let json: String = row.get(5)?;
                Ok((row.get(1)?, serde_json::from_str(&json).unwrap()))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        times.push(started.elapsed());
        assert_eq!(stream.len() as u64, STREAM);
        std::hint::black_box(stream);
    }
    times
}

/// One store of the load benchmark.
struct Sized {
    events: u64,
    store: Store,
    path: PathBuf,
    aggregates: Arc<[Uuid]>,
}

struct Stores {
    /// The stores of [`SIZES`] events, smallest first.
    sizes: Vec<Sized>,
}

impl Stores {
    /// The store of `BIG` events.
    fn big(&self) -> &Sized {
        self.sizes.last().unwrap()
    }
}

fn bench_reads(criterion: &mut Criterion, runtime: &Runtime, stores: &Stores) {
    let mut group = criterion.benchmark_group("replay");
    group.sample_size(10);
    group.throughput(Throughput::Elements(REPLAY_EVENTS));
    group.bench_function("read_all/page-1000", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| time_replay(runtime, &stores.big().store, REPLAY_EVENTS, 1000))
                .sum()
        });
    });
    let raw = raw_connection(&stores.big().path, Durability::ProcessCrash);
    group.bench_function("raw/page-1000", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| time_raw_replay(&raw, REPLAY_EVENTS, 1000))
                .sum()
        });
    });
    group.finish();

    let mut group = criterion.benchmark_group("load_aggregate");
    group.throughput(Throughput::Elements(1));
    let mut seed = 1;
    for sized in &stores.sizes {
        group.bench_function(format!("read_stream-10/store-of-{}", sized.events), |b| {
            b.iter_custom(|iters| {
                time_loads(
                    runtime,
                    &sized.store,
                    &sized.aggregates,
                    iters as usize,
                    &mut seed,
                )
                .into_iter()
                .sum()
            });
        });
    }
    group.finish();
}

// --- interleaved rounds -----------------------------------------------------------------------

/// The median round trip of an empty `spawn_blocking`, the hop every store call makes to run
/// SQLite off the async threads.
fn blocking_hop(runtime: &Runtime) -> Duration {
    runtime.block_on(async {
        let mut times = Vec::with_capacity(2_000);
        for _ in 0..2_000 {
            let started = Instant::now();
            tokio::task::spawn_blocking(|| ()).await.unwrap();
            times.push(started.elapsed());
        }
        times.sort();
        times[times.len() / 2]
    })
}

/// The median time of an empty `block_in_place` in a task of a multi-thread runtime, the
/// store's way there.
fn in_place_hop(runtime: &Runtime) -> Duration {
    run(runtime, async {
        let mut times = Vec::with_capacity(2_000);
        for _ in 0..2_000 {
            let started = Instant::now();
            tokio::task::block_in_place(|| ());
            times.push(started.elapsed());
            tokio::task::yield_now().await;
        }
        times.sort();
        times[times.len() / 2]
    })
}

/// The interleaved append figures, on the multi-thread runtime (the store works in place)
/// and on the current-thread one (the store hops to the blocking pool).
fn interleaved_append(
    multi_thread: &Runtime,
    current_thread: &Runtime,
    templates: &[Env],
    count: usize,
) {
    println!(
        "  spawn_blocking round trip (median, current-thread runtime): {:.1?}; block_in_place in a task (median, multi-thread runtime): {:.1?}",
        blocking_hop(current_thread),
        in_place_hop(multi_thread),
    );
    for (runtime_name, runtime) in [
        ("multi-thread", multi_thread),
        ("current-thread", current_thread),
    ] {
        println!("  {runtime_name} runtime:");
        interleaved_append_on(runtime, templates, count);
    }
}

fn interleaved_append_on(runtime: &Runtime, templates: &[Env], count: usize) {
    for (mode, durability) in APPEND_CASES {
        let events = round_events(mode, durability);
        let appends = events / mode.per_append();
        let mut times: [Vec<f64>; APPEND_WAYS] = Default::default();
        for round in 0..=count {
            let measured = time_paired(
                runtime,
                durability,
                Workload::new(templates, appends, mode.per_append()),
            );
            if round > 0 {
                for (way, time) in measured.iter().enumerate() {
                    times[way].push(time.as_secs_f64());
                }
            }
        }
        let events = events as f64;
        let [raw, serializing, pooled, store] =
            [0, 1, 2, 3].map(|way| quartiles(times[way].clone()).1 / events * 1e6);
        // The median of the per-round throughput ratios store / way.
        let ratio = |baseline: usize| {
            let ratios: Vec<f64> = times[baseline]
                .iter()
                .zip(&times[3])
                .map(|(baseline, store)| baseline / store)
                .collect();
            quartiles(ratios)
        };
        let (r1, ratio_raw, r3) = ratio(0);
        println!(
            "  append {:<14} {:<14} us/event: raw {raw:>7.1}  raw+serialize {serializing:>7.1}  raw on the blocking pool {pooled:>7.1}  store {store:>7.1} ({:>6.0} events/s)",
            mode.name(),
            durability_name(durability),
            1e6 / store,
        );
        println!(
            "  {:<37} store/raw {ratio_raw:.3} [{r1:.3} .. {r3:.3}] {}   store/raw+serialize {:.3}   store/raw on the blocking pool {:.3}",
            "",
            if ratio_raw >= 0.7 {
                "(target 0.7 met)"
            } else {
                "(target 0.7 MISSED)"
            },
            ratio(1).1,
            ratio(2).1,
        );
    }
}

fn interleaved_reads(runtime: &Runtime, stores: &Stores, count: usize) {
    let raw = raw_connection(&stores.big().path, Durability::ProcessCrash);
    for page in [1000, CatchUp::<Store, AnyEvent>::BATCH] {
        let times = rounds(2, count, |way| {
            if way == 0 {
                time_raw_replay(&raw, REPLAY_EVENTS, page)
            } else {
                time_replay(runtime, &stores.big().store, REPLAY_EVENTS, page)
            }
        });
        let (_, raw, _) = quartiles(times[0].clone());
        let (_, store, _) = quartiles(times[1].clone());
        let ratios: Vec<f64> = times[0]
            .iter()
            .zip(&times[1])
            .map(|(raw, store)| raw / store)
            .collect();
        let (r1, ratio, r3) = quartiles(ratios);
        let events = REPLAY_EVENTS as f64;
        println!(
            "  replay {REPLAY_EVENTS} events, pages of {page:<5} read_all {:>8.0} events/s ({:.2} s)   raw SELECT + from_str {:>8.0} events/s   ratio {ratio:.3} [{r1:.3} .. {r3:.3}]",
            events / store,
            store,
            events / raw,
        );
    }

    const LOADS: usize = 2_000;
    // Per store of `SIZES`, three ways: through the store, by a raw SELECT + `from_str`, and by
    // the raw SELECT alone (SQLite's share). Way 3k + w is way w on the store `SIZES[k]`.
    const WAYS: [&str; 3] = ["read_stream", "raw SELECT + from_str", "raw SELECT alone"];
    let raws: Vec<Connection> = stores
        .sizes
        .iter()
        .map(|sized| raw_connection(&sized.path, Durability::ProcessCrash))
        .collect();
    // The steady state of a process that has been serving loads: every aggregate loaded once
    // (the store then knows every stream's slot, and every page of the files is mapped).
    let started = Instant::now();
    for (sized, raw) in stores.sizes.iter().zip(&raws) {
        let store = sized.store.clone();
        let aggregates = Arc::clone(&sized.aggregates);
        run(runtime, async move {
            for aggregate in aggregates.iter() {
                std::hint::black_box(store.read_stream(*aggregate, 1).await.unwrap());
            }
        });
        let mut statement = raw.prepare_cached(SELECT_STREAM).unwrap();
        for aggregate in sized.aggregates.iter() {
            let mut rows = statement.query(params![aggregate.to_string(), 1]).unwrap();
            while rows.next().unwrap().is_some() {}
        }
    }
    println!(
        "  loads, after loading every aggregate of each store once ({:.1?}):",
        started.elapsed()
    );
    let ways = WAYS.len() * stores.sizes.len();
    let mut seed = 7;
    let mut samples = vec![Vec::new(); ways];
    let mut faults = vec![0u64; ways];
    rounds(ways, count, |way| {
        let sized = &stores.sizes[way / WAYS.len()];
        let faults_before = minor_faults();
        let times = match way % WAYS.len() {
            0 => time_loads(runtime, &sized.store, &sized.aggregates, LOADS, &mut seed),
            w => time_raw_loads(
                &raws[way / WAYS.len()],
                &sized.aggregates,
                LOADS,
                &mut seed,
                w == 1,
            ),
        };
        faults[way] += minor_faults() - faults_before;
        let total = times.iter().sum();
        samples[way].extend(times.into_iter().map(|time| time.as_secs_f64()));
        total
    });
    let mut medians = vec![0.0; ways];
    for (way, values) in samples.iter_mut().enumerate() {
        values.sort_by(f64::total_cmp);
        let n = values.len();
        medians[way] = values[n / 2];
        println!(
            "  load a 10-event aggregate, {:<22} store of {:>9} events: median {:>6.1} us   p99 {:>7.1} us   minor page faults {:>5.2} per load   ({n} loads)",
            WAYS[way % WAYS.len()],
            stores.sizes[way / WAYS.len()].events,
            values[n / 2] * 1e6,
            values[n * 99 / 100] * 1e6,
            faults[way] as f64 / n as f64,
        );
    }
    for (w, name) in WAYS.iter().enumerate() {
        let ratios: Vec<String> = stores.sizes[1..]
            .iter()
            .enumerate()
            .map(|(k, sized)| {
                format!(
                    "{}: {:.2} (+{:.1} us)",
                    sized.events,
                    medians[WAYS.len() * (k + 1) + w] / medians[w],
                    (medians[WAYS.len() * (k + 1) + w] - medians[w]) * 1e6
                )
            })
            .collect();
        println!(
            "  load time / the store of {SMALL} events, {name}: {}",
            ratios.join(", ")
        );
    }
    let raw = &raws[raws.len() - 1];
    for (name, query, parameters) in [
        ("read_stream's slot lookup", SELECT_SLOT, params!["x"]),
        ("read_stream's rows", SELECT_RANGE, params![1, 2]),
        ("the raw loads", SELECT_STREAM, params!["x", 1]),
    ] {
        let plan: Vec<String> = raw
            .prepare(&format!("EXPLAIN QUERY PLAN {query}"))
            .unwrap()
            .query_map(parameters, |row| row.get(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        println!("  plan of {name}: {}", plan.join("; "));
    }
}

/// The minor page faults of this process so far (`/proc/self/stat`; 0 where there is none).
fn minor_faults() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's closing parenthesis, from the third (`state`); `minflt`
    // is the tenth.
    stat.rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().nth(7))
        .and_then(|field| field.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let fixtures = fixtures();
    let templates = aggregates(&fixtures, (AGGREGATES * fixtures.len()) as u64);
    // Store calls run in tasks of a multi-thread runtime, as in an application's
    // `#[tokio::main]`; the current-thread runtime is for the interleaved append figures.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let current_thread = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let args: Vec<String> = std::env::args().collect();
    let report =
        args.iter().any(|arg| arg == "--bench") && !args.iter().any(|arg| arg == "--profile-time");

    let stores = Stores {
        sizes: SIZES
            .iter()
            .map(|&events| {
                let path = if events == SMALL {
                    small_store(&runtime, &fixtures)
                } else {
                    big_store(&fixtures, events)
                };
                let aggregates: Arc<[Uuid]> = aggregate_ids(&path, events).into();
                assert_eq!(aggregates.len() as u64, events / STREAM);
                Sized {
                    events,
                    store: Store::open_with(&path, options(Durability::ProcessCrash)).unwrap(),
                    path,
                    aggregates,
                }
            })
            .collect(),
    };

    let mut criterion = Criterion::default().configure_from_args();
    bench_append(&mut criterion, &runtime, &templates);
    bench_reads(&mut criterion, &runtime, &stores);
    criterion.final_summary();
    if report {
        let rounds = 7;
        println!(
            "\nstore, interleaved: {rounds} rounds per figure (median [q1 .. q3] of the per-round ratio store/raw throughput); {} cores, load average {}",
            std::thread::available_parallelism().map_or(0, usize::from),
            std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .trim(),
        );
        // STORE_BENCH_REPORT=appends or =reads prints only those figures.
        let only = std::env::var("STORE_BENCH_REPORT").unwrap_or_default();
        if only != "reads" {
            interleaved_append(&runtime, &current_thread, &templates, rounds);
        }
        if only != "appends" {
            interleaved_reads(&runtime, &stores, rounds);
        }
    }
}
