//! The event store abstraction: an append-only log of envelopes, read by aggregate, by global
//! position and by correlation, with optimistic concurrency and idempotent appends.
//!
//! Reading and appending are separate traits ([`EventReader`], [`EventAppender`]), so a
//! component can be given only what it needs. `SqliteEventStore` (feature `sqlite`) is the
//! embedded default.
//!
//! Contract (every backend passes the suite in `tests/conformance/store/`): the log is append-only and
//! totally ordered by global position; an append is all or nothing, checks its
//! [`ExpectedVersion`], and is idempotent by eventId; reads return what was appended, upcast to
//! the newest eventVersion by the store's [`Upcasters`]; a store keeps the (eventType,
//! eventVersion) pairs it holds, in step with its log, and refuses at open to be read by a
//! payload type that cannot read them all ([`check_holdings`]).
//!
//! - [`EventReader`], [`EventAppender`], [`CheckpointStore`] and [`StoreError`]: the traits a
//!   backend implements, and [`check_append`], the checks every backend makes first;
//! - [`Upcasters`]: older eventVersions converted on read;
//! - [`check_holdings`] and [`HoldingsCheck`]: what a store holds, checked when it opens
//!   against the payload type it is opened with (`holdings/`);
//! - [`Repository`] and [`Aggregate`]: event sourcing on top of a store;
//! - [`projection`] and [`CatchUp`]: read models and subscriptions that follow the log;
//! - [`LogRelay`]: the log published to a bus at least once, in order, from a checkpoint, for
//!   any store and any bus;
//! - `SqliteEventStore` (feature `sqlite`): the embedded backend, with its outbox relay.

mod aggregate;
mod append_check;
mod catch_up;
mod error;
mod event_store;
mod holdings;
pub mod projection;
mod relay;
#[cfg(feature = "sqlite")]
mod sqlite;
mod upcast;

pub use aggregate::{Aggregate, AggregateOutcome, AggregateTest, CommandError, Repository};
pub use append_check::{check_append, check_append_with};
pub use catch_up::CatchUp;
pub(crate) use catch_up::read_decodable;
pub use error::StoreError;
pub use event_store::{
    AppendOutcome, CheckpointStore, EventAppender, EventReader, EventStore, ExpectedVersion,
    StoredEvent,
};
pub use holdings::{
    EventKind, HoldingsCheck, Reading, Unreadable, UnreadableEvent, UnreadableEvents,
    UnreadableKinds, check_holdings, classify,
};
pub use projection::{Projection, ProjectionError};
pub use relay::{LogRelay, RelayError, RelayTarget};
#[cfg(feature = "sqlite")]
pub use sqlite::{
    Durability, OutboxError, OutboxRelay, SCHEMA_VERSION, SqliteEventStore, SqliteProjection,
    StoreOptions,
};
pub use upcast::Upcasters;
