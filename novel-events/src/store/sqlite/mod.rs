//! The embedded event store on SQLite.

mod outbox;
mod store;

pub use outbox::{OutboxError, OutboxRelay};
pub use store::{Durability, SCHEMA_VERSION, SqliteEventStore, SqliteProjection, StoreOptions};
