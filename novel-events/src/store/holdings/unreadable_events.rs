//! [`UnreadableEvents`]: why a store was refused at open, each pair it cannot read with
//! advice that fits its cause.

use std::fmt;

use crate::codec::release;
use crate::decodes::{DecodeScope, Decodes};

use super::{EventKind, Unreadable};

/// The events of a store that the payload type it is opened with cannot read, found when it
/// opened ([`StoreError::UnreadableEvents`](crate::StoreError::UnreadableEvents)). Its message
/// lists each (eventType, eventVersion) with its count, why it cannot be read and what to do.
#[derive(Debug, Clone, PartialEq)]
pub struct UnreadableEvents {
    /// The store (its file, or `database.schema`).
    pub store: String,
    /// What the payload type decodes.
    pub reader: Decodes,
    /// Every pair it cannot read, by eventType and version.
    pub events: Vec<UnreadableEvent>,
}

/// One (eventType, eventVersion) of a store that its reader cannot read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableEvent {
    /// The pair.
    pub kind: EventKind,
    /// How many events of the log have it.
    pub count: u64,
    /// Why they cannot be read.
    pub why: Unreadable,
}

impl fmt::Display for UnreadableEvents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total: u64 = self.events.iter().map(|event| event.count).sum();
        write!(
            f,
            "the store `{}` holds {} that {} cannot read (checked when opening it):",
            self.store,
            events(total),
            self.reader.scope
        )?;
        for event in &self.events {
            let EventKind {
                event_type,
                event_version,
            } = &event.kind;
            write!(
                f,
                "\n  - `{event_type}` {event_version} ({}): ",
                events(event.count)
            )?;
            self.advice(f, event)?;
        }
        write!(
            f,
            "\nTo open the store anyway (these events then fail when read, the others read), set `check_holdings: HoldingsCheck::Off` in its options."
        )
    }
}

impl UnreadableEvents {
    /// Why one pair cannot be read, and what to do.
    fn advice(&self, f: &mut fmt::Formatter<'_>, event: &UnreadableEvent) -> fmt::Result {
        let reader = self.reader.scope;
        let EventKind {
            event_type,
            event_version,
        } = &event.kind;
        let known = self
            .reader
            .versions_of(event_type)
            .collect::<Vec<_>>()
            .join(", ");
        let register = |to: &str| {
            format!(
                "register an upcaster from {event_version} to {to} in the store's `upcasters` (`Upcasters::register(\"{event_type}\", \"{event_version}\", \"{to}\", ...)`)"
            )
        };
        match &event.why {
            Unreadable::UnknownType { nearest } => {
                let hint = nearest
                    .map(|near| format!(" (did you mean `{near}`?)"))
                    .unwrap_or_default();
                match reader {
                    DecodeScope::Catalog(catalog) => write!(
                        f,
                        "{reader} has no eventType `{event_type}`{hint}: was the store written with another catalog? Open it with that catalog's `AnyEvent`, or add the event to `{}`",
                        catalog.name
                    ),
                    DecodeScope::Set(_) => write!(
                        f,
                        "{reader} has no variant for eventType `{event_type}`{hint}: add one, or, if this reader reads only the events it names, open with `HoldingsCheck::Readable` (the default), which accepts eventTypes an event set leaves out"
                    ),
                }
            }
            Unreadable::NewerVersion { newest, same_major } => {
                write!(
                    f,
                    "version {event_version} is newer than the newest {reader} knows ({newest}): the store was written by a newer release of the catalog; upgrade this reader to it"
                )?;
                match (reader, same_major) {
                    (DecodeScope::Catalog(_), true) => write!(
                        f,
                        ", or declare a compatibilityMode that promises forward reads for `{event_type}` (forward, forward-transitive, full or full-transitive; its mode does not), under which a reader decodes a newer release of the same major version as {newest}"
                    ),
                    (DecodeScope::Catalog(_), false) => write!(
                        f,
                        " (a new major version: no compatibilityMode lets an older reader decode it)"
                    ),
                    (DecodeScope::Set(_), _) => write!(
                        f,
                        ", and give the event set a variant holding {event_version}"
                    ),
                }
            }
            Unreadable::OlderVersion { oldest } => write!(
                f,
                "version {event_version} is older than every version {reader} knows ({known}) and no upcaster starts from it: {}, or add version {event_version} to the catalog with an `Upcast` step to the next version",
                register(oldest)
            ),
            Unreadable::UnknownVersion => write!(
                f,
                "{reader} has no version {event_version} of it (it knows {known}) and no upcaster starts from it: {}, or add version {event_version} to the catalog",
                register(next_known(&self.reader, event_type, event_version))
            ),
            Unreadable::UpcastToUnknown { to } => write!(
                f,
                "the store's upcasters convert it to {to}, which {reader} does not decode either (it knows {known}): make the upcasters end at one of those versions"
            ),
            Unreadable::UpcastLoop { message } => write!(
                f,
                "{message}: remove the converter that leads back to an earlier version"
            ),
        }
    }
}

/// The version an upcaster of an unknown `event_version` should go to: the oldest known one
/// newer than it, else the last the reader lists.
fn next_known(reader: &Decodes, event_type: &str, event_version: &str) -> &'static str {
    let found = release(event_version);
    reader
        .versions_of(event_type)
        .filter_map(|known| Some((release(known)?, known)))
        .filter(|(known, _)| found.is_some_and(|found| *known > found))
        .min()
        .map(|(_, known)| known)
        .or_else(|| reader.versions_of(event_type).last())
        .unwrap_or("a known version")
}

/// `1 event`, `3 events`.
fn events(count: u64) -> String {
    if count == 1 {
        "1 event".to_owned()
    } else {
        format!("{count} events")
    }
}
