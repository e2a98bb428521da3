//! Appending: [`EventAppender`] for [`PostgresEventStore`], and appends inside a caller's
//! transaction.
//!
//! An append locks the log's head row (`FOR UPDATE`) first and keeps it until its transaction
//! ends: appends take their positions one after the other and commit in that order, so
//! positions have no gaps and a reader never sees an event before every lower position is
//! committed (see the crate documentation). Then the stream's version and the eventIds already
//! stored are read (one statement), the append is classified as `SqliteEventStore` does, and
//! the rows are inserted, the head moved and one notification sent (one statement).

use chrono::{DateTime, Utc};
use novel_events::{
    AppendOutcome, Envelope, EventAppender, EventPayload, ExpectedVersion, StoreError,
};
use sqlx::{PgConnection, Row as _};
use uuid::Uuid;

use crate::error::{bigint, database_error, unsigned};
use crate::statements::sql;
use crate::store::PostgresEventStore;

/// The columns of an append's rows, one vector per column.
#[derive(Default)]
struct Rows {
    event_id: Vec<Uuid>,
    aggregate_type: Vec<&'static str>,
    event_type: Vec<&'static str>,
    event_version: Vec<&'static str>,
    correlation_id: Vec<Uuid>,
    causation_id: Vec<Uuid>,
    timestamp: Vec<DateTime<Utc>>,
    envelope: Vec<String>,
}

/// Checks an append before any database work, as every store does
/// ([`check_append`](novel_events::store::check_append)), and returns its rows.
fn prepare<P: EventPayload>(
    aggregate_id: Uuid,
    events: &[Envelope<P>],
) -> Result<Rows, StoreError> {
    novel_events::store::check_append(aggregate_id, events)?;
    let mut rows = Rows::default();
    for envelope in events {
        rows.envelope.push(
            serde_json::to_string(envelope)
                .map_err(|error| StoreError::Database(error.to_string()))?,
        );
        rows.event_id.push(envelope.event_id);
        rows.aggregate_type.push(envelope.aggregate_type());
        rows.event_type.push(envelope.event_type());
        rows.event_version.push(envelope.event_version());
        rows.correlation_id.push(envelope.correlation_id);
        rows.causation_id.push(envelope.causation_id);
        rows.timestamp.push(envelope.timestamp);
    }
    Ok(rows)
}

impl<P> PostgresEventStore<P>
where
    P: EventPayload + Send + Sync + 'static,
{
    /// Appends like [`EventAppender::append`], inside the caller's open transaction (for
    /// example with writes of the caller's own tables, committed together).
    ///
    /// The log's head stays locked until the transaction ends: other appends wait for it, so
    /// commit or roll back soon. Live subscribers hear of the events once the transaction
    /// commits (its notification). On an error, nothing was written by this call.
    pub async fn append_in(
        &self,
        transaction: &mut PgConnection,
        aggregate_id: Uuid,
        expected: ExpectedVersion,
        events: Vec<Envelope<P>>,
    ) -> Result<AppendOutcome, StoreError> {
        let rows = prepare(aggregate_id, &events)?;
        if events.is_empty() {
            return Ok(AppendOutcome::AlreadyStored {
                event_ids: Vec::new(),
            });
        }
        self.append_rows(transaction, aggregate_id, expected, rows)
            .await
    }

    /// The append's work under the head's lock.
    async fn append_rows(
        &self,
        connection: &mut PgConnection,
        aggregate_id: Uuid,
        expected: ExpectedVersion,
        rows: Rows,
    ) -> Result<AppendOutcome, StoreError> {
        let statements = &self.inner.statements;
        let head: i64 = sqlx::query_scalar(sql(&statements.lock_head))
            .fetch_one(&mut *connection)
            .await
            .map_err(database_error)?;
        let count = rows.event_id.len() as u64;
        let first_position = unsigned(head) + 1;
        let last_position = unsigned(head) + count;
        let positions: Vec<i64> = (first_position..=last_position).map(bigint).collect();
        let expected_version: Option<i64> = match expected {
            ExpectedVersion::Any => None,
            ExpectedVersion::NoStream => Some(0),
            ExpectedVersion::Exactly(version) => Some(bigint(version)),
        };
        // One statement checks and inserts (a round trip less than a check, then an insert);
        // it starts after the head's lock was taken, so it sees every append before this one.
        let appended = sqlx::query(sql(&statements.append))
            .bind(aggregate_id)
            .bind(&positions)
            .bind(&rows.event_id)
            .bind(&rows.aggregate_type)
            .bind(expected_version)
            .bind(&rows.event_type)
            .bind(&rows.event_version)
            .bind(&rows.correlation_id)
            .bind(&rows.causation_id)
            .bind(&rows.timestamp)
            .bind(bigint(last_position))
            .bind(&self.inner.channel)
            .bind(&rows.envelope)
            .fetch_one(&mut *connection)
            .await
            .map_err(database_error)?;
        let current = unsigned(appended.try_get(0).map_err(database_error)?);
        let stored_ids: Vec<Uuid> = appended.try_get(1).map_err(database_error)?;
        let stored_positions: Vec<i64> = appended.try_get(2).map_err(database_error)?;
        let inserted: i64 = appended.try_get(3).map_err(database_error)?;
        if !stored_ids.is_empty() {
            // Idempotent appends: all already stored is a no-op (even at another version: a
            // retry of an append that was stored); some is an error naming the first, in the
            // order of the append.
            if stored_ids.len() == rows.event_id.len() {
                return Ok(AppendOutcome::AlreadyStored {
                    event_ids: rows.event_id,
                });
            }
            let first = rows
                .event_id
                .iter()
                .find_map(|id| {
                    let index = stored_ids.iter().position(|stored| stored == id)?;
                    Some((*id, stored_positions.get(index).copied().unwrap_or(0)))
                })
                .unwrap_or_default();
            return Err(StoreError::PartlyStored {
                event_id: first.0,
                position: unsigned(first.1),
            });
        }
        if unsigned(inserted) != count {
            return Err(StoreError::Conflict {
                aggregate_id,
                expected: match expected {
                    ExpectedVersion::Exactly(version) => version,
                    ExpectedVersion::NoStream | ExpectedVersion::Any => 0,
                },
                actual: current,
            });
        }
        Ok(AppendOutcome::Appended {
            stream_version: current + count,
            position: last_position,
        })
    }
}

impl<P> EventAppender<P> for PostgresEventStore<P>
where
    P: EventPayload + Send + Sync + 'static,
{
    async fn append(
        &self,
        aggregate_id: Uuid,
        expected: ExpectedVersion,
        events: Vec<Envelope<P>>,
    ) -> Result<AppendOutcome, StoreError> {
        let rows = prepare(aggregate_id, &events)?;
        if events.is_empty() {
            return Ok(AppendOutcome::AlreadyStored {
                event_ids: Vec::new(),
            });
        }
        let mut transaction = self.inner.pool.begin().await.map_err(database_error)?;
        let outcome = self
            .append_rows(&mut transaction, aggregate_id, expected, rows)
            .await;
        if let Ok(AppendOutcome::Appended { position, .. }) = outcome {
            transaction.commit().await.map_err(database_error)?;
            // Subscribers of this process are told at once; others by the notification.
            self.inner.notify(position);
        } else {
            // Releases the log's head now (a dropped transaction would keep it locked until
            // its connection is used again).
            let _ = transaction.rollback().await;
        }
        outcome
    }
}
