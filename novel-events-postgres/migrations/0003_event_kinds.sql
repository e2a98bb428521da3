-- 3: the (eventType, eventVersion) pairs the log holds, which the store checks against its
-- reader's catalog when it opens. Appends add theirs in their one statement (`statements.rs`;
-- a pair already listed costs a lookup, nothing is written); a statement that changes or
-- removes rows of the log by hand (fixing a row, say) lists them again. `__SCHEMA__` stands
-- for the store's schema.
CREATE TABLE __SCHEMA__.event_kinds (
    event_type      text NOT NULL,
    event_version   text NOT NULL,
    PRIMARY KEY (event_type, event_version)
);
INSERT INTO __SCHEMA__.event_kinds (event_type, event_version)
    SELECT DISTINCT event_type, event_version FROM __SCHEMA__.events;
CREATE FUNCTION __SCHEMA__.event_kinds_relist() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM __SCHEMA__.event_kinds;
    INSERT INTO __SCHEMA__.event_kinds (event_type, event_version)
        SELECT DISTINCT event_type, event_version FROM __SCHEMA__.events;
    RETURN NULL;
END
$$;
CREATE TRIGGER event_kinds_relist
    AFTER UPDATE OF event_type, event_version OR DELETE OR TRUNCATE ON __SCHEMA__.events
    FOR EACH STATEMENT EXECUTE FUNCTION __SCHEMA__.event_kinds_relist();
