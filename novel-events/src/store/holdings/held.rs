//! [`HeldEvents`]: one (eventType, eventVersion) a store holds, and how many events of it.

/// One (eventType, eventVersion) pair a store holds, and how many of its events have it: a row
/// of the store's `event_kinds` table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HeldEvents {
    /// The eventType, as stored.
    pub event_type: String,
    /// The eventVersion, as stored.
    pub event_version: String,
    /// How many events of the log have this eventType and version.
    pub count: u64,
}
