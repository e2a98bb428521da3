//! Read models kept in the store's own database, applied exactly once.

use std::sync::Arc;

use crate::event::EventPayload;
use crate::store::{StoreError, StoredEvent};

use super::checkpoint::save_checkpoint;
use super::open::{SqliteEventStore, database_error};
use super::read::{decode, read_rows};

/// A read model kept in the store's own database: each event is applied and the projection's
/// checkpoint advanced in one transaction, so each event is applied exactly once, even across
/// crashes.
pub trait SqliteProjection<P>: Send + 'static {
    /// The projection's name (its checkpoint's key).
    fn name(&self) -> &str;
    /// Applies one event to the read model, inside `transaction`.
    fn apply(
        &mut self,
        transaction: &rusqlite::Transaction<'_>,
        event: &StoredEvent<P>,
    ) -> rusqlite::Result<()>;
}

impl<P> SqliteEventStore<P>
where
    P: EventPayload + Send + Sync + 'static,
{
    /// Brings a [`SqliteProjection`] up to the end of the log: every event after its checkpoint
    /// is applied, event and checkpoint committed together. Returns the projection and how many
    /// events it applied.
    pub async fn run_sqlite_projection<R: SqliteProjection<P>>(
        &self,
        mut projection: R,
    ) -> Result<(R, usize), StoreError> {
        let inner = Arc::clone(&self.inner);
        self.with_connection(move |connection| {
            let name = projection.name().to_owned();
            let mut applied = 0;
            loop {
                let after: i64 = connection
                    .query_row("SELECT coalesce((SELECT position FROM checkpoints WHERE projection = ?1), 0)", [&name], |row| row.get(0))
                    .map_err(|error| database_error(&error))?;
                let rows = read_rows(connection, select!(" WHERE position > ?1 ORDER BY position LIMIT 256"), [after])?;
                if rows.is_empty() {
                    return Ok((projection, applied));
                }
                for row in rows {
                    let event = decode::<P>(&inner.upcasters, row)?;
                    let transaction = connection.transaction().map_err(|error| database_error(&error))?;
                    projection
                        .apply(&transaction, &event)
                        .map_err(|error| StoreError::Database(format!("projection `{name}` failed at position {}: {error}", event.position)))?;
                    save_checkpoint(&transaction, &name, event.position)?;
                    transaction.commit().map_err(|error| database_error(&error))?;
                    applied += 1;
                }
            }
        })
        .await
    }
}
