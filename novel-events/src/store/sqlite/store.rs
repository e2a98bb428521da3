//! The embedded event store: one SQLite file (WAL mode), the envelope JSON plus the columns the
//! queries need, schema migrations versioned in the code.

use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tokio::sync::watch;
use uuid::Uuid;

use crate::envelope::Envelope;
use crate::event::EventPayload;
use crate::store::Upcasters;
use crate::store::{
    AppendOutcome, CheckpointStore, EventAppender, EventReader, ExpectedVersion, StoreError,
    StoredEvent,
};

/// The schema migrations, in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    // 1: the log, its indexes, the outbox, projection checkpoints and snapshots.
    "CREATE TABLE events (
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
    );",
    // 2: a stream's events side by side. Version 1 kept the rows in log order (the rowid was
    // the position), so the events of one aggregate lay on as many pages as it had events, and
    // loading it from a large log read that many pages (benches/store.rs: 1.7 to 2x the time
    // from 1,000,000 events as from 1,000). Now the rowid is the stream key (a stream's slot,
    // numbered in `streams`, times 2^32, plus the stream version): a stream's rows are
    // neighbours in the table, found by one rowid range, and the uniqueness of (aggregate,
    // version), the concurrency check, is the rowid's. The position is a column with a unique
    // index, which global-order reads follow. An index on (aggregate_id, stream_version)
    // covering the envelope, or a WITHOUT ROWID table, would cluster the rows too, but both
    // keep whole rows in their interior pages (six levels at a million events of 1 KB, even
    // with 16 KiB pages), spill rows over 1 KB to overflow pages with 4 KiB pages, and the
    // covering index stores every envelope twice. What this costs: global-order reads look
    // each event up by position (replay, benches/store.rs). Existing rows are copied in
    // stream order (once; it takes about the time of a copy of the log, and while it runs
    // the copy's size twice more in disk space, in the WAL and then in the file); the outbox is
    // rebuilt to reference the new table, and the old one dropped (its pages stay in the file,
    // free for new events, until a `VACUUM`).
    "CREATE TABLE streams (
        slot            INTEGER PRIMARY KEY,
        aggregate_id    TEXT NOT NULL UNIQUE
    );
    INSERT INTO streams (aggregate_id)
        SELECT aggregate_id FROM events GROUP BY aggregate_id ORDER BY min(position);
    CREATE TABLE events_v2 (
        stream_key      INTEGER PRIMARY KEY,
        position        INTEGER NOT NULL UNIQUE,
        event_id        TEXT NOT NULL UNIQUE,
        aggregate_id    TEXT NOT NULL,
        aggregate_type  TEXT NOT NULL,
        stream_version  INTEGER NOT NULL,
        event_type      TEXT NOT NULL,
        event_version   TEXT NOT NULL,
        correlation_id  TEXT NOT NULL,
        causation_id    TEXT NOT NULL,
        timestamp       TEXT NOT NULL,
        envelope        TEXT NOT NULL
    );
    INSERT INTO events_v2 (stream_key, position, event_id, aggregate_id, aggregate_type,
                           stream_version, event_type, event_version, correlation_id,
                           causation_id, timestamp, envelope)
        SELECT (streams.slot << 32) + events.stream_version, events.position, events.event_id,
               events.aggregate_id, events.aggregate_type, events.stream_version,
               events.event_type, events.event_version, events.correlation_id,
               events.causation_id, events.timestamp, events.envelope
        FROM events JOIN streams USING (aggregate_id)
        ORDER BY streams.slot, events.stream_version;
    CREATE TABLE outbox_v2 (position INTEGER PRIMARY KEY REFERENCES events_v2 (position));
    INSERT INTO outbox_v2 (position) SELECT position FROM outbox ORDER BY position;
    DROP TABLE outbox;
    DROP TABLE events;
    ALTER TABLE events_v2 RENAME TO events;
    ALTER TABLE outbox_v2 RENAME TO outbox;
    CREATE INDEX events_by_correlation ON events (correlation_id, position);",
];

/// `PRAGMA mmap_size` (SQLite lowers it to its own limit, 2 GB less 64 KiB).
const MMAP_SIZE: u64 = 1 << 31;

/// A stream's events have the rowids `slot << STREAM_KEY_BITS` + version (migration 2).
const STREAM_KEY_BITS: u32 = 32;
/// The largest stream version the stream key holds.
const MAX_STREAM_VERSION: u64 = (1 << STREAM_KEY_BITS) - 1;
/// The largest stream slot: `(slot + 1) << STREAM_KEY_BITS` must stay an `i64`.
const MAX_SLOT: i64 = (1 << (63 - STREAM_KEY_BITS)) - 2;

/// The first stream key of `slot`'s stream at `version`.
fn stream_key(slot: i64, version: u64) -> i64 {
    (slot << STREAM_KEY_BITS) + i64::try_from(version.min(1 << STREAM_KEY_BITS)).unwrap_or(0)
}

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How hard an acknowledged append is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// Survives a crash of the process and of the machine (`synchronous = FULL`: an fsync per
    /// append; on macOS `fullfsync`, which flushes the drive's cache too). The default.
    #[default]
    PowerLoss,
    /// Survives a crash of the process; a power loss may lose the last appends
    /// (`synchronous = NORMAL` in WAL mode). Faster.
    ProcessCrash,
}

