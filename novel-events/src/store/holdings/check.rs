//! [`HoldingsCheck`], what a store checks at open; [`check_holdings`], the check; and
//! [`UnreadableKinds`], what it found, which the store counts and turns into its refusal.

use crate::decodes::{DecodeScope, Decodes};
use crate::event::EventPayload;
use crate::store::{StoreError, Upcasters};

use super::reading::{Reading, Unreadable, classify};
use super::{EventKind, UnreadableEvent, UnreadableEvents};

/// What a store checks, when it opens, of the eventTypes and versions it holds against the
/// payload type it is opened with (the `check_holdings` of its options).
///
/// The check reads a small table the store keeps in step with its log, not the log: it costs
/// the same for ten events as for a billion (only a refusal counts the events it lists, in one
/// pass over the log). It needs the payload type to say what it decodes
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
/// the pairs `P` cannot read, or `None` when it reads them all (or `check` is
/// [`HoldingsCheck::Off`], or `P` does not say what it decodes).
///
/// Each backend calls it when it opens, with the pairs it holds, then counts the pairs found
/// in its log and refuses to open with [`UnreadableKinds::refusal`].
///
/// ```
/// use novel_events::novel_engine::AnyEvent;
/// use novel_events::store::{EventKind, HoldingsCheck, check_holdings};
/// use novel_events::{StoreError, Upcasters};
///
/// let upcasters = Upcasters::new();
/// let fine = [EventKind::new("characters.character.deleted", "1.0.0")];
/// assert!(check_holdings::<AnyEvent>(&fine, &upcasters, HoldingsCheck::Readable).is_none());
///
/// let held = [
///     EventKind::new("characters.character.deleted", "1.0.0"),
///     EventKind::new("lending.book.borrowed", "1.0.0"),
/// ];
/// let found = check_holdings::<AnyEvent>(&held, &upcasters, HoldingsCheck::Readable).unwrap();
/// assert_eq!(found.kinds().collect::<Vec<_>>(), [&held[1]]);
/// // The store counts them in its log (here: 3 events), and refuses to open.
/// let error = found.refusal("events.db", |_| 3).unwrap();
/// assert!(matches!(&error, StoreError::UnreadableEvents(unreadable) if unreadable.events[0].count == 3));
/// assert!(error.to_string().contains("catalog `novel-engine` has no eventType `lending.book.borrowed`"));
///
/// assert!(check_holdings::<AnyEvent>(&held, &upcasters, HoldingsCheck::Off).is_none());
/// ```
pub fn check_holdings<P: EventPayload>(
    kinds: &[EventKind],
    upcasters: &Upcasters,
    check: HoldingsCheck,
) -> Option<UnreadableKinds> {
    if check == HoldingsCheck::Off {
        return None;
    }
    let reader = P::decodes()?;
    let foreign_accepted =
        matches!(reader.scope, DecodeScope::Set(_)) && check == HoldingsCheck::Readable;
    let mut unreadable: Vec<(EventKind, Unreadable)> = kinds
        .iter()
        .filter_map(|kind| {
            let Reading::Unreadable(why) =
                classify(&reader, upcasters, &kind.event_type, &kind.event_version)
            else {
                return None;
            };
            if foreign_accepted && matches!(why, Unreadable::UnknownType { .. }) {
                return None;
            }
            Some((kind.clone(), why))
        })
        .collect();
    if unreadable.is_empty() {
        return None;
    }
    unreadable.sort_by(|a, b| a.0.cmp(&b.0));
    Some(UnreadableKinds {
        reader,
        kinds: unreadable,
    })
}

/// The pairs of a store that its reader cannot read, as [`check_holdings`] found them, before
/// the store counts their events.
#[derive(Debug, Clone, PartialEq)]
pub struct UnreadableKinds {
    reader: Decodes,
    kinds: Vec<(EventKind, Unreadable)>,
}

impl UnreadableKinds {
    /// What the reader decodes.
    pub fn reader(&self) -> Decodes {
        self.reader
    }

    /// The pairs, by eventType and version.
    pub fn kinds(&self) -> impl Iterator<Item = &EventKind> {
        self.kinds.iter().map(|(kind, _)| kind)
    }

    /// The refusal to open the store named `store` (its file, its schema), given how many
    /// events of each pair its log holds: [`StoreError::UnreadableEvents`], or `None` if the
    /// log holds none of them any more (their rows were rewritten or removed by hand).
    pub fn refusal(self, store: &str, count: impl Fn(&EventKind) -> u64) -> Option<StoreError> {
        let events: Vec<UnreadableEvent> = self
            .kinds
            .into_iter()
            .filter_map(|(kind, why)| {
                let count = count(&kind);
                (count > 0).then_some(UnreadableEvent { kind, count, why })
            })
            .collect();
        (!events.is_empty()).then(|| {
            StoreError::UnreadableEvents(Box::new(UnreadableEvents {
                store: store.to_owned(),
                reader: self.reader,
                events,
            }))
        })
    }
}
