//! The store's SQL, written once per store for its schema.

use std::sync::Arc;

use sqlx::AssertSqlSafe;

/// The columns every read selects, in the order [`crate::row`] decodes them.
const COLUMNS: &str =
    "position, stream_version, event_id::text, event_type, event_version, envelope::text";

/// The statements of one store: the schema's name is part of each, checked when the store is
/// opened (it cannot carry SQL).
#[derive(Debug)]
pub(crate) struct Statements {
    /// Locks the log's head until the transaction ends; returns the last position.
    pub lock_head: Arc<str>,
    /// The log's last committed position.
    pub head: Arc<str>,
    /// The append, in one statement run under the head's lock: checks the stream's version
    /// against `$5` (NULL: any) and that none of the eventIds `$3` is stored, and only then
    /// inserts the rows (stream versions following the stream's), lists their eventTypes and
    /// versions in `event_kinds` (a pair listed already writes nothing), moves the head to
    /// `$11` and notifies channel `$12`. Returns the stream's version before, the eventIds already stored with their
    /// positions (in log order), and how many rows it inserted.
    pub append: Arc<str>,
    /// `$1` aggregate, `$2` first stream version.
    pub read_stream: Arc<str>,
    /// `$1` after, `$2` limit.
    pub read_all: Arc<str>,
    /// `$1` correlationId.
    pub read_correlation: Arc<str>,
    /// `$1` eventId.
    pub read_event: Arc<str>,
    /// The (eventType, eventVersion) pairs listed in `event_kinds`, by type and version.
    pub event_kinds: Arc<str>,
    /// How many events of each (eventType, eventVersion) the log holds (a pass over it).
    pub count_kinds: Arc<str>,
    /// `$1` projection.
    pub load_checkpoint: Arc<str>,
    /// `$1` projection, `$2` position.
    pub save_checkpoint: Arc<str>,
    /// `$1` projection: creates its checkpoint at 0 if missing, then locks it; returns it.
    pub lock_checkpoint: Arc<str>,
    /// `$1` aggregate.
    pub load_snapshot: Arc<str>,
    /// `$1` aggregate, `$2` type, `$3` version, `$4` state.
    pub save_snapshot: Arc<str>,
}

impl Statements {
    /// The statements over `schema`, a name already checked by [`crate::schema::check_name`].
    pub(crate) fn new(schema: &str) -> Self {
        let s = format!("\"{schema}\"");
        let select =
            |tail: &str| -> Arc<str> { format!("SELECT {COLUMNS} FROM {s}.events {tail}").into() };
        Self {
            lock_head: format!("SELECT position FROM {s}.log_head FOR UPDATE").into(),
            head: format!("SELECT position FROM {s}.log_head").into(),
            append: format!(
                "WITH current AS (
                    SELECT coalesce(max(stream_version), 0) AS version
                    FROM {s}.events WHERE aggregate_id = $1
                 ), stored AS (
                    SELECT coalesce(array_agg(event_id ORDER BY position), '{{}}') AS ids,
                           coalesce(array_agg(position ORDER BY position), '{{}}') AS positions
                    FROM {s}.events WHERE event_id = ANY($3)
                 ), allowed AS (
                    SELECT current.version FROM current, stored
                    WHERE cardinality(stored.ids) = 0
                      AND ($5::bigint IS NULL OR current.version = $5::bigint)
                 ), inserted AS (
                    INSERT INTO {s}.events (position, event_id, aggregate_id, aggregate_type,
                        stream_version, event_type, event_version, correlation_id, causation_id,
                        \"timestamp\", envelope)
                    SELECT rows.position, rows.event_id, $1, rows.aggregate_type,
                        allowed.version + rows.ordinal, rows.event_type, rows.event_version,
                        rows.correlation_id, rows.causation_id, rows.at, rows.envelope::json
                    FROM allowed,
                         unnest($2::bigint[], $3::uuid[], $4::text[], $6::text[], $7::text[],
                                $8::uuid[], $9::uuid[], $10::timestamptz[], $13::text[])
                         WITH ORDINALITY
                         AS rows (position, event_id, aggregate_type, event_type,
                                  event_version, correlation_id, causation_id, at, envelope,
                                  ordinal)
                    RETURNING event_type, event_version
                 ), kinds AS (
                    INSERT INTO {s}.event_kinds (event_type, event_version)
                    SELECT DISTINCT event_type, event_version FROM inserted
                    ON CONFLICT (event_type, event_version) DO NOTHING
                 ), head AS (
                    UPDATE {s}.log_head SET position = $11 WHERE EXISTS (SELECT 1 FROM allowed)
                 )
                 SELECT current.version, stored.ids, stored.positions,
                        (SELECT count(*) FROM inserted),
                        CASE WHEN EXISTS (SELECT 1 FROM allowed)
                             THEN pg_notify($12, $11::text) END::text
                 FROM current, stored"
            )
            .into(),
            read_stream: select(
                "WHERE aggregate_id = $1 AND stream_version >= $2 ORDER BY stream_version",
            ),
            read_all: select("WHERE position > $1 ORDER BY position LIMIT $2"),
            read_correlation: select("WHERE correlation_id = $1 ORDER BY position"),
            read_event: select("WHERE event_id = $1"),
            event_kinds: format!(
                "SELECT event_type, event_version FROM {s}.event_kinds
                 ORDER BY event_type, event_version"
            )
            .into(),
            count_kinds: format!(
                "SELECT event_type, event_version, count(*) FROM {s}.events
                 GROUP BY event_type, event_version"
            )
            .into(),
            load_checkpoint: format!("SELECT position FROM {s}.checkpoints WHERE projection = $1")
                .into(),
            save_checkpoint: format!(
                "INSERT INTO {s}.checkpoints (projection, position) VALUES ($1, $2)
                 ON CONFLICT (projection) DO UPDATE SET position = excluded.position"
            )
            .into(),
            lock_checkpoint: format!(
                "INSERT INTO {s}.checkpoints AS kept (projection, position) VALUES ($1, 0)
                 ON CONFLICT (projection) DO UPDATE SET position = kept.position
                 RETURNING position"
            )
            .into(),
            load_snapshot: format!(
                "SELECT stream_version, state FROM {s}.snapshots WHERE aggregate_id = $1"
            )
            .into(),
            save_snapshot: format!(
                "INSERT INTO {s}.snapshots (aggregate_id, aggregate_type, stream_version, state)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (aggregate_id) DO UPDATE
                 SET stream_version = excluded.stream_version, state = excluded.state
                 WHERE excluded.stream_version > snapshots.stream_version"
            )
            .into(),
        }
    }
}

/// A statement for sqlx (its text is built from a checked schema name only).
pub(crate) fn sql(statement: &Arc<str>) -> AssertSqlSafe<Arc<str>> {
    AssertSqlSafe(Arc::clone(statement))
}