/// Options of [`SqliteEventStore::open_with`].
#[derive(Debug, Clone, Default)]
pub struct StoreOptions {
    /// How hard appends are kept.
    pub durability: Durability,
    /// Record every append in the outbox, for an [`OutboxRelay`](crate::OutboxRelay).
    pub outbox: bool,
    /// Converters applied to older event versions when reading.
    pub upcasters: Upcasters,
    /// Largest database size in pages of 4 KiB (`PRAGMA max_page_count`), if limited.
    pub max_pages: Option<u64>,
}

/// The embedded event store, in one SQLite file.
///
/// Its SQLite work runs off the async scheduler: on a multi-thread tokio runtime in place
/// (`tokio::task::block_in_place`: the worker's other tasks move to another thread meanwhile,
/// but other futures of the calling task, joined or selected with the call, wait for it), on
/// a current-thread runtime or in a `LocalSet` on tokio's blocking pool. Either way a call's
/// work runs to its end once started, even if the caller stops waiting. tokio cannot be asked
/// beforehand whether a call runs in a `LocalSet`: the first such call on a thread tries, and
/// tokio prints the panic message of its refusal (caught) that once; builds with
/// `panic = "abort"` always use the blocking pool.
///
/// ```
/// use novel_events::novel_engine::{AnyEvent, characters::CharacterDeleted};
/// use novel_events::{Envelope, EventAppender, EventReader, ExpectedVersion, SqliteEventStore};
/// use uuid::Uuid;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), novel_events::StoreError> {
/// let store = SqliteEventStore::<AnyEvent>::open_in_memory()?;
/// let character = Uuid::new_v4();
/// let deleted = Envelope::new(
///     AnyEvent::from(CharacterDeleted {
///         character_id: character,
///         name: "Oren".into(),
///         deletion_reason: "retired".into(),
///         deleted_by: Uuid::new_v4(),
///     }),
///     "character-service",
/// );
/// store.append(character, ExpectedVersion::NoStream, vec![deleted.clone()]).await?;
/// let stream = store.read_stream(character, 1).await?;
/// assert_eq!(stream[0].envelope, deleted);
/// assert_eq!((stream[0].position, stream[0].stream_version), (1, 1));
/// # Ok(())
/// # }
/// ```
pub struct SqliteEventStore<P> {
    inner: Arc<StoreInner>,
    marker: PhantomData<fn() -> P>,
}

impl<P> Clone for SqliteEventStore<P> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            marker: PhantomData,
        }
    }
}

pub(crate) struct StoreInner {
    pub(crate) connection: Mutex<Connection>,
    path: PathBuf,
    outbox: bool,
    upcasters: Upcasters,
    last_position: watch::Sender<u64>,
    /// Streams' slots read so far (a slot never changes once its stream exists), so that
    /// `read_stream` is one rowid range; emptied when it reaches [`SLOT_CACHE`] entries.
    slots: Mutex<std::collections::HashMap<Uuid, i64>>,
}

/// The most stream slots a store keeps in memory (a table of about 13 MB when full).
const SLOT_CACHE: usize = 1 << 18;

fn database_error(error: &rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(failure, message) = error
        && matches!(failure.code, rusqlite::ErrorCode::DiskFull)
    {
        return StoreError::Full {
            message: message.clone().unwrap_or_else(|| failure.to_string()),
        };
    }
    StoreError::Database(error.to_string())
}

impl<P> SqliteEventStore<P> {
    /// The default file of an application's store: `events.db` in the current directory.
    pub const DEFAULT_PATH: &'static str = "events.db";

