-- 3: the (eventType, eventVersion) pairs the log holds and how many events of each, which the
-- store checks against its reader's catalog when it opens. Appends keep it in their one
-- statement (`statements.rs`); a statement that changes or removes rows of the log by hand
-- (fixing a row, say) counts it again. `__SCHEMA__` stands for the store's schema.
CREATE TABLE __SCHEMA__.event_kinds (
    event_type      text NOT NULL,
    event_version   text NOT NULL,
    count           bigint NOT NULL,
    PRIMARY KEY (event_type, event_version)
);
INSERT INTO __SCHEMA__.event_kinds (event_type, event_version, count)
    SELECT event_type, event_version, count(*) FROM __SCHEMA__.events
    GROUP BY event_type, event_version;
CREATE FUNCTION __SCHEMA__.event_kinds_recount() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM __SCHEMA__.event_kinds;
    INSERT INTO __SCHEMA__.event_kinds (event_type, event_version, count)
        SELECT event_type, event_version, count(*) FROM __SCHEMA__.events
        GROUP BY event_type, event_version;
    RETURN NULL;
END
$$;
CREATE TRIGGER event_kinds_recount
    AFTER UPDATE OF event_type, event_version OR DELETE OR TRUNCATE ON __SCHEMA__.events
    FOR EACH STATEMENT EXECUTE FUNCTION __SCHEMA__.event_kinds_recount();
