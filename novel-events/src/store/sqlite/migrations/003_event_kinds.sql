CREATE TABLE event_kinds (
        event_type      TEXT NOT NULL,
        event_version   TEXT NOT NULL,
        count           INTEGER NOT NULL,
        PRIMARY KEY (event_type, event_version)
    ) WITHOUT ROWID;
    INSERT INTO event_kinds (event_type, event_version, count)
        SELECT event_type, event_version, count(*) FROM events
        GROUP BY event_type, event_version;
    CREATE TRIGGER event_kinds_insert AFTER INSERT ON events BEGIN
        INSERT INTO event_kinds (event_type, event_version, count)
            VALUES (NEW.event_type, NEW.event_version, 1)
            ON CONFLICT (event_type, event_version) DO UPDATE SET count = count + 1;
    END;
    CREATE TRIGGER event_kinds_update AFTER UPDATE OF event_type, event_version ON events BEGIN
        UPDATE event_kinds SET count = count - 1
            WHERE event_type = OLD.event_type AND event_version = OLD.event_version;
        DELETE FROM event_kinds
            WHERE event_type = OLD.event_type AND event_version = OLD.event_version AND count <= 0;
        INSERT INTO event_kinds (event_type, event_version, count)
            VALUES (NEW.event_type, NEW.event_version, 1)
            ON CONFLICT (event_type, event_version) DO UPDATE SET count = count + 1;
    END;
    CREATE TRIGGER event_kinds_delete AFTER DELETE ON events BEGIN
        UPDATE event_kinds SET count = count - 1
            WHERE event_type = OLD.event_type AND event_version = OLD.event_version;
        DELETE FROM event_kinds
            WHERE event_type = OLD.event_type AND event_version = OLD.event_version AND count <= 0;
    END;
