//! The event store abstraction: an append-only log of envelopes, read by aggregate, by global
//! position and by correlation, with optimistic concurrency and idempotent appends.
//!
//! Reading and appending are separate traits ([`EventReader`], [`EventAppender`]), so a
//! component can be given only what it needs. [`SqliteEventStore`](crate::SqliteEventStore) is
//! the embedded default; every backend must pass `tests/store_conformance.rs`.

use std::future::Future;

use uuid::Uuid;

use crate::envelope::Envelope;

/// An envelope as the store keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent<P> {
    /// Its place in the global log, from 1, without gaps.
    pub position: u64,
    /// Its place in its aggregate's stream, from 1.
    pub stream_version: u64,
    /// The event (upcast to the newest version on read).
    pub envelope: Envelope<P>,
}

/// What the writer expects of an aggregate's stream (optimistic concurrency).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedVersion {
    /// Append whatever the stream holds.
    Any,
    /// The stream must not exist yet.
    NoStream,
    /// The stream's last event must be at this version.
    Exactly(u64),
}

/// What an append did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppendOutcome {
    /// The events were appended; the stream is now at `stream_version`, the last one at
    /// `position`.
    Appended {
        /// The stream's new version.
        stream_version: u64,
        /// The global position of the last event appended.
        position: u64,
    },
    /// Every event was already stored (same eventIds): nothing was written. Appending the same
    /// events again is safe.
    AlreadyStored {
        /// The eventIds found.
        event_ids: Vec<Uuid>,
    },
}

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
    /// Any other database error.
    #[error("event store error: {0}")]
    Database(String),
}

/// Reading the log.
pub trait EventReader<P>: Send + Sync {
    /// One aggregate's stream from `from_version` (1 = the start), in order.
    fn read_stream(
        &self,
        aggregate_id: Uuid,
        from_version: u64,
    ) -> impl Future<Output = Result<Vec<StoredEvent<P>>, StoreError>> + Send;

    /// Up to `limit` events of the global log after position `after` (0 = from the start).
    fn read_all(
        &self,
        after: u64,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<StoredEvent<P>>, StoreError>> + Send;

    /// Every event of one flow, in log order.
    fn read_correlation(
        &self,
        correlation_id: Uuid,
    ) -> impl Future<Output = Result<Vec<StoredEvent<P>>, StoreError>> + Send;

    /// One event by id.
    fn read_event(
        &self,
        event_id: Uuid,
    ) -> impl Future<Output = Result<Option<StoredEvent<P>>, StoreError>> + Send;

    /// The position of the last event (0 when empty).
    fn last_position(&self) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Follows the position of the last appended event, for live subscriptions.
    fn watch_position(&self) -> tokio::sync::watch::Receiver<u64>;
}

/// Where projections record how far they got, and aggregates their snapshots.
pub trait CheckpointStore: Send + Sync {
    /// The last position a projection applied (0 when it never ran).
    fn load_checkpoint(
        &self,
        projection: &str,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;
    /// Records the last position a projection applied.
    fn save_checkpoint(
        &self,
        projection: &str,
        position: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// The latest snapshot of an aggregate: its stream version and state as JSON.
    fn load_snapshot(
        &self,
        aggregate_id: Uuid,
    ) -> impl Future<Output = Result<Option<(u64, String)>, StoreError>> + Send;
    /// Saves a snapshot of an aggregate at a stream version. A snapshot older than the one
    /// kept does not replace it (concurrent writers may finish out of order).
    fn save_snapshot(
        &self,
        aggregate_id: Uuid,
        aggregate_type: &str,
        version: u64,
        state: String,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// A catch-up subscription: every event after a position, first those stored, then live ones
/// as they are appended.
pub struct CatchUp<S, P> {
    store: S,
    position: u64,
    watch: tokio::sync::watch::Receiver<u64>,
    buffer: std::collections::VecDeque<StoredEvent<P>>,
}

impl<S: EventReader<P>, P> CatchUp<S, P> {
    /// Events read from the store per query.
    pub const BATCH: usize = 256;

    /// A subscription to every event after `after` (0 = from the start).
    pub fn new(store: S, after: u64) -> Self {
        let watch = store.watch_position();
        Self {
            store,
            position: after,
            watch,
            buffer: std::collections::VecDeque::new(),
        }
    }

    /// The position of the last event returned.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// The store read from.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The next event, waiting for one to be appended when caught up.
    pub async fn next(&mut self) -> Result<StoredEvent<P>, StoreError> {
        loop {
            if let Some(event) = self.buffer.pop_front() {
                self.position = event.position;
                return Ok(event);
            }
            let batch = read_decodable(&self.store, self.position, Self::BATCH).await?;
            if batch.is_empty() {
                let position = self.position;
                if self.watch.wait_for(|last| *last > position).await.is_err() {
                    return Err(StoreError::Database("the store was closed".into()));
                }
                continue;
            }
            self.buffer.extend(batch);
        }
    }
}

/// `read_all`, except that when an event of the batch does not decode, the events before it
/// are returned: the error comes once they are consumed, when it is the next event. So a
/// subscription or a projection gets as far as the log can be read.
pub(crate) async fn read_decodable<P, S: EventReader<P>>(
    store: &S,
    after: u64,
    limit: usize,
) -> Result<Vec<StoredEvent<P>>, StoreError> {
    match store.read_all(after, limit).await {
        Err(StoreError::Undecodable { position, .. }) if position > after.saturating_add(1) => {
            let before =
                usize::try_from(position - after - 1).map_or(limit, |count| count.min(limit));
            store.read_all(after, before).await
        }
        other => other,
    }
}

/// Appending to the log.
pub trait EventAppender<P>: Send + Sync {
    /// Appends events of one aggregate, if its stream is at `expected`. All or nothing; an
    /// append whose eventIds are all stored already is a no-op that says so.
    fn append(
        &self,
        aggregate_id: Uuid,
        expected: ExpectedVersion,
        events: Vec<Envelope<P>>,
    ) -> impl Future<Output = Result<AppendOutcome, StoreError>> + Send;
}

/// A store that reads and appends.
pub trait EventStore<P>: EventReader<P> + EventAppender<P> {}

impl<P, S: EventReader<P> + EventAppender<P>> EventStore<P> for S {}
