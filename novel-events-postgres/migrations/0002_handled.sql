-- 2: the events each subscriber handled, for PostgresIdempotency (idempotent consumers across
-- processes). `__SCHEMA__` stands for the store's schema.
CREATE TABLE __SCHEMA__.handled (
    subscriber      text NOT NULL,
    event_id        uuid NOT NULL,
    handled_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subscriber, event_id)
);
CREATE INDEX handled_by_time ON __SCHEMA__.handled (handled_at);
