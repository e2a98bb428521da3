//! Opening a store: its options, the file's checks and migrations, and the shared state of
//! its handles.

use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use tokio::sync::watch;
use uuid::Uuid;

use crate::event::EventPayload;
use crate::store::{HoldingsCheck, StoreError, Upcasters};

use super::schema::{MIGRATIONS, MMAP_SIZE, SCHEMA_VERSION};

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
    /// Read the file through a memory map (`PRAGMA mmap_size`, up to SQLite's limit of 2 GB
    /// less 64 KiB). Off by default. It makes reads of a large log faster (loading an
    /// aggregate from 1,000,000 events: 24 instead of 33 µs of SQL; replay reads twice as
    /// many rows per second; `docs/benchmarks.md`), but a mapped page that cannot be read
    /// kills the process with `SIGBUS` instead of returning an error: a disk I/O error, or
    /// another process truncating the file (a stray `cp`, `truncate`, a restore). Turn it on
    /// where nothing but this library writes the file.
    pub memory_map: bool,
    /// How often a store that live subscribers follow ([`CatchUp`](crate::CatchUp),
    /// [`projection::follow`](crate::projection::follow), the relays) looks for appends of
    /// other processes and other handles of the file: the longest they wait to see one.
    /// Appends through this handle wake them at once. `Duration::ZERO` means the default,
    /// 100 ms.
    pub poll_interval: std::time::Duration,
    /// The longest an operation waits for another connection's write lock (another process,
    /// or another handle of the file) before it fails with [`StoreError::Busy`]; waiters try
    /// again every millisecond or so, however long they have waited, so that they share the
    /// lock fairly. `Duration::ZERO` means the default, 5 s.
    pub busy_timeout: std::time::Duration,
    /// What opening checks of the eventTypes and versions the store holds against the payload
    /// type it is opened with: by default that it can read them all
    /// ([`HoldingsCheck::Readable`]), so that a store written with another catalog, or with a
    /// newer one, is refused at once with what to do ([`StoreError::UnreadableEvents`])
    /// instead of failing at the first read.
    pub check_holdings: HoldingsCheck,
}

impl StoreOptions {
    /// The poll interval used when [`poll_interval`](Self::poll_interval) is zero.
    pub const DEFAULT_POLL_INTERVAL: std::time::Duration = std::time::Duration::from_millis(100);
    /// The busy timeout used when [`busy_timeout`](Self::busy_timeout) is zero.
    pub const DEFAULT_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);
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
    pub(super) inner: Arc<StoreInner>,
    pub(super) marker: PhantomData<fn() -> P>,
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
    pub(super) path: PathBuf,
    pub(super) outbox: bool,
    pub(super) upcasters: Upcasters,
    pub(super) last_position: watch::Sender<u64>,
    /// Whether the task that polls for other connections' appends runs (see [`super::watch`]).
    pub(super) polling: std::sync::atomic::AtomicBool,
    pub(super) poll_interval: std::time::Duration,
    /// The longest wait for another connection's lock (see [`super::busy`]).
    pub(super) busy_timeout: std::time::Duration,
    /// Streams' slots read so far (a slot never changes once its stream exists), so that
    /// `read_stream` is one rowid range; emptied when it reaches [`SLOT_CACHE`] entries.
    pub(super) slots: Mutex<std::collections::HashMap<Uuid, i64>>,
}

/// The most stream slots a store keeps in memory (a table of about 13 MB when full).
pub(super) const SLOT_CACHE: usize = 1 << 18;

pub(super) fn database_error(error: &rusqlite::Error) -> StoreError {
    if let Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) =
        error.sqlite_error_code()
    {
        return StoreError::Busy {
            message: error.to_string(),
        };
    }
    if let rusqlite::Error::SqliteFailure(failure, message) = error
        && matches!(failure.code, rusqlite::ErrorCode::DiskFull)
    {
        return StoreError::Full {
            message: message.clone().unwrap_or_else(|| failure.to_string()),
        };
    }
    StoreError::Database(error.to_string())
}

