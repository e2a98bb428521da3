//! Appending to the log: the concurrency check, idempotency by eventId, the outbox record and
//! the notification of subscribers, in one transaction.

use std::sync::Arc;

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

use crate::envelope::Envelope;
use crate::event::EventPayload;
use crate::store::{AppendOutcome, EventAppender, ExpectedVersion, StoreError};

use super::open::{SqliteEventStore, database_error};
use super::schema::{MAX_SLOT, MAX_STREAM_VERSION, STREAM_KEY_BITS, stream_key};

/// The statement appends insert with: stream key, position, eventId, aggregateId, aggregateType,
/// stream version, eventType, eventVersion, correlationId, causationId, timestamp, JSON.
pub(super) const INSERT: &str = "INSERT INTO events (stream_key, position, event_id, aggregate_id, aggregate_type, stream_version,
                                         event_type, event_version, correlation_id, causation_id, timestamp, envelope)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

/// eventId, aggregateType, eventType, eventVersion, correlationId, causationId, timestamp, JSON.
pub(super) type RowToInsert = (
    Uuid,
    &'static str,
    &'static str,
    &'static str,
    Uuid,
    Uuid,
    String,
    String,
);

impl<P> EventAppender<P> for SqliteEventStore<P>
where
    P: EventPayload + Send + Sync + 'static,
{
    async fn append(
        &self,
        aggregate_id: Uuid,
        expected: ExpectedVersion,
        events: Vec<Envelope<P>>,
    ) -> Result<AppendOutcome, StoreError> {
        crate::store::check_append(aggregate_id, &events)?;
        if events.is_empty() {
            return Ok(AppendOutcome::AlreadyStored {
                event_ids: Vec::new(),
            });
        }
        let rows: Vec<RowToInsert> = events
            .iter()
            .map(|envelope| {
                let json = serde_json::to_string(envelope)
                    .map_err(|error| StoreError::Database(error.to_string()))?;
                Ok((
                    envelope.event_id,
                    envelope.aggregate_type(),
                    envelope.event_type(),
                    envelope.event_version(),
                    envelope.correlation_id,
                    envelope.causation_id,
                    envelope
                        .timestamp
                        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                    json,
                ))
            })
            .collect::<Result<_, StoreError>>()?;
        let outbox = self.inner.outbox;
        let inner = Arc::clone(&self.inner);
        self.with_connection(move |connection| {
                let transaction = connection
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(|error| database_error(&error))?;
                // The stream's slot and last stream key, and the log's last position, in
                // one statement (each a seek to the end of a range).
                let (slot, last_key, last_position): (Option<i64>, Option<i64>, Option<i64>) = transaction
                    .prepare_cached(
                        "SELECT slot,
                                (SELECT stream_key FROM events WHERE stream_key >= slot << 32 AND stream_key < (slot + 1) << 32
                                 ORDER BY stream_key DESC LIMIT 1),
                                (SELECT position FROM events ORDER BY position DESC LIMIT 1)
                         FROM (SELECT (SELECT slot FROM streams WHERE aggregate_id = ?1) AS slot)",
                    )
                    .and_then(|mut statement| {
                        statement.query_row([aggregate_id.to_string()], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                    })
                    .map_err(|error| database_error(&error))?;
                let current = match (slot, last_key) {
                    (Some(slot), Some(key)) => u64::try_from(key - (slot << STREAM_KEY_BITS)).unwrap_or(0),
                    _ => 0,
                };
                let conflict = match expected {
                    ExpectedVersion::Any => None,
                    ExpectedVersion::NoStream => (current != 0).then_some(0),
                    ExpectedVersion::Exactly(version) => (current != version).then_some(version),
                };
                // New events at the expected version (the common case) are inserted without
                // looking their eventIds up first (that lookup cost about as much as the insert,
                // benches/store/): the unique index on event_id refuses one already stored,
                // and the append is then classified below, like one that conflicts.
                let mut position = u64::try_from(last_position.unwrap_or(0)).unwrap_or(0);
                let mut version = current;
                let mut refused = None;
                if conflict.is_none() {
                    if current + rows.len() as u64 > MAX_STREAM_VERSION {
                        return Err(StoreError::Database(format!(
                            "aggregate {aggregate_id} would have more than {MAX_STREAM_VERSION} events, the most one stream holds"
                        )));
                    }
                    let slot = match slot {
                        Some(slot) => slot,
                        None => {
                            transaction
                                .prepare_cached("INSERT INTO streams (aggregate_id) VALUES (?1)")
                                .and_then(|mut statement| statement.execute([aggregate_id.to_string()]))
                                .map_err(|error| database_error(&error))?;
                            let slot = transaction.last_insert_rowid();
                            if slot > MAX_SLOT {
                                return Err(StoreError::Database(format!(
                                    "the store holds {MAX_SLOT} streams, the most it can: aggregate {aggregate_id} cannot start another"
                                )));
                            }
                            slot
                        }
                    };
                    let mut insert = transaction
                        .prepare_cached(INSERT)
                        .map_err(|error| database_error(&error))?;
                    let mut outbox_insert = outbox
                        .then(|| transaction.prepare_cached("INSERT INTO outbox (position) VALUES (?1)"))
                        .transpose()
                        .map_err(|error| database_error(&error))?;
                    for (event_id, aggregate_type, event_type, event_version, correlation_id, causation_id, timestamp, json) in &rows {
                        version += 1;
                        position += 1;
                        let row_position = i64::try_from(position).unwrap_or(i64::MAX);
                        let inserted = insert.execute(params![
                            stream_key(slot, version),
                            row_position,
                            event_id.to_string(),
                            aggregate_id.to_string(),
                            aggregate_type,
                            i64::try_from(version).unwrap_or(i64::MAX),
                            event_type,
                            event_version,
                            correlation_id.to_string(),
                            causation_id.to_string(),
                            timestamp,
                            json,
                        ]);
                        match inserted {
                            Ok(_) => {}
                            Err(error)
                                if error.sqlite_extended_error_code() == Some(rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE) =>
                            {
                                refused = Some(error);
                                break;
                            }
                            Err(error) => return Err(database_error(&error)),
                        }
                        if let Some(outbox_insert) = &mut outbox_insert {
                            outbox_insert.execute([row_position]).map_err(|error| database_error(&error))?;
                        }
                    }
                }
                if conflict.is_some() || refused.is_some() {
                    // Nothing of this append is kept: roll back what was inserted, then look
                    // the eventIds up. Idempotent appends: all already stored is a no-op (even
                    // at another version: a retry of an append that was stored); some is an
                    // error.
                    drop(transaction);
                    let mut stored = Vec::new();
                    for (event_id, ..) in &rows {
                        let found: Option<i64> = connection
                            .prepare_cached("SELECT position FROM events WHERE event_id = ?1")
                            .and_then(|mut statement| statement.query_row([event_id.to_string()], |row| row.get(0)))
                            .optional()
                            .map_err(|error| database_error(&error))?;
                        if let Some(found) = found {
                            stored.push((*event_id, u64::try_from(found).unwrap_or(0)));
                        }
                    }
                    if stored.len() == rows.len() {
                        return Ok(AppendOutcome::AlreadyStored {
                            event_ids: stored.into_iter().map(|(id, _)| id).collect(),
                        });
                    }
                    if let Some((event_id, position)) = stored.first() {
                        return Err(StoreError::PartlyStored {
                            event_id: *event_id,
                            position: *position,
                        });
                    }
                    return Err(match (conflict, refused) {
                        (Some(expected), _) => StoreError::Conflict {
                            aggregate_id,
                            expected,
                            actual: current,
                        },
                        // Refused by another unique index than event_id's.
                        (None, error) => error.map_or_else(
                            || StoreError::Database("an insert was refused".into()),
                            |error| database_error(&error),
                        ),
                    });
                }
                transaction.commit().map_err(|error| database_error(&error))?;
                // Subscribers are told here, with the commit, not once the caller resumes: a
                // caller that stopped waiting (a timeout) leaves the events stored all the same.
                inner.notify(position);
                Ok(AppendOutcome::Appended {
                    stream_version: version,
                    position,
                })
            })
            .await
    }
}
