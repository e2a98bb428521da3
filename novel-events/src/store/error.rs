//! Why the store failed.

use uuid::Uuid;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Optimistic concurrency: someone else appended first.
    #[error(
        "concurrency conflict on aggregate {aggregate_id}: expected stream version {expected}, but it is at {actual}; reload the aggregate and decide again"
    )]
    Conflict {
        /// The aggregate.
        aggregate_id: Uuid,
        /// What the writer expected (`0` for no stream).
        expected: u64,
        /// What the stream holds.
        actual: u64,
    },
    /// Some, but not all, of the eventIds of an append are already stored.
    #[error(
        "event {event_id} is already stored at position {position}, but the other events of this append are not: append new events in a separate call"
    )]
    PartlyStored {
        /// The eventId already stored.
        event_id: Uuid,
        /// Where.
        position: u64,
    },
    /// One append holds the same eventId twice.
    #[error("event {event_id} appears twice in one append: each event is appended once")]
    DuplicateInAppend {
        /// The repeated eventId.
        event_id: Uuid,
    },
    /// An append mixes aggregates.
    #[error(
        "an append holds events of aggregate {found}, but appends to {expected}: one append is one stream"
    )]
    MixedStreams {
        /// The stream appended to.
        expected: Uuid,
        /// Another aggregate found in the events.
        found: Uuid,
    },
    /// A payload breaks its catalog's constraints: nothing was stored.
    #[error("refused to store `{event_type}`: {source}")]
    Invalid {
        /// The eventType.
        event_type: &'static str,
        /// What is wrong.
        source: crate::ValidationError,
    },
    /// A stored event no longer decodes (its catalog changed without an upcaster, or the data
    /// was altered). The rest of the store stays readable.
    #[error(
        "the stored event at position {position} ({event_id}, `{event_type}` {event_version}) does not decode: {message}; add an upcaster for it, or fix the row"
    )]
    Undecodable {
        /// Its position.
        position: u64,
        /// Its eventId.
        event_id: String,
        /// Its eventType as stored.
        event_type: String,
        /// Its eventVersion as stored.
        event_version: String,
        /// The decoding error.
        message: String,
    },
    /// The store holds events that the payload type it is opened with cannot read, found when
    /// it opened ([`HoldingsCheck`](crate::HoldingsCheck)): every such eventType and version,
    /// with its count, why, and what to do. Nothing was read or changed.
    #[error("{0}")]
    UnreadableEvents(Box<crate::store::UnreadableEvents>),
    /// The file is not a novel-events store (or is damaged).
    #[error("`{path}` is not a novel-events event store: {message}")]
    NotAStore {
        /// The file.
        path: String,
        /// What was found.
        message: String,
    },
    /// The store was written by a newer version of novel-events.
    #[error(
        "`{path}` has schema version {found}, newer than this novel-events understands ({supported}): upgrade novel-events to open it"
    )]
    NewerSchema {
        /// The file.
        path: String,
        /// Its schema version.
        found: i64,
        /// The newest this build knows.
        supported: i64,
    },
    /// The disk (or the store's size limit) is full: the append was not stored.
    #[error("the event store is full ({message}); the append was rolled back, nothing was stored")]
    Full {
        /// The database's message.
        message: String,
    },
    /// Another connection (another process, or another handle of the file) held the store's
    /// write lock longer than the busy timeout: the operation did not happen. Retry it, with
    /// a backoff; if it happens often, raise the store's busy timeout or write from fewer
    /// processes.
    #[error(
        "the event store is busy: another connection held its lock past the busy timeout ({message}); nothing was done, retry"
    )]
    Busy {
        /// The database's message.
        message: String,
    },
    /// Any other database error.
    #[error("event store error: {0}")]
    Database(String),
}
