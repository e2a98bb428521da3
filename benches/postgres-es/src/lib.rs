//! Our PostgreSQL store (`novel-events-postgres`) side by side with postgres-es, the
//! PostgreSQL store of cqrs-es: the same appends and aggregate loads, on the same server, in
//! the same run (`benches/against_postgres_es.rs`; the figures are in `docs/benchmarks.md`,
//! "Against postgres-es").
//!
//! The contract of the two sides, [`ours`] and [`theirs`], is the fairness of the comparison:
//!
//! - **The same server and durability**: both connect to `NOVEL_EVENTS_POSTGRES_URL` (by
//!   default `postgres://postgres@127.0.0.1:5432/test`), plain TCP, the server's default
//!   `synchronous_commit` (an fsync per commit), each through its own sqlx (0.9 ours, 0.8
//!   theirs) with a pool of the same size.
//! - **Each side's idiomatic API**: ours `EventAppender::append`, `EventReader::read_stream`
//!   and `Repository`; theirs `PersistedEventStore` (the `EventStore` trait: `commit`,
//!   `load_events`, `load_aggregate`) over `PostgresEventRepository`, and `CqrsFramework`.
//!   Snapshots off on both sides.
//! - **The same events**: a Novel Engine `CharacterDeleted` payload (the catalog's generated
//!   type) in each event; cqrs-es's events carry, as their metadata map, the metadata our
//!   envelope carries (eventId, correlationId, causationId, timestamp, source), so each row
//!   holds the same information.
//! - **Tables of their own, fresh each run**: ours in a schema the store creates, theirs in
//!   a schema holding the tables of postgres-es's `db/init.sql` ([`theirs::TABLES`]); every
//!   schema is named with [`SCHEMA_PREFIX`], dropped at the end of the run, and the leftovers
//!   of an interrupted run are dropped at the start of the next ([`ours::drop_leftovers`]).

pub mod event;
pub mod ours;
pub mod theirs;

/// The start of the name of every schema a run creates.
pub const SCHEMA_PREFIX: &str = "bench_vs_postgres_es_";

/// The server: `NOVEL_EVENTS_POSTGRES_URL`, by default the tests' server
/// (`postgres://postgres@127.0.0.1:5432/test`).
pub fn url() -> String {
    std::env::var("NOVEL_EVENTS_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// A fresh schema name, [`SCHEMA_PREFIX`] and a random suffix.
pub fn fresh_schema() -> String {
    format!("{SCHEMA_PREFIX}{}", uuid::Uuid::new_v4().simple())
}
