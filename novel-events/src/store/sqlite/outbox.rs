//! The transactional outbox: appending to the store and publishing to the bus cannot disagree.
//!
//! With [`StoreOptions::outbox`](crate::StoreOptions) on, every append also records its events
//! in an outbox table, in the same transaction. The relay publishes outbox entries in log order
//! and removes each only after the bus accepted it. So only committed events are published, and
//! every committed event is published at least once, even if the process dies between commit
//! and publish (the next relay run publishes it); idempotent subscribers make it exactly once.

use std::sync::Arc;

use crate::bus::{EventBus, PublishError};
use crate::event::EventPayload;
use crate::store::{EventReader, StoreError, StoredEvent};

use super::open::{SqliteEventStore, database_error};
use super::read::{decode, read_rows};

/// Why the relay stopped.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    /// Reading the outbox failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The bus refused an event; it stays in the outbox for the next run.
    #[error(
        "publishing the outbox entry at position {position} failed (it stays in the outbox): {source}"
    )]
    Publish {
        /// The event's position.
        position: u64,
        /// The bus's error.
        source: PublishError,
    },
    /// The store was opened without an outbox.
    #[error(
        "the store was opened without an outbox: open it with `StoreOptions {{ outbox: true, .. }}`"
    )]
    Disabled,
}

/// Publishes the outbox of a [`SqliteEventStore`] to a bus.
pub struct OutboxRelay<P, B> {
    store: SqliteEventStore<P>,
    bus: B,
}

impl<P, B> OutboxRelay<P, B>
where
    P: EventPayload + Clone + Send + Sync + 'static,
    B: EventBus<P>,
{
    /// Entries published per read of the outbox.
    pub const BATCH: usize = 256;

    /// A relay from `store` (opened with an outbox) to `bus`.
    pub fn new(store: SqliteEventStore<P>, bus: B) -> Result<Self, OutboxError> {
        if !store.has_outbox() {
            return Err(OutboxError::Disabled);
        }
        Ok(Self { store, bus })
    }

    /// Publishes every pending entry, oldest first; returns how many. Stops at the first entry
    /// the bus refuses (it stays pending).
    pub async fn relay_pending(&self) -> Result<usize, OutboxError> {
        let mut published = 0;
        loop {
            let pending = self.store.outbox_pending(Self::BATCH).await?;
            if pending.is_empty() {
                return Ok(published);
            }
            for event in pending {
                let position = event.position;
                self.bus
                    .publish(event.envelope)
                    .await
                    .map_err(|source| OutboxError::Publish { position, source })?;
                self.store.outbox_done(position).await?;
                published += 1;
            }
        }
    }

    /// Relays pending entries now and whenever events are appended, until `stop` resolves.
    pub async fn run(
        &self,
        stop: impl std::future::Future<Output = ()>,
    ) -> Result<usize, OutboxError> {
        let mut watch = self.store.watch_position();
        let mut total = self.relay_pending().await?;
        tokio::pin!(stop);
        loop {
            tokio::select! {
                () = &mut stop => return Ok(total + self.relay_pending().await?),
                changed = watch.changed() => {
                    if changed.is_err() {
                        return Ok(total);
                    }
                    total += self.relay_pending().await?;
                }
            }
        }
    }
}

impl<P> SqliteEventStore<P>
where
    P: EventPayload + Send + Sync + 'static,
{
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