impl<P: EventPayload> SqliteEventStore<P> {
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

    /// Opens (or creates) the store at `path`. Refuses a file that is not a novel-events store
    /// ([`StoreError::NotAStore`]), one written by a newer schema ([`StoreError::NewerSchema`]),
    /// and one holding events that `P` cannot read, even through `options.upcasters`
    /// ([`StoreError::UnreadableEvents`], unless `options.check_holdings` says otherwise). An
    /// older schema is migrated.
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
        let busy_timeout = if options.busy_timeout.is_zero() {
            StoreOptions::DEFAULT_BUSY_TIMEOUT
        } else {
            options.busy_timeout
        };
        let mut connection =
            Connection::open(&path).map_err(|error| not_a_store(error.to_string()))?;
        // Wait for other openers' locks from the first read on: several processes (or
        // threads) may open a new store at once.
        connection
            .busy_timeout(busy_timeout)
            .map_err(|error| database_error(&error))?;
        // The queries are fixed and have one sensible plan each. Without the query planner
        // stability guarantee, SQLite marks a statement whose plan might depend on a bound
        // value (`aggregate_id = ?1`, `correlation_id = ?1`, `LIMIT ?2`) and expires it when
        // its bindings are cleared, which rusqlite's statement cache does each time it takes
        // the statement back: every append's version check, read_stream, read_all and
        // read_correlation was parsed and planned again (benches/store/).
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
        // A memory map only when asked for (see `StoreOptions::memory_map`): reading a mapped
        // page of a file another process truncated is a SIGBUS, which no error path can catch.
        let mmap_size = if options.memory_map { MMAP_SIZE } else { 0 };
        let mut pragmas = format!(
            "PRAGMA journal_mode = WAL; {synchronous} PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {}; PRAGMA mmap_size = {mmap_size};",
            busy_timeout.as_millis()
        );
        if let Some(pages) = options.max_pages {
            pragmas.push_str(&format!(" PRAGMA max_page_count = {pages};"));
        }
        // Switching a new file to WAL takes a write lock from within a read: when another
        // opener holds the write lock, SQLite fails at once (the busy timeout cannot apply to a
        // read turning into a write), so retry until the busy timeout would have passed.
        let deadline = std::time::Instant::now() + busy_timeout;
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
        super::holdings::check::<P>(
            &connection,
            &shown,
            &options.upcasters,
            options.check_holdings,
        )?;
        let last: i64 = connection
            .query_row("SELECT coalesce(max(position), 0) FROM events", [], |row| {
                row.get(0)
            })
            .map_err(|error| database_error(&error))?;
        let (last_position, _) = watch::channel(u64::try_from(last).unwrap_or(0));
        // From now on, the store's own way of waiting for locks (opening kept SQLite's).
        super::busy::install(&mut connection).map_err(|error| database_error(&error))?;
        Ok(Self {
            inner: Arc::new(StoreInner {
                connection: Mutex::new(connection),
                path,
                outbox: options.outbox,
                upcasters: options.upcasters,
                last_position,
                slots: Mutex::default(),
                polling: std::sync::atomic::AtomicBool::new(false),
                poll_interval: if options.poll_interval.is_zero() {
                    StoreOptions::DEFAULT_POLL_INTERVAL
                } else {
                    options.poll_interval
                },
                busy_timeout,
            }),
            marker: PhantomData,
        })
    }
}

impl<P> SqliteEventStore<P> {
    /// The file of the store.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Whether appends are recorded in the outbox.
    pub fn has_outbox(&self) -> bool {
        self.inner.outbox
    }
}

impl StoreInner {
    /// The slot of `aggregate_id`'s stream, from memory or from `streams`; `None` if it has no
    /// events.
    pub(super) fn slot(
        &self,
        connection: &Connection,
        aggregate_id: Uuid,
    ) -> Result<Option<i64>, StoreError> {
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
    pub(super) fn notify(&self, position: u64) {
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
