//! Files that are not stores: not SQLite, a foreign database, a schema from the future.

use novel_events::{SCHEMA_VERSION, StoreError};
use rusqlite::Connection;
use uuid::Uuid;

use crate::*;

#[test]
fn a_file_that_is_not_sqlite_is_not_a_store() {
    let scratch = Scratch::new("not_sqlite");
    let random: Vec<u8> = (0..512).flat_map(|_| *Uuid::new_v4().as_bytes()).collect();
    for (name, bytes) in [
        ("random.db", random),
        (
            "notes.txt",
            b"these are not the events you are looking for\n".to_vec(),
        ),
    ] {
        let path = scratch.path(name);
        std::fs::write(&path, &bytes).expect("write");
        match Store::open(&path) {
            Err(StoreError::NotAStore {
                path: named,
                message,
            }) => {
                assert_eq!(named, shown(&path));
                assert!(!message.is_empty());
            }
            Err(other) => panic!("{name}: expected NotAStore, got {other:?}"),
            Ok(_) => panic!("{name}: opened as a store"),
        }
        let error = Store::open(&path).err().expect("refused");
        assert!(error.to_string().contains(&shown(&path)), "{error}");
        assert_eq!(
            std::fs::read(&path).expect("read"),
            bytes,
            "{name} is left as it was"
        );
    }
}

#[test]
fn a_foreign_sqlite_database_is_not_a_store() {
    let scratch = Scratch::new("foreign");
    let path = scratch.path("crm.db");
    {
        let connection = Connection::open(&path).expect("open");
        connection
            .execute_batch(
                "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
                 INSERT INTO customers (name) VALUES ('Ada');",
            )
            .expect("a foreign schema");
    }
    match Store::open(&path) {
        Err(StoreError::NotAStore {
            path: named,
            message,
        }) => {
            assert_eq!(named, shown(&path));
            assert!(message.contains("SQLite database"), "{message}");
        }
        Err(other) => panic!("expected NotAStore, got {other:?}"),
        Ok(_) => panic!("a foreign database opened as a store"),
    }
    // Left untouched: no tables of ours, not switched to WAL.
    let connection = Connection::open(&path).expect("open");
    let tables: Vec<String> = connection
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("query")
        .query_map([], |row| row.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(tables, ["customers"]);
    let journal: String = connection
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("pragma");
    assert_eq!(journal, "delete");

    // Another program's database that sets user_version too.
    connection
        .execute_batch("PRAGMA user_version = 1")
        .expect("pragma");
    drop(connection);
    match Store::open(&path) {
        Err(StoreError::NotAStore {
            path: named,
            message,
        }) => {
            assert_eq!(named, shown(&path));
            assert!(message.contains("user_version 1"), "{message}");
        }
        Err(other) => panic!("expected NotAStore, got {other:?}"),
        Ok(_) => panic!("a foreign database with user_version 1 opened as a store"),
    }
}

#[tokio::test]
async fn a_newer_schema_is_refused() {
    let scratch = Scratch::new("newer_schema");
    let path = scratch.path("events.db");
    let character = Uuid::new_v4();
    let event = skill(character, 1);
    {
        let store = Store::open(&path).expect("a new store");
        append(&store, vec![event.clone()]).await.expect("append");
    }
    let set_version = |version: i64| {
        Connection::open(&path)
            .expect("open")
            .execute_batch(&format!("PRAGMA user_version = {version}"))
            .expect("pragma");
    };
    set_version(99);
    match Store::open(&path) {
        Err(StoreError::NewerSchema {
            path: named,
            found,
            supported,
        }) => assert_eq!(
            (named, found, supported),
            (shown(&path), 99, SCHEMA_VERSION)
        ),
        Err(other) => panic!("expected NewerSchema, got {other:?}"),
        Ok(_) => panic!("a newer schema opened"),
    }
    let message = Store::open(&path).err().expect("refused").to_string();
    assert!(
        message.contains("99") && message.contains(&format!("({SCHEMA_VERSION})")),
        "{message}"
    );
    // Refusing it changed nothing.
    set_version(SCHEMA_VERSION);
    let store = Store::open(&path).expect("the store opens again");
    assert_eq!(envelopes(&everything(&store).await), [event]);
}
