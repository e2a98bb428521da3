CREATE TABLE event_kinds (
        event_type      TEXT NOT NULL,
        event_version   TEXT NOT NULL,
        PRIMARY KEY (event_type, event_version)
    ) WITHOUT ROWID;
    INSERT INTO event_kinds (event_type, event_version)
        SELECT DISTINCT event_type, event_version FROM events;
    CREATE TRIGGER event_kinds_insert AFTER INSERT ON events BEGIN
        INSERT OR IGNORE INTO event_kinds (event_type, event_version)
            VALUES (NEW.event_type, NEW.event_version);
    END;
    CREATE TRIGGER event_kinds_update AFTER UPDATE OF event_type, event_version ON events BEGIN
        INSERT OR IGNORE INTO event_kinds (event_type, event_version)
            VALUES (NEW.event_type, NEW.event_version);
    END;