    /// Opens (or creates) the store at `path` with the default options.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with(path, StoreOptions::default())
    }

    /// A store in memory, for tests.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::open_with(":memory:", StoreOptions::default())
    }

    /// Opens (or creates) the store at `path`. Refuses a file that is not a novel-events store,
    /// or one written by a newer schema.
    pub fn open_with(path: impl AsRef<Path>, options: StoreOptions) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let shown = path.display().to_string();
        let not_a_store = |message: String| StoreError::NotAStore {
            path: shown.clone(),
            message,
        };
        // A lock held by another opener (creating or migrating the same file) is a database
        // error after the busy timeout, not a sign that the file is something else.
        let unreadable = |error: rusqlite::Error| match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                database_error(&error)
            }
            _ => not_a_store(error.to_string()),
        };
        let mut connection =
            Connection::open(&path).map_err(|error| not_a_store(error.to_string()))?;
        // Wait for other openers' locks from the first read on: several processes (or
        // threads) may open a new store at once.
        connection
            .busy_timeout(std::time::Duration::from_millis(5000))
            .map_err(|error| database_error(&error))?;
        // The queries are fixed and have one sensible plan each. Without the query planner
        // stability guarantee, SQLite marks a statement whose plan might depend on a bound
        // value (`aggregate_id = ?1`, `correlation_id = ?1`, `LIMIT ?2`) and expires it when
        // its bindings are cleared, which rusqlite's statement cache does each time it takes
        // the statement back: every append's version check, read_stream, read_all and
        // read_correlation was parsed and planned again (benches/store.rs).
        connection
            .set_db_config(
                rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
                true,
            )
            .map_err(|error| database_error(&error))?;
        // Reads the schema version and checks that the file is a store of ours (or empty).
        let schema_version = |connection: &Connection| -> Result<i64, StoreError> {
            // The first read of the file tells whether it is SQLite at all.
            let version: i64 = connection
                .query_row("PRAGMA user_version", [], |row| row.get(0))
                .map_err(unreadable)?;
            if version > SCHEMA_VERSION {
                return Err(StoreError::NewerSchema {
                    path: shown.clone(),
                    found: version,
                    supported: SCHEMA_VERSION,
                });
            }
            if version == 0 {
                let tables: i64 = connection
                    .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
                    .map_err(unreadable)?;
                if tables > 0 {
                    return Err(not_a_store(format!(
                        "it is a SQLite database with {tables} objects of its own and no novel-events schema"
                    )));
                }
            } else {
                // Another application may use `user_version` too: a store of ours has its tables.
                let ours: i64 = connection
                    .query_row(
                        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('events', 'outbox', 'checkpoints', 'snapshots')",
                        [],
                        |row| row.get(0),
                    )
                    .map_err(unreadable)?;
                if ours < 4 {
                    return Err(not_a_store(format!(
                        "it is a SQLite database with user_version {version} but without the novel-events tables (events, outbox, checkpoints, snapshots)"
                    )));
                }
            }
            Ok(version)
        };
        // Checked before the pragmas, so that a file of another application is left as it is;
        // in one read transaction, so that the version and the tables are of one moment (not
        // a version from before another opener's migration and its tables from after).
        let version = {
            let snapshot = connection.transaction().map_err(unreadable)?;
            let version = schema_version(&snapshot)?;
            snapshot.commit().map_err(|error| database_error(&error))?;
            version
        };
        let synchronous = match options.durability {
            // On macOS an fsync leaves the data in the drive's cache: a power loss keeps only
            // what F_FULLFSYNC flushed (the two `fullfsync` pragmas are no-ops elsewhere).
            Durability::PowerLoss => {
                "PRAGMA synchronous = FULL; PRAGMA fullfsync = ON; PRAGMA checkpoint_fullfsync = ON;"
            }
            Durability::ProcessCrash => "PRAGMA synchronous = NORMAL;",
        };
        // Reads through a memory map of the file (up to SQLite's limit, 2 GB less 64 KiB; the
        // rest of a larger file is read as before): a page already in the OS's cache costs no
        // system call and no copy. Loading an aggregate from a log of 1,000,000 events touches
        // a handful of pages no cache of SQLite's holds, and replay one page per event: with
        // the map, the SQL of a load took 24 instead of 33 µs, and replay's read twice as many
        // rows per second (benches/store.rs's store of 1,000,000 events; a larger
        // `cache_size` changed neither). Writes still go through the WAL. The price, as SQLite
        // documents it: an I/O error of the disk while reading a mapped page is a SIGBUS
        // instead of an error.
        let mut pragmas = format!(
            "PRAGMA journal_mode = WAL; {synchronous} PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA mmap_size = {MMAP_SIZE};"
        );
        if let Some(pages) = options.max_pages {
            pragmas.push_str(&format!(" PRAGMA max_page_count = {pages};"));
        }
        // Switching a new file to WAL takes a write lock from within a read: when another
        // opener holds the write lock, SQLite fails at once (the busy timeout cannot apply to a
        // read turning into a write), so retry until the busy timeout would have passed.
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(5000);
        loop {
            match connection.execute_batch(&pragmas) {
                Err(error)
                    if matches!(
                        error.sqlite_error_code(),
                        Some(
                            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                        )
                    ) && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                result => break result.map_err(|error| database_error(&error))?,
            }
        }
        if version < SCHEMA_VERSION {
            // One opener migrates, under the write lock; the others wait for it, read the
            // version again under the lock, and find nothing left to do (they used to run the
            // same migration again: `table events already exists`).
            let transaction = connection
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|error| database_error(&error))?;
            let version = schema_version(&transaction)?;
            for (index, migration) in MIGRATIONS
                .iter()
                .enumerate()
                .skip(usize::try_from(version).unwrap_or(0))
            {
                transaction
                    .execute_batch(migration)
                    .and_then(|()| {
                        transaction.execute_batch(&format!("PRAGMA user_version = {}", index + 1))
                    })
                    .map_err(|error| database_error(&error))?;
            }
            transaction
                .commit()
                .map_err(|error| database_error(&error))?;
            if version > 0 && version < SCHEMA_VERSION {
                // Migrating a store rewrote its log through the WAL: give that space back now
                // rather than keep a WAL file the size of the log (best effort: readers of
                // other connections may hold the checkpoint back; it is no error).
                let _ = connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
            }
        }
        let last: i64 = connection
            .query_row("SELECT coalesce(max(position), 0) FROM events", [], |row| {
                row.get(0)
            })
            .map_err(|error| database_error(&error))?;
        let (last_position, _) = watch::channel(u64::try_from(last).unwrap_or(0));
        Ok(Self {
            inner: Arc::new(StoreInner {
                connection: Mutex::new(connection),
                path,
                outbox: options.outbox,
                upcasters: options.upcasters,
                last_position,
                slots: Mutex::default(),
            }),
            marker: PhantomData,
        })
    }

    /// The file of the store.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Whether appends are recorded in the outbox.
    pub fn has_outbox(&self) -> bool {
        self.inner.outbox
    }

    /// Runs `work` on the connection, off the async scheduler: in place on a multi-thread
    /// runtime (`tokio::task::block_in_place`, which hands the worker's other tasks to another
    /// thread), in tokio's blocking pool otherwise (current-thread runtimes, `LocalSet`s).
    ///
    /// In place saves the round trip to a pooled thread and back, about 10 to 20 µs on a busy
    /// 2-core machine, as much as the rest of a small append's work (benches/store.rs). Either
    /// way the work runs to its end once started: a caller that stops waiting (a timeout)
    /// leaves an append stored all the same, and a panic in it (a projection's or an
    /// upcaster's) is an error of the call.
    pub(crate) async fn with_connection<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let inner = Arc::clone(&self.inner);
        let run = move || {
            let mut connection = inner
                .connection
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            work(&mut connection)
        };
        let run = match in_place(run) {
            InPlace::Done(result) => return result,
            InPlace::Refused(run) => run,
        };
        tokio::task::spawn_blocking(run)
            .await
            .map_err(|error| StoreError::Database(format!("the store's worker stopped: {error}")))?
    }
}

