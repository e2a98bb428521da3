//! Runtimes: the store's SQLite work runs in place on a multi-thread runtime, on the blocking
//! pool on a current-thread runtime and in a `LocalSet`.

use novel_events::novel_engine::AnyEvent;
use novel_events::{CheckpointStore, EventReader, SqliteProjection, StoreError, StoredEvent};
use uuid::Uuid;

use crate::*;

// pool on a current-thread runtime and in a `LocalSet`.

/// A read model whose `apply` panics.
struct Panicking;

impl SqliteProjection<AnyEvent> for Panicking {
    fn name(&self) -> &str {
        "panicking"
    }

    fn apply(
        &mut self,
        _transaction: &rusqlite::Transaction<'_>,
        _event: &StoredEvent<AnyEvent>,
    ) -> rusqlite::Result<()> {
        panic!("a projection that panics");
    }
}

/// A panicking projection is an error of the call, and the store stays usable.
async fn a_panicking_projection_is_an_error(test: &str) {
    let scratch = Scratch::new(test);
    let store = Store::open(scratch.path("events.db")).expect("a new store");
    let character = Uuid::new_v4();
    append(&store, vec![skill(character, 1)])
        .await
        .expect("append");
    match store.run_sqlite_projection(Panicking).await {
        Err(StoreError::Database(message)) => {
            assert!(message.contains("panicked"), "{message}");
        }
        Err(other) => panic!("expected a database error, got {other:?}"),
        Ok(_) => panic!("a panicking projection ran"),
    }
    append(&store, vec![skill(character, 2)])
        .await
        .expect("the store still appends");
    assert_eq!(
        positions(&store.read_stream(character, 1).await.expect("reads")),
        [1, 2]
    );
    assert_eq!(store.load_checkpoint("panicking").await.expect("load"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_projection_is_an_error_in_place() {
    // In a task, on a worker thread: the work runs in place.
    tokio::spawn(a_panicking_projection_is_an_error("panic_in_place"))
        .await
        .expect("no panic escapes");
}

#[tokio::test]
async fn a_panicking_projection_is_an_error_on_the_blocking_pool() {
    a_panicking_projection_is_an_error("panic_on_the_pool").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_set_on_a_multi_thread_runtime_uses_the_blocking_pool() {
    let scratch = Scratch::new("local_set");
    let store = Store::open(scratch.path("events.db")).expect("a new store");
    let character = Uuid::new_v4();
    // tokio refuses `block_in_place` in a `LocalSet`: the store falls back to the pool, then
    // and on later calls from this thread.
    let local = tokio::task::LocalSet::new();
    local
        .run_until(async {
            for level in 1..=3 {
                append(&store, vec![skill(character, level)])
                    .await
                    .expect("append in a LocalSet");
            }
            let spawned = store.clone();
            tokio::task::spawn_local(async move {
                spawned
                    .read_stream(character, 1)
                    .await
                    .expect("read in a local task")
                    .len()
            })
            .await
            .expect("the local task ends")
        })
        .await;
    assert_eq!(
        positions(&store.read_stream(character, 1).await.expect("reads")),
        [1, 2, 3]
    );
}
