//! Projections (CQRS read models) with checkpoints: replay from zero rebuilds a read model, a
//! live run continues it from where it stopped.
//!
//! A projection kept in memory (or anywhere outside the store) is applied at least once per
//! event: its checkpoint is saved after each batch (and, when the projection refuses an event,
//! at the event before it), so a crash may re-apply the last batch. For exactly-once
//! application keep the read model in the store's database and implement
//! [`SqliteProjection`](crate::SqliteProjection) instead.

use crate::bus::HandlerError;
use crate::store::{CatchUp, CheckpointStore, EventReader, StoreError, StoredEvent};

/// A read model built from the log.
pub trait Projection<P>: Send {
    /// The projection's name (its checkpoint's key).
    fn name(&self) -> &str;
    /// Applies one event.
    fn apply(&mut self, event: &StoredEvent<P>) -> Result<(), HandlerError>;
}

/// Why a projection stopped.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    /// Reading the log or the checkpoint failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The projection refused an event; its checkpoint stays before it.
    #[error("projection `{projection}` failed at position {position}: {source}")]
    Apply {
        /// The projection.
        projection: String,
        /// The event's position.
        position: u64,
        /// Its error.
        source: HandlerError,
    },
}

/// Applies every event after the projection's checkpoint, up to the end of the log; returns
/// how many it applied.
pub async fn catch_up<P, S, R>(store: &S, projection: &mut R) -> Result<usize, ProjectionError>
where
    S: EventReader<P> + CheckpointStore,
    R: Projection<P>,
{
    let mut position = store.load_checkpoint(projection.name()).await?;
    let mut applied = 0;
    loop {
        let batch = crate::store::read_decodable(store, position, 500).await?;
        let Some(last) = batch.last().map(|event| event.position) else {
            return Ok(applied);
        };
        let mut done = position;
        for event in &batch {
            if let Err(source) = projection.apply(event) {
                // Record what was applied before the refused event, so that running again (with
                // the same projection) does not apply those events a second time.
                if done > position {
                    store.save_checkpoint(projection.name(), done).await?;
                }
                return Err(ProjectionError::Apply {
                    projection: projection.name().to_owned(),
                    position: event.position,
                    source,
                });
            }
            done = event.position;
            applied += 1;
        }
        position = last;
        store.save_checkpoint(projection.name(), position).await?;
    }
}

/// Rebuilds a projection from the start of the log (its checkpoint is reset first).
pub async fn replay<P, S, R>(store: &S, projection: &mut R) -> Result<usize, ProjectionError>
where
    S: EventReader<P> + CheckpointStore,
    R: Projection<P>,
{
    store.save_checkpoint(projection.name(), 0).await?;
    catch_up(store, projection).await
}

/// Catches up, then follows live appends until `stop` resolves, saving the checkpoint after
/// each event; returns how many events it applied.
pub async fn follow<P, S, R>(
    store: S,
    projection: &mut R,
    stop: impl std::future::Future<Output = ()>,
) -> Result<usize, ProjectionError>
where
    S: EventReader<P> + CheckpointStore,
    R: Projection<P>,
{
    let after = store.load_checkpoint(projection.name()).await?;
    let mut subscription = CatchUp::new(store, after);
    let mut applied = 0;
    tokio::pin!(stop);
    loop {
        let event = tokio::select! {
            () = &mut stop => return Ok(applied),
            event = subscription.next() => event?,
        };
        projection
            .apply(&event)
            .map_err(|source| ProjectionError::Apply {
                projection: projection.name().to_owned(),
                position: event.position,
                source,
            })?;
        applied += 1;
        subscription
            .store()
            .save_checkpoint(projection.name(), event.position)
            .await?;
    }
}