/// What [`in_place`] did.
enum InPlace<T, F> {
    /// It ran the work.
    Done(Result<T, StoreError>),
    /// Blocking in place is not allowed here: the work, not run.
    Refused(F),
}

thread_local! {
    /// Whether `block_in_place` refused this thread: a `LocalSet` on a multi-thread runtime.
    static IN_PLACE_REFUSED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `work` with `tokio::task::block_in_place` where that is allowed: on a multi-thread
/// runtime, outside a `LocalSet`. tokio offers no way to ask about a `LocalSet` beforehand and
/// panics there, before running anything; that panic is caught (once per thread: tokio's panic
/// message is printed that once) and the thread remembered. Built with `panic = "abort"`, the
/// panic could not be caught, so such builds always use the blocking pool.
fn in_place<T, F>(work: F) -> InPlace<T, F>
where
    F: FnOnce() -> Result<T, StoreError>,
{
    let multi_thread = tokio::runtime::Handle::try_current()
        .is_ok_and(|handle| handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    if !cfg!(panic = "unwind") || !multi_thread || IN_PLACE_REFUSED.get() {
        return InPlace::Refused(work);
    }
    let mut work = Some(work);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        tokio::task::block_in_place(|| work.take().map(|work| work()))
    }));
    match (outcome, work) {
        (Ok(Some(result)), _) => InPlace::Done(result),
        // Refused before running the work: it is still here.
        (Err(_), Some(work)) | (Ok(None), Some(work)) => {
            IN_PLACE_REFUSED.set(true);
            InPlace::Refused(work)
        }
        (Ok(None), None) => InPlace::Done(Err(StoreError::Database(
            "the store's work did not run".into(),
        ))),
        (Err(panic), None) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|message| (*message).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            InPlace::Done(Err(StoreError::Database(format!(
                "the store's worker stopped: it panicked: {message}"
            ))))
        }
    }
}

impl StoreInner {
    /// The slot of `aggregate_id`'s stream, from memory or from `streams`; `None` if it has no
    /// events.
    fn slot(&self, connection: &Connection, aggregate_id: Uuid) -> Result<Option<i64>, StoreError> {
        let lock = || self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&slot) = lock().get(&aggregate_id) {
            return Ok(Some(slot));
        }
        let slot: Option<i64> = connection
            .prepare_cached("SELECT slot FROM streams WHERE aggregate_id = ?1")
            .and_then(|mut statement| {
                statement
                    .query_row([aggregate_id.to_string()], |row| row.get(0))
                    .optional()
            })
            .map_err(|error| database_error(&error))?;
        // Only slots of streams that exist (committed, as no transaction is open between
        // calls) are kept: a stream created later gets its slot then.
        if let Some(slot) = slot {
            let mut slots = lock();
            if slots.len() >= SLOT_CACHE {
                slots.clear();
            }
            slots.insert(aggregate_id, slot);
        }
        Ok(slot)
    }

    /// Tells subscribers the log reached `position`.
    fn notify(&self, position: u64) {
        self.last_position.send_if_modified(|last| {
            if position > *last {
                *last = position;
                true
            } else {
                false
            }
        });
    }
}

/// The query of events with its `WHERE ...` tail.
macro_rules! select {
    ($tail:literal) => {
        concat!(
            "SELECT position, stream_version, event_id, event_type, event_version, envelope FROM events",
            $tail
        )
    };
}

struct Row {
    position: u64,
    stream_version: u64,
    event_id: String,
    event_type: String,
    event_version: String,
    /// The envelope's JSON text, or why the column does not hold text.
    envelope: Result<String, String>,
}

