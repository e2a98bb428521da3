//! Projection checkpoints and aggregate snapshots: [`CheckpointStore`] for
//! [`PostgresEventStore`].

use novel_events::{CheckpointStore, StoreError};
use sqlx::Row as _;
use uuid::Uuid;

use crate::error::{bigint, database_error, unsigned};
use crate::statements::sql;
use crate::store::PostgresEventStore;

impl<P: Send + Sync + 'static> CheckpointStore for PostgresEventStore<P> {
    async fn load_checkpoint(&self, projection: &str) -> Result<u64, StoreError> {
        let position: Option<i64> = sqlx::query_scalar(sql(&self.inner.statements.load_checkpoint))
            .bind(projection)
            .fetch_optional(&self.inner.pool)
            .await
            .map_err(database_error)?;
        Ok(position.map_or(0, unsigned))
    }

    async fn save_checkpoint(&self, projection: &str, position: u64) -> Result<(), StoreError> {
        sqlx::query(sql(&self.inner.statements.save_checkpoint))
            .bind(projection)
            .bind(bigint(position))
            .execute(&self.inner.pool)
            .await
            .map_err(database_error)?;
        Ok(())
    }

    async fn load_snapshot(&self, aggregate_id: Uuid) -> Result<Option<(u64, String)>, StoreError> {
        let row = sqlx::query(sql(&self.inner.statements.load_snapshot))
            .bind(aggregate_id)
            .fetch_optional(&self.inner.pool)
            .await
            .map_err(database_error)?;
        row.map(|row| {
            let version: i64 = row.try_get(0).map_err(database_error)?;
            let state: String = row.try_get(1).map_err(database_error)?;
            Ok((unsigned(version), state))
        })
        .transpose()
    }

    async fn save_snapshot(
        &self,
        aggregate_id: Uuid,
        aggregate_type: &str,
        version: u64,
        state: String,
    ) -> Result<(), StoreError> {
        sqlx::query(sql(&self.inner.statements.save_snapshot))
            .bind(aggregate_id)
            .bind(aggregate_type)
            .bind(bigint(version))
            .bind(state)
            .execute(&self.inner.pool)
            .await
            .map_err(database_error)?;
        Ok(())
    }
}
