//! Read models kept in the store's database, applied exactly once: [`PostgresProjection`].
//!
//! Each event is applied and the projection's checkpoint advanced in one transaction, with the
//! checkpoint's row locked: a crash between two events re-applies nothing, and two processes
//! running the same projection never apply one event twice (the second waits for the first's
//! transaction, then finds the checkpoint past the event).

use std::future::Future;

use novel_events::{EventPayload, EventReader, StoreError, StoredEvent};
use sqlx::PgConnection;

use crate::error::{bigint, database_error, unsigned};
use crate::statements::sql;
use crate::store::PostgresEventStore;

/// A read model in the store's database, the PostgreSQL counterpart of
/// `novel_events::SqliteProjection`.
///
/// ```no_run
/// use novel_events::StoredEvent;
/// use novel_events::novel_engine::AnyEvent;
/// use novel_events_postgres::{PostgresProjection, sqlx};
///
/// /// Counts events per type in a table of the application's.
/// struct EventCounts;
///
/// impl PostgresProjection<AnyEvent> for EventCounts {
///     fn name(&self) -> &str {
///         "event-counts"
///     }
///
///     async fn apply(
///         &mut self,
///         transaction: &mut sqlx::PgConnection,
///         event: &StoredEvent<AnyEvent>,
///     ) -> Result<(), sqlx::Error> {
///         sqlx::query(
///             "INSERT INTO event_counts (event_type, count) VALUES ($1, 1)
///              ON CONFLICT (event_type) DO UPDATE SET count = event_counts.count + 1",
///         )
///         .bind(event.envelope.event_type())
///         .execute(transaction)
///         .await?;
///         Ok(())
///     }
/// }
/// ```
pub trait PostgresProjection<P>: Send {
    /// The projection's name (its checkpoint's key).
    fn name(&self) -> &str;

    /// Applies one event to the read model, inside `transaction` (committed with the
    /// checkpoint; an error rolls both back).
    fn apply(
        &mut self,
        transaction: &mut PgConnection,
        event: &StoredEvent<P>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

impl<P> PostgresEventStore<P>
where
    P: EventPayload + Send + Sync + 'static,
{
    /// Events read per batch by [`run_projection`](Self::run_projection).
    pub const PROJECTION_BATCH: usize = 256;

    /// Brings a [`PostgresProjection`] up to the end of the log: every event after its
    /// checkpoint is applied, event and checkpoint committed together. Returns how many events
    /// this call applied. A refused event stops the run with
    /// [`StoreError::Database`] naming the projection and position; the checkpoint stays
    /// before it.
    pub async fn run_projection<R: PostgresProjection<P>>(
        &self,
        projection: &mut R,
    ) -> Result<usize, StoreError> {
        let statements = &self.inner.statements;
        let mut after =
            novel_events::CheckpointStore::load_checkpoint(self, projection.name()).await?;
        let mut applied = 0;
        loop {
            let batch = self.read_all(after, Self::PROJECTION_BATCH).await?;
            if batch.is_empty() {
                return Ok(applied);
            }
            for event in &batch {
                let mut transaction = self.inner.pool.begin().await.map_err(database_error)?;
                let checkpoint: i64 = sqlx::query_scalar(sql(&statements.lock_checkpoint))
                    .bind(projection.name())
                    .fetch_one(&mut *transaction)
                    .await
                    .map_err(database_error)?;
                if unsigned(checkpoint) != after {
                    // Another runner moved the checkpoint: continue from where it is.
                    let _ = transaction.rollback().await;
                    after = unsigned(checkpoint);
                    break;
                }
                if let Err(error) = projection.apply(&mut transaction, event).await {
                    let _ = transaction.rollback().await;
                    return Err(StoreError::Database(format!(
                        "projection `{}` failed at position {}: {error}",
                        projection.name(),
                        event.position
                    )));
                }
                sqlx::query(sql(&statements.save_checkpoint))
                    .bind(projection.name())
                    .bind(bigint(event.position))
                    .execute(&mut *transaction)
                    .await
                    .map_err(database_error)?;
                transaction.commit().await.map_err(database_error)?;
                after = event.position;
                applied += 1;
            }
        }
    }
}