/// A column shown in an error, whatever it holds.
fn shown(value: rusqlite::types::ValueRef<'_>) -> String {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => "NULL".to_owned(),
        ValueRef::Integer(integer) => integer.to_string(),
        ValueRef::Real(real) => real.to_string(),
        ValueRef::Text(text) | ValueRef::Blob(text) => String::from_utf8_lossy(text).into_owned(),
    }
}

/// The envelope column as JSON text. A row altered outside the store may hold anything: it is
/// then undecodable, not a database error.
fn envelope_text(value: rusqlite::types::ValueRef<'_>) -> Result<String, String> {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => String::from_utf8(bytes.to_vec())
            .map_err(|error| format!("the envelope column is not UTF-8 text: {error}")),
        other => Err(format!(
            "the envelope column holds {}, not JSON text",
            other.data_type()
        )),
    }
}

fn read_rows(
    connection: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<Row>, StoreError> {
    let mut statement = connection
        .prepare_cached(sql)
        .map_err(|error| database_error(&error))?;
    let rows = statement
        .query_map(params, |row| {
            Ok(Row {
                position: row.get::<_, i64>(0)?.try_into().unwrap_or(0),
                stream_version: row.get::<_, i64>(1)?.try_into().unwrap_or(0),
                event_id: shown(row.get_ref(2)?),
                event_type: shown(row.get_ref(3)?),
                event_version: shown(row.get_ref(4)?),
                envelope: envelope_text(row.get_ref(5)?),
            })
        })
        .map_err(|error| database_error(&error))?;
    rows.map(|row| row.map_err(|error| database_error(&error)))
        .collect()
}

fn decode<P: EventPayload>(upcasters: &Upcasters, row: Row) -> Result<StoredEvent<P>, StoreError> {
    let undecodable = |message: String| StoreError::Undecodable {
        position: row.position,
        event_id: row.event_id.clone(),
        event_type: row.event_type.clone(),
        event_version: row.event_version.clone(),
        message,
    };
    let json = row
        .envelope
        .as_deref()
        .map_err(|message| undecodable(message.clone()))?;
    let envelope: Envelope<P> = if upcasters.handles(&row.event_type, &row.event_version) {
        let mut value: serde_json::Value =
            serde_json::from_str(json).map_err(|error| undecodable(error.to_string()))?;
        if !value.is_object() {
            // Indexing a non-object below would panic.
            return Err(undecodable("the envelope is not a JSON object".to_owned()));
        }
        let payload = value
            .get_mut("payload")
            .map(serde_json::Value::take)
            .unwrap_or_default();
        let (version, payload) = upcasters
            .upcast(&row.event_type, &row.event_version, payload)
            .map_err(undecodable)?;
        value["payload"] = payload;
        value["eventVersion"] = serde_json::Value::String(version);
        serde_json::from_value(value).map_err(|error| undecodable(error.to_string()))?
    } else {
        serde_json::from_str(json).map_err(|error| undecodable(error.to_string()))?
    };
    Ok(StoredEvent {
        position: row.position,
        stream_version: row.stream_version,
        envelope,
    })
}

impl<P> SqliteEventStore<P>
where
    P: EventPayload + Send + 'static,
{
    async fn read(
        &self,
        sql: &'static str,
        params: Vec<rusqlite::types::Value>,
    ) -> Result<Vec<StoredEvent<P>>, StoreError> {
        let inner = Arc::clone(&self.inner);
        self.with_connection(move |connection| {
            read_rows(connection, sql, rusqlite::params_from_iter(params))?
                .into_iter()
                .map(|row| decode(&inner.upcasters, row))
                .collect()
        })
        .await
    }
}

fn text(value: impl ToString) -> rusqlite::types::Value {
    rusqlite::types::Value::Text(value.to_string())
}

fn integer(value: u64) -> rusqlite::types::Value {
    rusqlite::types::Value::Integer(i64::try_from(value).unwrap_or(i64::MAX))
}

impl<P> EventReader<P> for SqliteEventStore<P>
where
    P: EventPayload + Send + Sync + 'static,
{
    async fn read_stream(
        &self,
        aggregate_id: Uuid,
        from_version: u64,
    ) -> Result<Vec<StoredEvent<P>>, StoreError> {
        // The stream's slot (kept in memory once read), then one rowid range: its rows are
        // neighbours (migration 2). With the slot known, a load from a store of 1,000,000
        // events skips the 3-level `streams` index: 1 to 4 µs of its 13 to 17 µs of SQL
        // (benches/store.rs).
        const SQL: &str =
            select!(" WHERE stream_key >= ?1 AND stream_key < ?2 ORDER BY stream_key");
        let inner = Arc::clone(&self.inner);
        self.with_connection(move |connection| {
            let Some(slot) = inner.slot(connection, aggregate_id)? else {
                return Ok(Vec::new());
            };
            read_rows(
                connection,
                SQL,
                params![
                    stream_key(slot, from_version.min(MAX_STREAM_VERSION + 1)),
                    (slot + 1) << STREAM_KEY_BITS
                ],
            )?
            .into_iter()
            .map(|row| decode(&inner.upcasters, row))
            .collect()
        })
        .await
    }

    async fn read_all(&self, after: u64, limit: usize) -> Result<Vec<StoredEvent<P>>, StoreError> {
        const SQL: &str = select!(" WHERE position > ?1 ORDER BY position LIMIT ?2");
        self.read(SQL, vec![integer(after), integer(limit as u64)])
            .await
    }

    async fn read_correlation(
        &self,
        correlation_id: Uuid,
    ) -> Result<Vec<StoredEvent<P>>, StoreError> {
        const SQL: &str = select!(" WHERE correlation_id = ?1 ORDER BY position");
        self.read(SQL, vec![text(correlation_id)]).await
    }

    async fn read_event(&self, event_id: Uuid) -> Result<Option<StoredEvent<P>>, StoreError> {
        const SQL: &str = select!(" WHERE event_id = ?1");
        Ok(self
            .read(SQL, vec![text(event_id)])
            .await?
            .into_iter()
            .next())
    }

    fn watch_position(&self) -> watch::Receiver<u64> {
        self.inner.last_position.subscribe()
    }

    async fn last_position(&self) -> Result<u64, StoreError> {
        self.with_connection(|connection| {
            let last: i64 = connection
                .query_row("SELECT coalesce(max(position), 0) FROM events", [], |row| {
                    row.get(0)
                })
                .map_err(|error| database_error(&error))?;
            Ok(u64::try_from(last).unwrap_or(0))
        })
        .await
    }
}

/// The statement appends insert with: stream key, position, eventId, aggregateId, aggregateType,
/// stream version, eventType, eventVersion, correlationId, causationId, timestamp, JSON.
const INSERT: &str = "INSERT INTO events (stream_key, position, event_id, aggregate_id, aggregate_type, stream_version,
                                         event_type, event_version, correlation_id, causation_id, timestamp, envelope)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

