//! Another writer holding the store's lock: a typed error after the busy timeout, which says
//! to retry, and nothing half done.

use std::time::Duration;

use novel_events::{EventReader, StoreError, StoreOptions};
use uuid::Uuid;

use crate::*;

#[tokio::test]
async fn a_lock_held_past_the_busy_timeout_is_a_busy_error_and_a_retry_succeeds() {
    let scratch = Scratch::new("contention");
    let path = scratch.path("events.db");
    let store = Store::open_with(
        &path,
        StoreOptions {
            busy_timeout: Duration::from_millis(200),
            ..StoreOptions::default()
        },
    )
    .expect("a new store");

    // Another process's writer, as SQLite sees it: a connection holding the write lock.
    let other = rusqlite::Connection::open(&path).expect("a second connection");
    other.execute_batch("BEGIN IMMEDIATE").expect("the lock");

    let character = Uuid::new_v4();
    let event = skill(character, 1);
    match append(&store, vec![event.clone()]).await {
        Err(StoreError::Busy { message }) => assert!(!message.is_empty()),
        other => panic!("expected StoreError::Busy, got {other:?}"),
    }
    let error = StoreError::Busy {
        message: "database is locked".into(),
    };
    assert!(error.to_string().contains("retry"), "{error}");

    other.execute_batch("COMMIT").expect("released");
    append(&store, vec![event.clone()])
        .await
        .expect("the retry appends");
    let stored = store.read_all(0, 10).await.expect("a read");
    assert_eq!(
        stored.len(),
        1,
        "appended once: the busy attempt left nothing"
    );
    assert_eq!(stored[0].envelope.event_id, event.event_id);
}
