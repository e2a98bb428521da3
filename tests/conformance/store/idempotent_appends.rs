//! Idempotent appends: the same events again store nothing.

use novel_events::{AppendOutcome, ExpectedVersion, StoreError};
use uuid::Uuid;

use super::Store;
use super::events::*;
use super::store_calls::*;

// Idempotent appends.

pub async fn appending_the_same_events_again_stores_nothing<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    let character = Uuid::new_v4();
    let batch = vec![root(created(character, "Mira")), root(skill(character, 1))];
    let ids: Vec<Uuid> = batch.iter().map(|event| event.event_id).collect();
    store
        .append(character, ExpectedVersion::NoStream, batch.clone())
        .await
        .expect("append");
    // A retry after a lost acknowledgement: same events, same (now stale) expectation.
    for expected in [
        ExpectedVersion::NoStream,
        ExpectedVersion::Exactly(0),
        ExpectedVersion::Exactly(2),
        ExpectedVersion::Any,
    ] {
        let outcome = store
            .append(character, expected, batch.clone())
            .await
            .unwrap_or_else(|error| panic!("the same events again ({expected:?}): {error}"));
        assert_eq!(
            outcome,
            AppendOutcome::AlreadyStored {
                event_ids: ids.clone()
            }
        );
    }
    // Still after the stream moved on.
    append(&store, vec![root(skill(character, 2))]).await;
    let outcome = store
        .append(character, ExpectedVersion::NoStream, batch.clone())
        .await
        .expect("the same events again");
    assert!(
        matches!(outcome, AppendOutcome::AlreadyStored { .. }),
        "{outcome:?}"
    );
    // One event of the batch alone is all stored too.
    let outcome = store
        .append(
            character,
            ExpectedVersion::Exactly(1),
            vec![batch[1].clone()],
        )
        .await
        .expect("one event again");
    assert_eq!(
        outcome,
        AppendOutcome::AlreadyStored {
            event_ids: vec![ids[1]]
        }
    );

    assert_eq!(store.last_position().await.expect("last_position"), 3);
    let stream = store.read_stream(character, 1).await.expect("read_stream");
    assert_eq!(versions(&stream), [1, 2, 3]);
    assert_eq!(envelopes(&stream[..2]), batch);
}

pub async fn a_mix_of_stored_and_new_events_is_refused_whole<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    let character = Uuid::new_v4();
    let stored = root(created(character, "Mira"));
    store
        .append(character, ExpectedVersion::NoStream, vec![stored.clone()])
        .await
        .expect("append");
    let new = root(skill(character, 1));
    for batch in [
        vec![stored.clone(), new.clone()],
        vec![new.clone(), stored.clone()],
    ] {
        let error = store
            .append(character, ExpectedVersion::Any, batch)
            .await
            .expect_err("partly stored");
        match &error {
            StoreError::PartlyStored { event_id, position } => {
                assert_eq!((*event_id, *position), (stored.event_id, 1));
            }
            other => panic!("expected PartlyStored, got {other:?}"),
        }
        assert!(
            error.to_string().contains(&stored.event_id.to_string()),
            "{error}"
        );
    }
    assert_eq!(
        store.read_event(new.event_id).await.expect("read_event"),
        None
    );
    assert_eq!(store.last_position().await.expect("last_position"), 1);
    // One new event twice in a batch is refused too, whole.
    let other = root(skill(character, 2));
    let error = store
        .append(
            character,
            ExpectedVersion::Any,
            vec![other.clone(), new.clone(), new.clone()],
        )
        .await
        .expect_err("an eventId twice in one append");
    assert!(
        matches!(error, StoreError::DuplicateInAppend { event_id } if event_id == new.event_id),
        "{error:?}"
    );
    assert_eq!(
        store.read_event(other.event_id).await.expect("read_event"),
        None
    );
    assert_eq!(store.last_position().await.expect("last_position"), 1);
    // The new event alone goes in.
    let outcome = store
        .append(character, ExpectedVersion::Exactly(1), vec![new.clone()])
        .await
        .expect("append");
    assert_eq!(appended(outcome), (2, 2));
}
