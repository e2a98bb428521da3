//! How a payload type reads one (eventType, eventVersion) a store holds ([`classify`]), or why
//! it cannot ([`Unreadable`]).

use crate::codec::{nearest, release};
use crate::decodes::{DecodeScope, Decoded, Decodes};
use crate::store::Upcasters;

/// How the payload type a store is opened with reads the events of one eventType and version
/// it holds ([`classify`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// Decoded as stored: the newest version of its event in the catalog, or a version an
    /// event set holds.
    AsIs,
    /// Decoded as stored, an older version of its event in the catalog; the typed upcasting
    /// ([`IntoLatest`](crate::IntoLatest), [`StoredEvent::into_latest`](crate::StoredEvent::into_latest))
    /// brings it to `latest` when asked.
    Older {
        /// The newest version of the event in the catalog.
        latest: &'static str,
    },
    /// A newer release of the same major version than the catalog's newest, decoded as
    /// `as_version` because the event's `compatibilityMode` promises forward compatibility (the
    /// fields it does not know are ignored).
    Forward {
        /// The version it is decoded as.
        as_version: &'static str,
    },
    /// Converted by the store's registered [`Upcasters`] to `to`, then decoded.
    Upcast {
        /// The version the converters bring it to.
        to: String,
    },
    /// Not readable: every read of one of these events fails.
    Unreadable(Unreadable),
}

impl Reading {
    /// Whether the events are read (the payload type decodes them, maybe after upcasting).
    pub fn is_readable(&self) -> bool {
        !matches!(self, Reading::Unreadable(_))
    }
}

/// Why a payload type cannot read the events of one eventType and version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// The payload type has no version of this eventType: the store was written with another
    /// catalog, or (for an event set) the set leaves the eventType out.
    UnknownType {
        /// The closest eventType the payload type knows, when the stored one looks like a
        /// typo of it.
        nearest: Option<&'static str>,
    },
    /// The version is newer than every version of the event the payload type knows: the
    /// writer was built on a newer catalog than the reader.
    NewerVersion {
        /// The newest version the payload type knows.
        newest: &'static str,
        /// Whether it is a release of the same major version as `newest` (a reader whose
        /// event promised forward compatibility would read it as `newest`).
        same_major: bool,
    },
    /// The version is older than every version of the event the payload type knows, and no
    /// upcaster starts from it.
    OlderVersion {
        /// The oldest version the payload type knows.
        oldest: &'static str,
    },
    /// The payload type knows versions of the event older and newer than this one, but not
    /// this one (or the versions are not all `major.minor.patch`), and no upcaster starts from
    /// it.
    UnknownVersion,
    /// The registered upcasters convert the events to `to`, a version the payload type does
    /// not decode either.
    UpcastToUnknown {
        /// Where the upcasters stop.
        to: String,
    },
    /// The registered upcasters of this eventType loop.
    UpcastLoop {
        /// Their error, which names where they were stopped.
        message: String,
    },
}

/// How a payload type that decodes `decodes` reads a store's events of `event_type` at
/// `event_version`, with the store's `upcasters` (applied first, as reads apply them).
///
/// ```
/// use novel_events::novel_engine::AnyEvent;
/// use novel_events::store::{Reading, Unreadable, classify};
/// use novel_events::{EventPayload, Upcasters};
///
/// let decodes = AnyEvent::decodes().expect("a catalog's AnyEvent answers");
/// let mut upcasters = Upcasters::new();
/// let reading = |event_type, version, upcasters: &Upcasters| {
///     classify(&decodes, upcasters, event_type, version)
/// };
/// assert_eq!(reading("characters.character.deleted", "1.0.0", &upcasters), Reading::AsIs);
/// assert_eq!(
///     reading("characters.character.deleted", "0.9.0", &upcasters),
///     Reading::Unreadable(Unreadable::OlderVersion { oldest: "1.0.0" })
/// );
/// upcasters.register("characters.character.deleted", "0.9.0", "1.0.0", Ok);
/// assert_eq!(
///     reading("characters.character.deleted", "0.9.0", &upcasters),
///     Reading::Upcast { to: "1.0.0".to_owned() }
/// );
/// assert_eq!(
///     reading("characters.character.deletd", "1.0.0", &upcasters),
///     Reading::Unreadable(Unreadable::UnknownType {
///         nearest: Some("characters.character.deleted")
///     })
/// );
/// ```
pub fn classify(
    decodes: &Decodes,
    upcasters: &Upcasters,
    event_type: &str,
    event_version: &str,
) -> Reading {
    if upcasters.handles(event_type, event_version) {
        return match upcasters.target(event_type, event_version) {
            Err(message) => Reading::Unreadable(Unreadable::UpcastLoop { message }),
            Ok(to) if decodes.decodes(event_type, &to).is_some() => Reading::Upcast { to },
            Ok(to) => Reading::Unreadable(Unreadable::UpcastToUnknown { to }),
        };
    }
    match decodes.decodes(event_type, event_version) {
        Some(Decoded::AsIs) => match decodes.scope {
            DecodeScope::Catalog(catalog) => catalog
                .versions(event_type)
                .find(|event| event.is_latest)
                .filter(|newest| newest.event_version != event_version)
                .map_or(Reading::AsIs, |newest| Reading::Older {
                    latest: newest.event_version,
                }),
            DecodeScope::Set(_) => Reading::AsIs,
        },
        Some(Decoded::AsOlder(as_version)) => Reading::Forward { as_version },
        None if !decodes.knows_type(event_type) => {
            let types = decodes.versions.iter().map(|decoded| decoded.event_type);
            Reading::Unreadable(Unreadable::UnknownType {
                nearest: nearest(event_type, types),
            })
        }
        None => Reading::Unreadable(unknown_version(decodes, event_type, event_version)),
    }
}

/// Why a version of a known eventType is not decoded.
fn unknown_version(decodes: &Decodes, event_type: &str, event_version: &str) -> Unreadable {
    let known: Option<Vec<_>> = decodes
        .versions_of(event_type)
        .map(|version| release(version).map(|release| (release, version)))
        .collect();
    let (Some(found), Some(known)) = (release(event_version), known) else {
        return Unreadable::UnknownVersion;
    };
    let newest = known.iter().max();
    let oldest = known.iter().min();
    match (oldest, newest) {
        (_, Some(&(newest_release, newest))) if found > newest_release => {
            Unreadable::NewerVersion {
                newest,
                same_major: found.0 == newest_release.0,
            }
        }
        (Some(&(oldest_release, oldest)), _) if found < oldest_release => {
            Unreadable::OlderVersion { oldest }
        }
        _ => Unreadable::UnknownVersion,
    }
}
