//! The embedded event store: one SQLite file (WAL mode), the envelope JSON plus the columns the
//! queries need, schema migrations versioned in the code.
//!
//! Contract: [`SqliteEventStore`] implements the store's traits (it passes
//! the store conformance suite in `tests/conformance/store/` and `tests/store_faults/`); an acknowledged append is kept as
//! hard as its [`Durability`] says; a file that is not a novel-events store, or one of a newer
//! schema, is refused, an older one migrated; one holding events that the payload type it is
//! opened with cannot read is refused too ([`crate::store::check_holdings`]); the work runs
//! off the async scheduler.
//!
//! - [`schema`]: the migrations (`migrations/*.sql`) and the stream key;
//! - [`open`]: options, opening, and the state the handles share;
//! - [`holdings`]: the (eventType, eventVersion) pairs the store holds, checked at open;
//! - [`blocking`]: where the store's blocking work runs; [`busy`]: how it waits for locks;
//! - [`read`], [`append`], [`checkpoint`]: the traits' implementations;
//! - [`projection`]: read models applied in the store's own transactions;
//! - [`outbox`]: the transactional outbox and its relay;
//! - [`watch`]: the position watch, which also sees appends of other processes.

/// The query of events with its `WHERE ...` tail.
macro_rules! select {
    ($tail:literal) => {
        concat!(
            "SELECT position, stream_version, event_id, event_type, event_version, envelope FROM events",
            $tail
        )
    };
}

mod append;
mod blocking;
mod busy;
mod checkpoint;
mod holdings;
mod open;
mod outbox;
mod projection;
mod read;
mod schema;
mod watch;

pub use open::{Durability, SqliteEventStore, StoreOptions};
pub use outbox::{OutboxError, OutboxRelay};
pub use projection::SqliteProjection;
pub use schema::SCHEMA_VERSION;
