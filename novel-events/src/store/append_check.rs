//! What every backend checks of an append before it touches its storage.

use std::collections::HashSet;

use uuid::Uuid;

use crate::envelope::Envelope;
use crate::event::EventPayload;

use super::StoreError;

/// Checks the events of one append the way every store of this crate does, before any
/// storage work: each belongs to the aggregate `aggregate_id`
/// ([`StoreError::MixedStreams`]), each payload passes its catalog's checks
/// ([`StoreError::Invalid`]), and no eventId appears twice ([`StoreError::DuplicateInAppend`]).
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
    for envelope in events {
        if envelope.aggregate_id != aggregate_id {
            return Err(StoreError::MixedStreams {
                expected: aggregate_id,
                found: envelope.aggregate_id,
            });
        }
        envelope
            .payload
            .validate()
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
