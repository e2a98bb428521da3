//! Reading: [`EventReader`] for [`PostgresEventStore`].
//!
//! Every read is one statement. Appends commit in position order (they hold the log's head
//! until they commit), so what a statement sees is a prefix of the log: no later event is
//! returned while an earlier one is still uncommitted.

use std::sync::Arc;

use novel_events::{EventPayload, EventReader, StoreError, StoredEvent};
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::{AssertSqlSafe, Postgres};
use tokio::sync::watch;
use uuid::Uuid;

use crate::error::{bigint, database_error};
use crate::row::Row;
use crate::statements::sql;
use crate::store::PostgresEventStore;

impl<P> PostgresEventStore<P>
where
    P: EventPayload + Send + Sync + 'static,
{
    /// Runs a read and decodes its rows in order.
    async fn read(
        &self,
        query: Query<'_, Postgres, PgArguments>,
    ) -> Result<Vec<StoredEvent<P>>, StoreError> {
        let rows = query
            .fetch_all(&self.inner.pool)
            .await
            .map_err(database_error)?;
        rows.iter()
            .map(|row| Row::from_pg(row)?.decode(&self.inner.upcasters))
            .collect()
    }
}

/// A read statement.
fn statement(text: &Arc<str>) -> Query<'static, Postgres, PgArguments> {
    let text: AssertSqlSafe<Arc<str>> = sql(text);
    sqlx::query(text)
}

impl<P> EventReader<P> for PostgresEventStore<P>
where
    P: EventPayload + Send + Sync + 'static,
{
    async fn read_stream(
        &self,
        aggregate_id: Uuid,
        from_version: u64,
    ) -> Result<Vec<StoredEvent<P>>, StoreError> {
        self.read(
            statement(&self.inner.statements.read_stream)
                .bind(aggregate_id)
                .bind(bigint(from_version)),
        )
        .await
    }

    async fn read_all(&self, after: u64, limit: usize) -> Result<Vec<StoredEvent<P>>, StoreError> {
        self.read(
            statement(&self.inner.statements.read_all)
                .bind(bigint(after))
                .bind(bigint(limit as u64)),
        )
        .await
    }

    async fn read_correlation(
        &self,
        correlation_id: Uuid,
    ) -> Result<Vec<StoredEvent<P>>, StoreError> {
        self.read(statement(&self.inner.statements.read_correlation).bind(correlation_id))
            .await
    }

    async fn read_event(&self, event_id: Uuid) -> Result<Option<StoredEvent<P>>, StoreError> {
        Ok(self
            .read(statement(&self.inner.statements.read_event).bind(event_id))
            .await?
            .into_iter()
            .next())
    }

    async fn last_position(&self) -> Result<u64, StoreError> {
        self.inner.head().await
    }

    fn watch_position(&self) -> watch::Receiver<u64> {
        self.inner.last_position.subscribe()
    }
}
