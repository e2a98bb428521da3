//! How a [`PostgresEventStore`](crate::PostgresEventStore) is opened.

use std::time::Duration;

use novel_events::{HoldingsCheck, Upcasters};

/// Options of [`PostgresEventStore::open_with`](crate::PostgresEventStore::open_with) and
/// [`PostgresEventStore::with_pool`](crate::PostgresEventStore::with_pool).
#[derive(Debug, Clone)]
pub struct PostgresOptions {
    /// The schema holding the store's tables (created if missing). Lowercase ASCII letters,
    /// digits and `_`, starting with a letter or `_`, at most 63 bytes.
    /// By default [`DEFAULT_SCHEMA`](Self::DEFAULT_SCHEMA).
    pub schema: String,
    /// Converters applied to older event versions when reading.
    pub upcasters: Upcasters,
    /// How often [`watch_position`](novel_events::EventReader::watch_position) reads the log's
    /// head without a notification: the longest a live subscriber waits for an append of
    /// another process when the notification connection is lost. By default 1 s.
    pub poll_interval: Duration,
    /// The largest number of connections of the pool that
    /// [`open_with`](crate::PostgresEventStore::open_with) creates (the notification listener
    /// takes one of them). By default 10.
    pub max_connections: u32,
    /// What opening checks of the eventTypes and versions the store holds against the payload
    /// type it is opened with: by default that it can read them all
    /// ([`HoldingsCheck::Readable`]), so that a schema written with another catalog, or with a
    /// newer one, is refused at once with what to do
    /// ([`StoreError::UnreadableEvents`](novel_events::StoreError::UnreadableEvents)) instead
    /// of failing at the first read.
    pub check_holdings: HoldingsCheck,
}

impl PostgresOptions {
    /// The default schema, `novel_events`.
    pub const DEFAULT_SCHEMA: &'static str = "novel_events";
}

impl Default for PostgresOptions {
    fn default() -> Self {
        Self {
            schema: Self::DEFAULT_SCHEMA.to_owned(),
            upcasters: Upcasters::new(),
            poll_interval: Duration::from_secs(1),
            max_connections: 10,
            check_holdings: HoldingsCheck::default(),
        }
    }
}
