//! What the store holds: the (eventType, eventVersion) pairs of its log (`event_kinds`,
//! migration 3, kept by triggers), checked at open against the payload type it is opened with,
//! and counted in the log when the check refuses some (`store/holdings/`).

use std::collections::HashMap;

use rusqlite::Connection;

use crate::event::EventPayload;
use crate::store::{EventKind, HoldingsCheck, StoreError, Upcasters};

use super::open::{SqliteEventStore, database_error};
use super::read::shown;

impl<P> SqliteEventStore<P> {
    /// The (eventType, eventVersion) pairs of the store's events, by eventType and version:
    /// what opening checked ([`HoldingsCheck`]); give them to
    /// [`classify`](crate::store::classify) to see how a payload type reads each. A pair whose
    /// rows were all rewritten or removed by hand (outside the store) may stay listed.
    ///
    /// ```
    /// use novel_events::novel_engine::{AnyEvent, characters::CharacterDeleted};
    /// use novel_events::store::EventKind;
    /// use novel_events::{Envelope, EventAppender, ExpectedVersion, SqliteEventStore};
    /// use uuid::Uuid;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), novel_events::StoreError> {
    /// let store = SqliteEventStore::<AnyEvent>::open_in_memory()?;
    /// let character = Uuid::new_v4();
    /// let deleted = CharacterDeleted {
    ///     character_id: character,
    ///     name: "Oren".into(),
    ///     deletion_reason: "retired".into(),
    ///     deleted_by: Uuid::new_v4(),
    /// };
    /// let envelope = Envelope::new(AnyEvent::from(deleted), "character-service");
    /// store.append(character, ExpectedVersion::Any, vec![envelope]).await?;
    /// assert_eq!(
    ///     store.event_kinds().await?,
    ///     [EventKind::new("characters.character.deleted", "1.0.0")]
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub async fn event_kinds(&self) -> Result<Vec<EventKind>, StoreError> {
        self.with_connection(|connection| event_kinds(connection))
            .await
    }
}

/// Checks the pairs the store holds against `P` ([`crate::store::check_holdings`]); counts
/// those it cannot read and refuses the store (`store` names it) if any is still held.
pub(super) fn check<P: EventPayload>(
    connection: &Connection,
    store: &str,
    upcasters: &Upcasters,
    check: HoldingsCheck,
) -> Result<(), StoreError> {
    if check == HoldingsCheck::Off {
        return Ok(());
    }
    let Some(unreadable) =
        crate::store::check_holdings::<P>(&event_kinds(connection)?, upcasters, check)
    else {
        return Ok(());
    };
    let counts = count_kinds(connection)?;
    match unreadable.refusal(store, |kind| counts.get(kind).copied().unwrap_or(0)) {
        Some(refusal) => Err(refusal),
        None => Ok(()),
    }
}

/// The pairs listed in `event_kinds`, by eventType and version.
fn event_kinds(connection: &Connection) -> Result<Vec<EventKind>, StoreError> {
    let mut statement = connection
        .prepare_cached(
            "SELECT event_type, event_version FROM event_kinds ORDER BY event_type, event_version",
        )
        .map_err(|error| database_error(&error))?;
    let rows = statement
        .query_map([], |row| {
            Ok(EventKind::new(
                shown(row.get_ref(0)?),
                shown(row.get_ref(1)?),
            ))
        })
        .map_err(|error| database_error(&error))?;
    rows.map(|row| row.map_err(|error| database_error(&error)))
        .collect()
}

/// How many events of each pair the log holds: one pass over it, made only to word a refusal.
fn count_kinds(connection: &Connection) -> Result<HashMap<EventKind, u64>, StoreError> {
    let mut statement = connection
        .prepare("SELECT event_type, event_version, count(*) FROM events GROUP BY event_type, event_version")
        .map_err(|error| database_error(&error))?;
    let rows = statement
        .query_map([], |row| {
            Ok((
                EventKind::new(shown(row.get_ref(0)?), shown(row.get_ref(1)?)),
                u64::try_from(row.get::<_, i64>(2)?).unwrap_or(0),
            ))
        })
        .map_err(|error| database_error(&error))?;
    rows.map(|row| row.map_err(|error| database_error(&error)))
        .collect()
}