/// eventId, aggregateType, eventType, eventVersion, correlationId, causationId, timestamp, JSON.
type RowToInsert = (
    Uuid,
    &'static str,
    &'static str,
    &'static str,
    Uuid,
    Uuid,
    String,
    String,
);

impl<P> EventAppender<P> for SqliteEventStore<P>
where
    P: EventPayload + Send + Sync + 'static,
{
    async fn append(
        &self,
        aggregate_id: Uuid,
        expected: ExpectedVersion,
        events: Vec<Envelope<P>>,
    ) -> Result<AppendOutcome, StoreError> {
        for envelope in &events {
            if envelope.aggregate_id != aggregate_id {
                return Err(StoreError::MixedStreams {
                    expected: aggregate_id,
                    found: envelope.aggregate_id,
                });
            }
            envelope
                .payload
                .validate()
                .map_err(|source| StoreError::Invalid {
                    event_type: envelope.event_type(),
                    source,
                })?;
        }
        let mut seen = std::collections::HashSet::with_capacity(events.len());
        if let Some(repeated) = events
            .iter()
            .find(|envelope| !seen.insert(envelope.event_id))
        {
            return Err(StoreError::DuplicateInAppend {
                event_id: repeated.event_id,
            });
        }
        if events.is_empty() {
            return Ok(AppendOutcome::AlreadyStored {
                event_ids: Vec::new(),
            });
        }
        let rows: Vec<RowToInsert> = events
            .iter()
            .map(|envelope| {
                let json = serde_json::to_string(envelope)
                    .map_err(|error| StoreError::Database(error.to_string()))?;
                Ok((
                    envelope.event_id,
                    envelope.aggregate_type(),
                    envelope.event_type(),
                    envelope.event_version(),
                    envelope.correlation_id,
                    envelope.causation_id,
                    envelope
                        .timestamp
                        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                    json,
                ))
            })
            .collect::<Result<_, StoreError>>()?;
        let outbox = self.inner.outbox;
        let inner = Arc::clone(&self.inner);
        self.with_connection(move |connection| {
                let transaction = connection
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(|error| database_error(&error))?;
                // The stream's slot and last stream key, and the log's last position, in
                // one statement (each a seek to the end of a range).
                let (slot, last_key, last_position): (Option<i64>, Option<i64>, Option<i64>) = transaction
                    .prepare_cached(
                        "SELECT slot,
                                (SELECT stream_key FROM events WHERE stream_key >= slot << 32 AND stream_key < (slot + 1) << 32
                                 ORDER BY stream_key DESC LIMIT 1),
                                (SELECT position FROM events ORDER BY position DESC LIMIT 1)
                         FROM (SELECT (SELECT slot FROM streams WHERE aggregate_id = ?1) AS slot)",
                    )
                    .and_then(|mut statement| {
                        statement.query_row([aggregate_id.to_string()], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                    })
                    .map_err(|error| database_error(&error))?;
                let current = match (slot, last_key) {
                    (Some(slot), Some(key)) => u64::try_from(key - (slot << STREAM_KEY_BITS)).unwrap_or(0),
                    _ => 0,
                };
                let conflict = match expected {
                    ExpectedVersion::Any => None,
                    ExpectedVersion::NoStream => (current != 0).then_some(0),
                    ExpectedVersion::Exactly(version) => (current != version).then_some(version),
                };
                // New events at the expected version (the common case) are inserted without
                // looking their eventIds up first (that lookup cost about as much as the insert,
                // benches/store.rs): the unique index on event_id refuses one already stored,
                // and the append is then classified below, like one that conflicts.
                let mut position = u64::try_from(last_position.unwrap_or(0)).unwrap_or(0);
                let mut version = current;
                let mut refused = None;
                if conflict.is_none() {
                    if current + rows.len() as u64 > MAX_STREAM_VERSION {
                        return Err(StoreError::Database(format!(
                            "aggregate {aggregate_id} would have more than {MAX_STREAM_VERSION} events, the most one stream holds"
                        )));
                    }
                    let slot = match slot {
                        Some(slot) => slot,
                        None => {
                            transaction
                                .prepare_cached("INSERT INTO streams (aggregate_id) VALUES (?1)")
                                .and_then(|mut statement| statement.execute([aggregate_id.to_string()]))
                                .map_err(|error| database_error(&error))?;
                            let slot = transaction.last_insert_rowid();
                            if slot > MAX_SLOT {
                                return Err(StoreError::Database(format!(
                                    "the store holds {MAX_SLOT} streams, the most it can: aggregate {aggregate_id} cannot start another"
                                )));
                            }
                            slot
                        }
                    };
                    let mut insert = transaction
                        .prepare_cached(INSERT)
                        .map_err(|error| database_error(&error))?;
                    let mut outbox_insert = outbox
                        .then(|| transaction.prepare_cached("INSERT INTO outbox (position) VALUES (?1)"))
                        .transpose()
                        .map_err(|error| database_error(&error))?;
                    for (event_id, aggregate_type, event_type, event_version, correlation_id, causation_id, timestamp, json) in &rows {
                        version += 1;
                        position += 1;
                        let row_position = i64::try_from(position).unwrap_or(i64::MAX);
                        let inserted = insert.execute(params![
                            stream_key(slot, version),
                            row_position,
                            event_id.to_string(),
                            aggregate_id.to_string(),
                            aggregate_type,
                            i64::try_from(version).unwrap_or(i64::MAX),
                            event_type,
                            event_version,
                            correlation_id.to_string(),
                            causation_id.to_string(),
                            timestamp,
                            json,
                        ]);
                        match inserted {
                            Ok(_) => {}
                            Err(error)
                                if error.sqlite_extended_error_code() == Some(rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE) =>
                            {
                                refused = Some(error);
                                break;
                            }
                            Err(error) => return Err(database_error(&error)),
                        }
                        if let Some(outbox_insert) = &mut outbox_insert {
                            outbox_insert.execute([row_position]).map_err(|error| database_error(&error))?;
                        }
                    }
                }
                if conflict.is_some() || refused.is_some() {
                    // Nothing of this append is kept: roll back what was inserted, then look
                    // the eventIds up. Idempotent appends: all already stored is a no-op (even
                    // at another version: a retry of an append that was stored); some is an
                    // error.
                    drop(transaction);
                    let mut stored = Vec::new();
                    for (event_id, ..) in &rows {
                        let found: Option<i64> = connection
                            .prepare_cached("SELECT position FROM events WHERE event_id = ?1")
                            .and_then(|mut statement| statement.query_row([event_id.to_string()], |row| row.get(0)))
                            .optional()
                            .map_err(|error| database_error(&error))?;
                        if let Some(found) = found {
                            stored.push((*event_id, u64::try_from(found).unwrap_or(0)));
                        }
                    }
                    if stored.len() == rows.len() {
                        return Ok(AppendOutcome::AlreadyStored {
                            event_ids: stored.into_iter().map(|(id, _)| id).collect(),
                        });
                    }
                    if let Some((event_id, position)) = stored.first() {
                        return Err(StoreError::PartlyStored {
                            event_id: *event_id,
                            position: *position,
                        });
                    }
                    return Err(match (conflict, refused) {
                        (Some(expected), _) => StoreError::Conflict {
                            aggregate_id,
                            expected,
                            actual: current,
                        },
                        // Refused by another unique index than event_id's.
                        (None, error) => error.map_or_else(
                            || StoreError::Database("an insert was refused".into()),
                            |error| database_error(&error),
                        ),
                    });
                }
                transaction.commit().map_err(|error| database_error(&error))?;
                // Subscribers are told here, with the commit, not once the caller resumes: a
                // caller that stopped waiting (a timeout) leaves the events stored all the same.
                inner.notify(position);
                Ok(AppendOutcome::Appended {
                    stream_version: version,
                    position,
                })
            })
            .await
    }
}

impl<P: Send + Sync + 'static> CheckpointStore for SqliteEventStore<P> {
    async fn load_checkpoint(&self, projection: &str) -> Result<u64, StoreError> {
        let projection = projection.to_owned();
        self.with_connection(move |connection| {
            let position: Option<i64> = connection
                .query_row(
                    "SELECT position FROM checkpoints WHERE projection = ?1",
                    [projection],
                    |row| row.get(0),
                )
                .optional()
                .map_err(|error| database_error(&error))?;
            Ok(position
                .and_then(|position| u64::try_from(position).ok())
                .unwrap_or(0))
        })
        .await
    }

    async fn save_checkpoint(&self, projection: &str, position: u64) -> Result<(), StoreError> {
        let projection = projection.to_owned();
        self.with_connection(move |connection| save_checkpoint(connection, &projection, position))
            .await
    }

    async fn load_snapshot(&self, aggregate_id: Uuid) -> Result<Option<(u64, String)>, StoreError> {
        self.with_connection(move |connection| {
            let snapshot: Option<(i64, String)> = connection
                .query_row(
                    "SELECT stream_version, state FROM snapshots WHERE aggregate_id = ?1",
                    [aggregate_id.to_string()],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()
                .map_err(|error| database_error(&error))?;
            Ok(snapshot.map(|(version, state)| (u64::try_from(version).unwrap_or(0), state)))
        })
        .await
    }

    async fn save_snapshot(
        &self,
        aggregate_id: Uuid,
        aggregate_type: &str,
        version: u64,
        state: String,
    ) -> Result<(), StoreError> {
        let aggregate_type = aggregate_type.to_owned();
        self.with_connection(move |connection| {
            connection
                .execute(
                    "INSERT INTO snapshots (aggregate_id, aggregate_type, stream_version, state) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (aggregate_id) DO UPDATE SET stream_version = excluded.stream_version, state = excluded.state
                     WHERE excluded.stream_version > snapshots.stream_version",
                    params![aggregate_id.to_string(), aggregate_type, i64::try_from(version).unwrap_or(i64::MAX), state],
                )
                .map_err(|error| database_error(&error))?;
            Ok(())
        })
        .await
    }
}

/// Records a projection's position (inside the caller's transaction, if any).
pub(crate) fn save_checkpoint(
    connection: &Connection,
    projection: &str,
    position: u64,
) -> Result<(), StoreError> {
    connection
        .execute(
            "INSERT INTO checkpoints (projection, position) VALUES (?1, ?2)
             ON CONFLICT (projection) DO UPDATE SET position = excluded.position",
            params![projection, i64::try_from(position).unwrap_or(i64::MAX)],
        )
        .map_err(|error| database_error(&error))?;
    Ok(())
}

/// A read model kept in the store's own database: each event is applied and the projection's
/// checkpoint advanced in one transaction, so each event is applied exactly once, even across
/// crashes.
pub trait SqliteProjection<P>: Send + 'static {
    /// The projection's name (its checkpoint's key).
    fn name(&self) -> &str;
    /// Applies one event to the read model, inside `transaction`.
    fn apply(
        &mut self,
        transaction: &rusqlite::Transaction<'_>,
        event: &StoredEvent<P>,
    ) -> rusqlite::Result<()>;
}

