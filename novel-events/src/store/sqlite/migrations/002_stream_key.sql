CREATE TABLE streams (
        slot            INTEGER PRIMARY KEY,
        aggregate_id    TEXT NOT NULL UNIQUE
    );
    INSERT INTO streams (aggregate_id)
        SELECT aggregate_id FROM events GROUP BY aggregate_id ORDER BY min(position);
    CREATE TABLE events_v2 (
        stream_key      INTEGER PRIMARY KEY,
        position        INTEGER NOT NULL UNIQUE,
        event_id        TEXT NOT NULL UNIQUE,
        aggregate_id    TEXT NOT NULL,
        aggregate_type  TEXT NOT NULL,
        stream_version  INTEGER NOT NULL,
        event_type      TEXT NOT NULL,
        event_version   TEXT NOT NULL,
        correlation_id  TEXT NOT NULL,
        causation_id    TEXT NOT NULL,
        timestamp       TEXT NOT NULL,
        envelope        TEXT NOT NULL
    );
    INSERT INTO events_v2 (stream_key, position, event_id, aggregate_id, aggregate_type,
                           stream_version, event_type, event_version, correlation_id,
                           causation_id, timestamp, envelope)
        SELECT (streams.slot << 32) + events.stream_version, events.position, events.event_id,
               events.aggregate_id, events.aggregate_type, events.stream_version,
               events.event_type, events.event_version, events.correlation_id,
               events.causation_id, events.timestamp, events.envelope
        FROM events JOIN streams USING (aggregate_id)
        ORDER BY streams.slot, events.stream_version;
    CREATE TABLE outbox_v2 (position INTEGER PRIMARY KEY REFERENCES events_v2 (position));
    INSERT INTO outbox_v2 (position) SELECT position FROM outbox ORDER BY position;
    DROP TABLE outbox;
    DROP TABLE events;
    ALTER TABLE events_v2 RENAME TO events;
    ALTER TABLE outbox_v2 RENAME TO outbox;
    CREATE INDEX events_by_correlation ON events (correlation_id, position);
