//! What the store holds: the (eventType, eventVersion) pairs of its log (`event_kinds`,
//! migration 3, kept by the append's statement), checked at open against the payload type it
//! is opened with, and counted in the log when the check refuses some
//! (`novel_events::store::check_holdings`).

use std::collections::HashMap;

use novel_events::store::{EventKind, HoldingsCheck};
use novel_events::{EventPayload, StoreError, Upcasters};
use sqlx::{PgConnection, Row as _};

use crate::error::{database_error, unsigned};
use crate::statements::{Statements, sql};
use crate::store::PostgresEventStore;

impl<P> PostgresEventStore<P> {
    /// The (eventType, eventVersion) pairs of the store's events, by eventType and version:
    /// what opening checked ([`HoldingsCheck`]); give them to
    /// [`classify`](novel_events::store::classify) to see how a payload type reads each.
    pub async fn event_kinds(&self) -> Result<Vec<EventKind>, StoreError> {
        let mut connection = self.inner.pool.acquire().await.map_err(database_error)?;
        event_kinds(&mut connection, &self.inner.statements).await
    }
}

/// Checks the pairs the store holds against `P` (`check_holdings`); counts those it cannot
/// read and refuses the store (`location` names it) if any is still held.
pub(crate) async fn check<P: EventPayload>(
    connection: &mut PgConnection,
    statements: &Statements,
    location: &str,
    upcasters: &Upcasters,
    check: HoldingsCheck,
) -> Result<(), StoreError> {
    if check == HoldingsCheck::Off {
        return Ok(());
    }
    let kinds = event_kinds(connection, statements).await?;
    let Some(unreadable) = novel_events::store::check_holdings::<P>(&kinds, upcasters, check)
    else {
        return Ok(());
    };
    let counts: HashMap<EventKind, u64> = sqlx::query(sql(&statements.count_kinds))
        .fetch_all(&mut *connection)
        .await
        .map_err(database_error)?
        .iter()
        .map(|row| {
            Ok((
                EventKind::new(
                    row.try_get::<String, _>(0).map_err(database_error)?,
                    row.try_get::<String, _>(1).map_err(database_error)?,
                ),
                unsigned(row.try_get(2).map_err(database_error)?),
            ))
        })
        .collect::<Result<_, StoreError>>()?;
    match unreadable.refusal(location, |kind| counts.get(kind).copied().unwrap_or(0)) {
        Some(refusal) => Err(refusal),
        None => Ok(()),
    }
}

/// The pairs listed in `event_kinds`, by eventType and version.
async fn event_kinds(
    connection: &mut PgConnection,
    statements: &Statements,
) -> Result<Vec<EventKind>, StoreError> {
    sqlx::query(sql(&statements.event_kinds))
        .fetch_all(&mut *connection)
        .await
        .map_err(database_error)?
        .iter()
        .map(|row| {
            Ok(EventKind::new(
                row.try_get::<String, _>(0).map_err(database_error)?,
                row.try_get::<String, _>(1).map_err(database_error)?,
            ))
        })
        .collect()
}
