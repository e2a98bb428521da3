//! Projection checkpoints and aggregate snapshots.

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use crate::store::{CheckpointStore, StoreError};

use super::open::{SqliteEventStore, database_error};

impl<P: Send + Sync + 'static> CheckpointStore for SqliteEventStore<P> {
    async fn load_checkpoint(&self, projection: &str) -> Result<u64, StoreError> {
        let projection = projection.to_owned();
        self.with_connection(move |connection| {
            let position: Option<i64> = connection
                .query_row(
                    "SELECT position FROM checkpoints WHERE projection = ?1",
                    [projection],
                    |row| row.get(0),
                )
                .optional()
                .map_err(|error| database_error(&error))?;
            Ok(position
                .and_then(|position| u64::try_from(position).ok())
                .unwrap_or(0))
        })
        .await
    }

    async fn save_checkpoint(&self, projection: &str, position: u64) -> Result<(), StoreError> {
        let projection = projection.to_owned();
        self.with_connection(move |connection| save_checkpoint(connection, &projection, position))
            .await
    }

    async fn load_snapshot(&self, aggregate_id: Uuid) -> Result<Option<(u64, String)>, StoreError> {
        self.with_connection(move |connection| {
            let snapshot: Option<(i64, String)> = connection
                .query_row(
                    "SELECT stream_version, state FROM snapshots WHERE aggregate_id = ?1",
                    [aggregate_id.to_string()],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()
                .map_err(|error| database_error(&error))?;
            Ok(snapshot.map(|(version, state)| (u64::try_from(version).unwrap_or(0), state)))
        })
        .await
    }

    async fn save_snapshot(
        &self,
        aggregate_id: Uuid,
        aggregate_type: &str,
        version: u64,
        state: String,
    ) -> Result<(), StoreError> {
        let aggregate_type = aggregate_type.to_owned();
        self.with_connection(move |connection| {
            connection
                .execute(
                    "INSERT INTO snapshots (aggregate_id, aggregate_type, stream_version, state) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (aggregate_id) DO UPDATE SET stream_version = excluded.stream_version, state = excluded.state
                     WHERE excluded.stream_version > snapshots.stream_version",
                    params![aggregate_id.to_string(), aggregate_type, i64::try_from(version).unwrap_or(i64::MAX), state],
                )
                .map_err(|error| database_error(&error))?;
            Ok(())
        })
        .await
    }
}

/// Records a projection's position (inside the caller's transaction, if any).
pub(crate) fn save_checkpoint(
    connection: &Connection,
    projection: &str,
    position: u64,
) -> Result<(), StoreError> {
    connection
        .execute(
            "INSERT INTO checkpoints (projection, position) VALUES (?1, ?2)
             ON CONFLICT (projection) DO UPDATE SET position = excluded.position",
            params![projection, i64::try_from(position).unwrap_or(i64::MAX)],
        )
        .map_err(|error| database_error(&error))?;
    Ok(())
}
