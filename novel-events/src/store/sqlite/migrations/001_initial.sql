CREATE TABLE events (
        position        INTEGER PRIMARY KEY,
        event_id        TEXT NOT NULL UNIQUE,
        aggregate_id    TEXT NOT NULL,
        aggregate_type  TEXT NOT NULL,
        stream_version  INTEGER NOT NULL,
        event_type      TEXT NOT NULL,
        event_version   TEXT NOT NULL,
        correlation_id  TEXT NOT NULL,
        causation_id    TEXT NOT NULL,
        timestamp       TEXT NOT NULL,
        envelope        TEXT NOT NULL,
        UNIQUE (aggregate_id, stream_version)
    );
    CREATE INDEX events_by_correlation ON events (correlation_id, position);
    CREATE TABLE outbox (position INTEGER PRIMARY KEY REFERENCES events (position));
    CREATE TABLE checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL);
    CREATE TABLE snapshots (
        aggregate_id    TEXT PRIMARY KEY,
        aggregate_type  TEXT NOT NULL,
        stream_version  INTEGER NOT NULL,
        state           TEXT NOT NULL
    );
