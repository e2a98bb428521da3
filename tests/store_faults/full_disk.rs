//! A full disk: appends refused whole, the store still usable.

use std::path::Path;

use novel_events::{AppendOutcome, CheckpointStore, EventReader, StoreError, StoreOptions};
use uuid::Uuid;

use crate::*;

/// How many pages the tests allow (of 4 KiB): the schema takes about ten.
const MAX_PAGES: u64 = 60;

fn limited(path: &Path) -> Store {
    Store::open_with(
        path,
        StoreOptions {
            max_pages: Some(MAX_PAGES),
            ..StoreOptions::default()
        },
    )
    .expect("a limited store opens")
}

/// Appends events of about 3 KiB, one per append, until the store is full; returns those
/// stored and the error.
async fn fill(store: &Store, character: Uuid) -> (Vec<Env>, StoreError) {
    let mut stored = Vec::new();
    for _ in 0..10_000 {
        let event = big_event(character);
        match append(store, vec![event.clone()]).await {
            Ok(_) => stored.push(event),
            Err(error) => return (stored, error),
        }
    }
    panic!("the store never filled up");
}

/// An event of about 3 KiB in `character`'s stream (the store does not mind that it is
/// created again and again).
fn big_event(character: Uuid) -> Env {
    created(character, filler(3000))
}

#[tokio::test]
async fn a_full_store_refuses_appends_whole_and_stays_usable() {
    let scratch = Scratch::new("full");
    // How many big events fit, one at a time.
    let probe = limited(&scratch.path("probe.db"));
    let (fitted, error) = fill(&probe, Uuid::new_v4()).await;
    assert!(
        matches!(error, StoreError::Full { .. }),
        "expected Full, got {error:?}"
    );
    assert!(error.to_string().contains("full"), "{error}");
    let capacity = fitted.len();
    assert!(capacity >= 6, "room for a few events: {capacity}");
    assert_eq!(envelopes(&everything(&probe).await), fitted);

    // A batch of more than fits, appended when half the room is free: all or nothing.
    let path = scratch.path("events.db");
    let store = limited(&path);
    let character = Uuid::new_v4();
    let mut before = Vec::new();
    for _ in 0..capacity / 2 {
        let event = big_event(character);
        append(&store, vec![event.clone()])
            .await
            .expect("room left");
        before.push(event);
    }
    let batch: Vec<Env> = (0..capacity).map(|_| big_event(character)).collect();
    let error = append(&store, batch.clone())
        .await
        .expect_err("the batch does not fit");
    match &error {
        StoreError::Full { message } => assert!(message.contains("full"), "{message}"),
        other => panic!("expected Full, got {other:?}"),
    }
    // Nothing of the batch is stored; what was is intact and readable.
    for event in &batch {
        assert_eq!(
            store.read_event(event.event_id).await.expect("read_event"),
            None
        );
    }
    let last = before.len() as u64;
    assert_eq!(store.last_position().await.expect("last_position"), last);
    let all = everything(&store).await;
    assert_eq!(envelopes(&all), before);
    assert_eq!(positions(&all), (1..=last).collect::<Vec<u64>>());
    let stream = store.read_stream(character, 1).await.expect("read_stream");
    assert_eq!(stream.len(), before.len());
    assert_eq!(*store.watch_position().borrow(), last);

    // Still usable: small events fit, right after the last stored position.
    let small = skill(Uuid::new_v4(), 1);
    let outcome = append(&store, vec![small.clone()])
        .await
        .expect("a small event fits");
    assert_eq!(
        outcome,
        AppendOutcome::Appended {
            stream_version: 1,
            position: last + 1
        }
    );
    store
        .save_checkpoint("after-full", last + 1)
        .await
        .expect("checkpoint");
    // Fill it up completely: it keeps refusing cleanly, and reading keeps working.
    let (more, error) = fill(&store, character).await;
    assert!(matches!(error, StoreError::Full { .. }), "{error:?}");
    let error = append(&store, vec![big_event(character)])
        .await
        .expect_err("still full");
    assert!(matches!(error, StoreError::Full { .. }), "{error:?}");
    let total = last + 1 + more.len() as u64;
    assert_eq!(store.last_position().await.expect("last_position"), total);
    assert_eq!(
        positions(&everything(&store).await),
        (1..=total).collect::<Vec<u64>>()
    );
    drop(store);

    // Reopened without the limit, the store takes appends again, positions continuing.
    let store = Store::open(&path).expect("reopens");
    let outcome = append(&store, batch.clone()).await.expect("room now");
    assert_eq!(
        outcome,
        AppendOutcome::Appended {
            stream_version: last + more.len() as u64 + batch.len() as u64,
            position: total + batch.len() as u64
        }
    );
    assert_eq!(
        store
            .load_checkpoint("after-full")
            .await
            .expect("checkpoint"),
        last + 1
    );
}
