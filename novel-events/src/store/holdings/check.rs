//! [`HoldingsCheck`], what a store checks at open, and [`check_holdings`], the check.

use crate::event::EventPayload;
use crate::store::{StoreError, Upcasters};

use super::reading::{Reading, Unreadable, classify};
use super::{HeldEvents, UnreadableEvent, UnreadableEvents};
use crate::decodes::DecodeScope;

/// What a store checks, when it opens, of the eventTypes and versions it holds against the
/// payload type it is opened with (the `check_holdings` of its options).
///
/// The check reads a small table the store keeps in step with its log, not the log: it costs
/// the same for ten events as for a billion. It needs the payload type to say what it decodes
/// ([`EventPayload::decodes`]): a catalog's `AnyEvent` and a `#[derive(EventSet)]` enum do; a
/// single event type and a hand-written impl do not, and their stores open unchecked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HoldingsCheck {
    /// Every eventType and version the store holds must be readable, as stored, through the
    /// store's upcasters, or as a forward-compatible newer release; otherwise opening fails
    /// with [`StoreError::UnreadableEvents`]. The default.
    ///
    /// An event set (`#[derive(EventSet)]`) is a part of a catalog chosen on purpose (the
    /// events of one aggregate, of one service): it accepts eventTypes it has no variant for,
    /// which it will not read, and is checked on the versions of those it names. A catalog's
    /// `AnyEvent` refuses them: an eventType its catalog does not have means another catalog.
    #[default]
    Readable,
    /// As [`Readable`](Self::Readable), and an event set refuses eventTypes it has no variant
    /// for too: for a set that reads the whole log (`read_all`, projections, catch-up), which
    /// would fail on the first of them.
    Complete,
    /// No check: for a reader that reads part of a store on purpose, or to open a store whose
    /// events cannot all be read (each unreadable one is then
    /// [`StoreError::Undecodable`] when read, and the others read).
    Off,
}

/// Checks the pairs a store holds against the payload type `P` with the store's `upcasters`:
/// `Ok` when `P` reads them all (or `check` is [`HoldingsCheck::Off`], or `P` does not say what
/// it decodes), otherwise [`StoreError::UnreadableEvents`] listing every pair it cannot read.
/// `store` names the store in the error (its file, its schema).
///
/// Each backend calls it when it opens, with what it holds ([`HeldEvents`]).
///
/// ```
/// use novel_events::novel_engine::AnyEvent;
/// use novel_events::store::{HeldEvents, HoldingsCheck, check_holdings};
/// use novel_events::{StoreError, Upcasters};
///
/// let held = |event_type: &str, event_version: &str| HeldEvents {
///     event_type: event_type.to_owned(),
///     event_version: event_version.to_owned(),
///     count: 3,
/// };
/// let upcasters = Upcasters::new();
/// let fine = [held("characters.character.deleted", "1.0.0")];
/// assert!(check_holdings::<AnyEvent>("events.db", &fine, &upcasters, HoldingsCheck::Readable).is_ok());
///
/// let foreign = [held("lending.book.borrowed", "1.0.0")];
/// let error = check_holdings::<AnyEvent>("events.db", &foreign, &upcasters, HoldingsCheck::Readable)
///     .unwrap_err();
/// assert!(matches!(&error, StoreError::UnreadableEvents(unreadable) if unreadable.events.len() == 1));
/// assert!(error.to_string().contains("catalog `novel-engine` has no eventType `lending.book.borrowed`"));
/// assert!(check_holdings::<AnyEvent>("events.db", &foreign, &upcasters, HoldingsCheck::Off).is_ok());
/// ```
pub fn check_holdings<P: EventPayload>(
    store: &str,
    held: &[HeldEvents],
    upcasters: &Upcasters,
    check: HoldingsCheck,
) -> Result<(), StoreError> {
    if check == HoldingsCheck::Off {
        return Ok(());
    }
    let Some(reader) = P::decodes() else {
        return Ok(());
    };
    let foreign_accepted =
        matches!(reader.scope, DecodeScope::Set(_)) && check == HoldingsCheck::Readable;
    let mut events: Vec<UnreadableEvent> = held
        .iter()
        .filter_map(|held| {
            let Reading::Unreadable(why) =
                classify(&reader, upcasters, &held.event_type, &held.event_version)
            else {
                return None;
            };
            if foreign_accepted && matches!(why, Unreadable::UnknownType { .. }) {
                return None;
            }
            Some(UnreadableEvent {
                held: held.clone(),
                why,
            })
        })
        .collect();
    if events.is_empty() {
        return Ok(());
    }
    events.sort_by(|a, b| a.held.cmp(&b.held));
    Err(StoreError::UnreadableEvents(Box::new(UnreadableEvents {
        store: store.to_owned(),
        reader,
        events,
    })))
}
