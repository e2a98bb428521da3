//! The store's vocabulary and traits: reading and appending the log, checkpoints and
//! snapshots.

use std::future::Future;

use uuid::Uuid;

use super::StoreError;
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
