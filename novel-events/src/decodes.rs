//! What a payload type decodes, answered without decoding anything ([`Decodes`]): the
//! eventTypes and versions of a catalog's `AnyEvent` or of a `#[derive(EventSet)]` enum, which
//! a store compares, when it opens, with the eventTypes and versions it holds.

use crate::catalog::CatalogInfo;
use crate::codec::reads_newer_version;

/// The eventTypes and versions a payload type decodes, as
/// [`EventPayload::decodes`](crate::EventPayload::decodes) answers: what a store checks, when it
/// opens, against what it holds (see [`HoldingsCheck`](crate::HoldingsCheck)).
///
/// ```
/// use novel_events::novel_engine::AnyEvent;
/// use novel_events::{DecodeScope, Decoded, EventPayload};
///
/// let decodes = AnyEvent::decodes().expect("a catalog's AnyEvent answers");
/// assert!(matches!(decodes.scope, DecodeScope::Catalog(catalog) if catalog.name == "novel-engine"));
/// assert_eq!(
///     decodes.decodes("characters.character.deleted", "1.0.0"),
///     Some(Decoded::AsIs)
/// );
/// assert_eq!(decodes.decodes("characters.character.deleted", "7.0.0"), None);
/// assert!(decodes.knows_type("characters.character.deleted"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decodes {
    /// Whose events these are: a whole catalog, or an event set.
    pub scope: DecodeScope,
    /// Every (eventType, eventVersion) decoded, each once.
    pub versions: &'static [DecodedVersion],
}

/// Whose events a [`Decodes`] lists.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DecodeScope {
    /// Every event of this catalog (its `AnyEvent`): an eventType outside it belongs to another
    /// catalog.
    Catalog(&'static CatalogInfo),
    /// The events of a `#[derive(EventSet)]` enum of this name: a part of a catalog, chosen by
    /// its author, so an eventType outside it may be one the set leaves out on purpose.
    Set(&'static str),
}

impl std::fmt::Display for DecodeScope {
    /// `catalog `novel-engine``, or `event set `CharacterEvents``.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeScope::Catalog(catalog) => write!(f, "catalog `{}`", catalog.name),
            DecodeScope::Set(name) => write!(f, "event set `{name}`"),
        }
    }
}

/// One version of one event that a payload type decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodedVersion {
    /// `domain.aggregate.action`.
    pub event_type: &'static str,
    /// The version decoded.
    pub event_version: &'static str,
    /// Whether newer releases of the same major version are decoded as this one, ignoring the
    /// fields this version does not know: the newest version of an event whose
    /// `compatibilityMode` promises forward compatibility.
    pub reads_newer: bool,
}

/// How a payload type decodes one eventType and version ([`Decodes::decodes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoded {
    /// As this very version.
    AsIs,
    /// As this older release of the same major version (forward compatibility).
    AsOlder(&'static str),
}

impl Decodes {
    /// How an envelope of `event_type` at `event_version` decodes, or `None` if it does not:
    /// as is, or as an older release of the same major version that reads newer ones
    /// ([`DecodedVersion::reads_newer`]), the rule the generated `AnyEvent` decodes by.
    pub fn decodes(&self, event_type: &str, event_version: &str) -> Option<Decoded> {
        let mut of_type = self
            .versions
            .iter()
            .filter(|decoded| decoded.event_type == event_type);
        if of_type
            .clone()
            .any(|decoded| decoded.event_version == event_version)
        {
            return Some(Decoded::AsIs);
        }
        of_type
            .find(|decoded| {
                decoded.reads_newer && reads_newer_version(event_version, decoded.event_version)
            })
            .map(|decoded| Decoded::AsOlder(decoded.event_version))
    }

    /// Whether some version of `event_type` is decoded.
    pub fn knows_type(&self, event_type: &str) -> bool {
        self.versions
            .iter()
            .any(|decoded| decoded.event_type == event_type)
    }

    /// The versions of `event_type` decoded, in the order listed.
    pub fn versions_of<'a>(
        &'a self,
        event_type: &'a str,
    ) -> impl Iterator<Item = &'static str> + 'a {
        self.versions
            .iter()
            .filter(move |decoded| decoded.event_type == event_type)
            .map(|decoded| decoded.event_version)
    }
}