impl<P> SqliteEventStore<P>
where
    P: EventPayload + Send + Sync + 'static,
{
    /// Brings a [`SqliteProjection`] up to the end of the log: every event after its checkpoint
    /// is applied, event and checkpoint committed together. Returns the projection and how many
    /// events it applied.
    pub async fn run_sqlite_projection<R: SqliteProjection<P>>(
        &self,
        mut projection: R,
    ) -> Result<(R, usize), StoreError> {
        let inner = Arc::clone(&self.inner);
        self.with_connection(move |connection| {
            let name = projection.name().to_owned();
            let mut applied = 0;
            loop {
                let after: i64 = connection
                    .query_row("SELECT coalesce((SELECT position FROM checkpoints WHERE projection = ?1), 0)", [&name], |row| row.get(0))
                    .map_err(|error| database_error(&error))?;
                let rows = read_rows(connection, select!(" WHERE position > ?1 ORDER BY position LIMIT 256"), [after])?;
                if rows.is_empty() {
                    return Ok((projection, applied));
                }
                for row in rows {
                    let event = decode::<P>(&inner.upcasters, row)?;
                    let transaction = connection.transaction().map_err(|error| database_error(&error))?;
                    projection
                        .apply(&transaction, &event)
                        .map_err(|error| StoreError::Database(format!("projection `{name}` failed at position {}: {error}", event.position)))?;
                    save_checkpoint(&transaction, &name, event.position)?;
                    transaction.commit().map_err(|error| database_error(&error))?;
                    applied += 1;
                }
            }
        })
        .await
    }

    /// The outbox's pending events, oldest first (at most `limit`).
    pub(crate) async fn outbox_pending(
        &self,
        limit: usize,
    ) -> Result<Vec<StoredEvent<P>>, StoreError> {
        let inner = Arc::clone(&self.inner);
        self.with_connection(move |connection| {
            read_rows(
                connection,
                select!(" WHERE position IN (SELECT position FROM outbox ORDER BY position LIMIT ?1) ORDER BY position"),
                [i64::try_from(limit).unwrap_or(i64::MAX)],
            )?
            .into_iter()
            .map(|row| decode(&inner.upcasters, row))
            .collect()
        })
        .await
    }

    /// Removes an event from the outbox once published.
    pub(crate) async fn outbox_done(&self, position: u64) -> Result<(), StoreError> {
        self.with_connection(move |connection| {
            connection
                .execute(
                    "DELETE FROM outbox WHERE position = ?1",
                    [i64::try_from(position).unwrap_or(i64::MAX)],
                )
                .map_err(|error| database_error(&error))?;
            Ok(())
        })
        .await
    }
}
