-- 1: the log, its writer lock and head, projection checkpoints and snapshots.
-- `__SCHEMA__` stands for the store's schema (a quoted identifier).
CREATE TABLE __SCHEMA__.events (
    position        bigint PRIMARY KEY,
    event_id        uuid NOT NULL UNIQUE,
    aggregate_id    uuid NOT NULL,
    aggregate_type  text NOT NULL,
    stream_version  bigint NOT NULL,
    event_type      text NOT NULL,
    event_version   text NOT NULL,
    correlation_id  uuid NOT NULL,
    causation_id    uuid NOT NULL,
    "timestamp"     timestamptz NOT NULL,
    -- json, not jsonb: kept as written (jsonb refuses the escape \u0000 a string may hold).
    envelope        json NOT NULL,
    UNIQUE (aggregate_id, stream_version)
);
CREATE INDEX events_by_correlation ON __SCHEMA__.events (correlation_id, position);
-- One row: the last position appended. Appends lock it until they commit, so positions are
-- taken and made visible in one order, without gaps.
CREATE TABLE __SCHEMA__.log_head (
    singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    position        bigint NOT NULL
);
INSERT INTO __SCHEMA__.log_head (position) VALUES (0);
CREATE TABLE __SCHEMA__.checkpoints (
    projection      text PRIMARY KEY,
    position        bigint NOT NULL
);
CREATE TABLE __SCHEMA__.snapshots (
    aggregate_id    uuid PRIMARY KEY,
    aggregate_type  text NOT NULL,
    stream_version  bigint NOT NULL,
    state           text NOT NULL
);
