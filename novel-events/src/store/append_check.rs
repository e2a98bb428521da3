//! What every backend checks of an append before it touches its storage.

use std::collections::HashSet;

use uuid::Uuid;

use crate::codec::Limits;
use crate::envelope::Envelope;
use crate::event::EventPayload;

use super::StoreError;

/// Checks the events of one append the way every store of this crate does, before any
/// storage work: each belongs to the aggregate `aggregate_id`
/// ([`StoreError::MixedStreams`]), each is within the default [`Limits`] and its payload
/// passes its catalog's checks, with every number finite ([`Envelope::check`];
/// [`StoreError::Invalid`]), and no eventId appears twice ([`StoreError::DuplicateInAppend`]).
/// [`check_append_with`] takes other limits.
///
/// A backend of another crate calls it first in its [`EventAppender::append`](super::EventAppender::append),
/// so that every backend refuses the same appends with the same errors.
///
/// ```
/// use novel_events::novel_engine::{AnyEvent, characters::CharacterDeleted};
/// use novel_events::{Envelope, StoreError, store::check_append};
///
/// let deleted = CharacterDeleted {
///     character_id: uuid::Uuid::new_v4(),
///     name: "Oren Kast".into(),
///     deletion_reason: "retired".into(),
///     deleted_by: uuid::Uuid::new_v4(),
/// };
/// let envelope: Envelope<AnyEvent> = Envelope::new(deleted.into(), "character-service");
/// let twice = vec![envelope.clone(), envelope.clone()];
/// assert!(matches!(
///     check_append(envelope.aggregate_id, &twice),
///     Err(StoreError::DuplicateInAppend { .. })
/// ));
/// ```
pub fn check_append<P: EventPayload>(
    aggregate_id: Uuid,
    events: &[Envelope<P>],
) -> Result<(), StoreError> {
    check_append_with(aggregate_id, events, &Limits::default())
}

/// [`check_append`] under other [`Limits`] (each envelope is checked against them on its own).
///
/// ```
/// use novel_events::novel_engine::{AnyEvent, characters::CharacterDeleted};
/// use novel_events::{Envelope, Limits, StoreError, store::check_append_with};
///
/// let deleted = CharacterDeleted {
///     character_id: uuid::Uuid::new_v4(),
///     name: "Oren Kast".into(),
///     deletion_reason: "x".repeat(5000),
///     deleted_by: uuid::Uuid::new_v4(),
/// };
/// let envelope: Envelope<AnyEvent> = Envelope::new(deleted.into(), "character-service");
/// let limits = Limits::default().with_max_envelope_bytes(4096)?;
/// let error = check_append_with(envelope.aggregate_id, &[envelope], &limits).unwrap_err();
/// assert!(matches!(error, StoreError::Invalid { .. }));
/// assert!(error.to_string().contains("max_envelope_bytes"));
/// # Ok::<(), novel_events::InvalidLimit>(())
/// ```
pub fn check_append_with<P: EventPayload>(
    aggregate_id: Uuid,
    events: &[Envelope<P>],
    limits: &Limits,
) -> Result<(), StoreError> {
    for envelope in events {
        if envelope.aggregate_id != aggregate_id {
            return Err(StoreError::MixedStreams {
                expected: aggregate_id,
                found: envelope.aggregate_id,
            });
        }
        envelope
            .check(limits)
            .map_err(|source| StoreError::Invalid {
                event_type: envelope.event_type(),
                source,
            })?;
    }
    let mut seen = HashSet::with_capacity(events.len());
    if let Some(repeated) = events
        .iter()
        .find(|envelope| !seen.insert(envelope.event_id))
    {
        return Err(StoreError::DuplicateInAppend {
            event_id: repeated.event_id,
        });
    }
    Ok(())
}
