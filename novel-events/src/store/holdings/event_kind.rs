//! [`EventKind`]: one (eventType, eventVersion) a store holds.

/// One (eventType, eventVersion) pair of a store's events: a row of its `event_kinds` table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventKind {
    /// The eventType, as stored.
    pub event_type: String,
    /// The eventVersion, as stored.
    pub event_version: String,
}

impl EventKind {
    /// The pair `event_type`, `event_version`.
    pub fn new(event_type: impl Into<String>, event_version: impl Into<String>) -> Self {
        Self {
            event_type: event_type.into(),
            event_version: event_version.into(),
        }
    }
}
