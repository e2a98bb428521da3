//! A PostgreSQL event store for novel-events: [`PostgresEventStore`] implements the
//! `novel_events` store traits ([`EventReader`](novel_events::EventReader),
//! [`EventAppender`](novel_events::EventAppender),
//! [`CheckpointStore`](novel_events::CheckpointStore)) and behaves as the embedded
//! `SqliteEventStore` does through them, so that catch-up subscriptions
//! ([`CatchUp`](novel_events::CatchUp)), projections and repositories run on either.
//!
//! ```no_run
//! use novel_events::novel_engine::{AnyEvent, characters::CharacterDeleted};
//! use novel_events::{CatchUp, Envelope, EventAppender, EventReader, ExpectedVersion};
//! use novel_events_postgres::PostgresEventStore;
//! use uuid::Uuid;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), novel_events::StoreError> {
//! let store =
//!     PostgresEventStore::<AnyEvent>::open("postgres://postgres@127.0.0.1:5432/app").await?;
//! let character = Uuid::new_v4();
//! let deleted = Envelope::new(
//!     AnyEvent::from(CharacterDeleted {
//!         character_id: character,
//!         name: "Oren".into(),
//!         deletion_reason: "retired".into(),
//!         deleted_by: Uuid::new_v4(),
//!     }),
//!     "character-service",
//! );
//! store.append(character, ExpectedVersion::NoStream, vec![deleted.clone()]).await?;
//! assert_eq!(store.read_stream(character, 1).await?[0].envelope, deleted);
//!
//! // Every event from the start, then live ones as any process appends them.
//! let mut subscription = CatchUp::new(store.clone(), 0);
//! let first = subscription.next().await?;
//! assert_eq!(first.position, 1);
//! # Ok(())
//! # }
//! ```
//!
//! # Requirements
//! PostgreSQL 15 or newer (it is tested with 15). The store keeps its tables in one schema
//! (`novel_events` by default, [`PostgresOptions::schema`]), created on
//! [`open`](PostgresEventStore::open) with its migrations; the database user needs the right
//! to create it, or an existing schema it owns.
//!
//! # Driver: sqlx
//! The store uses [sqlx](https://docs.rs/sqlx) (re-exported as [`sqlx`]), with plain
//! `sqlx::query` calls only: no query macros, so nothing needs a database, or offline query
//! data, at build time. sqlx is the driver the Rust event-sourcing crates use (cqrs-es,
//! esrs, disintegrate), so an application's pool can be shared with the store
//! ([`with_pool`](PostgresEventStore::with_pool)); it brings its own pool and a LISTEN client
//! ([`PgListener`](sqlx::postgres::PgListener)), which tokio-postgres would need two more crates
//! and a hand-driven connection for. Only its `postgres`, `runtime-tokio`, `uuid` and `chrono`
//! features are on (no macros, no migrate, no TLS). sqlx 0.9 needs Rust 1.94 (0.8 could not
//! share the workspace with rusqlite: both link SQLite).
//!
//! # Readers never skip an event
//! A position taken from a sequence is not enough: a transaction that took position 10 can
//! commit after one that took 11, and a reader that has passed 11 would never see 10. This
//! store serializes appends instead (the technique of Message DB's advisory lock, on a row):
//! an append locks the log's head row (`log_head`, `SELECT ... FOR UPDATE`) first, takes the
//! positions after it, and keeps the lock until its transaction ends. So appends commit in
//! position order, every committed read sees a prefix of the log, positions start at 1 and
//! have no gaps (a rolled-back append never took any), and `last_position` is one row.
//!
//! Why not the transaction-id horizon (recording `pg_current_xact_id()` per row and reading
//! only below `pg_snapshot_xmin(pg_current_snapshot())`): it is sound only for readers that
//! order by (transaction id, position), because a transaction whose id was assigned first can
//! take a later position. The store traits read by position (`read_all(after, limit)`, one
//! `u64` checkpoint per projection), and positions come from a sequence there, which leaves a
//! gap at each rolled-back append. What serializing costs: appends do not run in parallel;
//! each holds the head for three statements and its commit (its fsync), so concurrent writers
//! cannot share one fsync (group commit). Measured by `benches/append.rs` (one event per
//! append, PostgreSQL 15 on a loaded 2-core machine, default durability), against raw INSERTs
//! of the same rows that take positions from a sequence: with one writer 670 appends/s against
//! 470/s (no cost within the noise); with four concurrent writers 320/s against 1,830/s, a
//! factor of about 5.7. Batch the events of a command into one append to go beyond.
//! Readers take no lock at all.
//!
//! # Live subscribers: LISTEN/NOTIFY as a wake-up
//! Each append transaction sends one notification (`pg_notify` on
//! [`channel`](PostgresEventStore::channel), never one per row). A task per store listens and
//! moves [`watch_position`](novel_events::EventReader::watch_position) to the log's head it
//! then reads. Notifications are lost while that connection is down: the task also reads the
//! head every [`PostgresOptions::poll_interval`] (1 s by default), and listens again after a
//! lost connection.
//!
//! # Conformance
//! The store passes the runtime's store conformance suite, the one `SqliteEventStore` passes
//! (`tests/conformance.rs`, every store in a fresh schema on the real server).
//!
//! # Publishing the log to a bus
//! No outbox table: the runtime's [`LogRelay`](novel_events::LogRelay) follows the log from a
//! checkpoint kept in this store and publishes each event, in position order, through any bus
//! (JetStream, with `Nats-Msg-Id = eventId`, dedupes what a crash makes it publish twice). The
//! log is written in the append's own transaction, ordered, and never shrinks, so it already
//! is the outbox; see the relay's documentation for why this is as safe. `tests/relay.rs`
//! kills a relaying process in the middle of a batch and checks that JetStream ends up with
//! every event once, in log order.
//!
//! # Idempotent consumers across processes
//! [`PostgresIdempotency`] is the runtime's `IdempotencyStore` in the store's schema (table
//! `handled`): a subscriber claims an eventId before handling it and releases the claim when
//! its handler fails, so every process of that subscriber handles each event once.
//!
//! # Schema versions
//! The migrations are SQL files compiled in, recorded in a `schema_version` table. Opening a
//! schema written by a newer version of this crate is [`StoreError::NewerSchema`]; a schema
//! holding tables of the store's names that are not a store's is [`StoreError::NotAStore`].
//! Both leave the schema as it is.
//!
//! # What the store holds, checked at open
//! The table `event_kinds` lists the (eventType, eventVersion) pairs of the log: each append
//! adds its pairs in its one statement (a pair listed already costs an index lookup and writes
//! nothing), a statement that changes or removes rows of the log by hand lists them again (a
//! trigger), and migration 3 listed a schema written before it. Opening compares the pairs with
//! what the payload type decodes and refuses a schema it cannot read whole
//! ([`StoreError::UnreadableEvents`], each pair with its count, taken from the log on this
//! path only, and advice), as `SqliteEventStore` does; [`PostgresOptions::check_holdings`]
//! chooses what is checked (see [`HoldingsCheck`](novel_events::HoldingsCheck)). Runs of
//! `benches/append.rs` before and after the table, on a loaded 2-core machine, did not tell
//! the two apart from the noise (which moved the raw INSERT baseline by a factor of two
//! between runs).
//!
//! [`StoreError::NewerSchema`]: novel_events::StoreError::NewerSchema
//! [`StoreError::NotAStore`]: novel_events::StoreError::NotAStore
//! [`StoreError::UnreadableEvents`]: novel_events::StoreError::UnreadableEvents

mod append;
mod checkpoint;
mod error;
mod holdings;
mod idempotency;
mod options;
mod projection;
mod reader;
mod row;
mod schema;
mod statements;
mod store;
mod watch;

pub use idempotency::PostgresIdempotency;
pub use options::PostgresOptions;
pub use projection::PostgresProjection;
pub use schema::SCHEMA_VERSION;
pub use store::PostgresEventStore;

/// The sqlx crate the store is built on, for [`PostgresProjection`]s and shared pools.
pub use sqlx;
