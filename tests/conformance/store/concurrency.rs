//! Optimistic concurrency: expected versions, concurrent appenders.

use std::collections::HashSet;
use std::sync::Arc;

use novel_events::{ExpectedVersion, StoreError};
use uuid::Uuid;

use super::Store;
use super::events::*;
use super::store_calls::*;

// Optimistic concurrency.

pub async fn no_stream_on_an_existing_stream_conflicts<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    let character = Uuid::new_v4();
    store
        .append(
            character,
            ExpectedVersion::NoStream,
            vec![root(created(character, "Mira"))],
        )
        .await
        .expect("the first append of a stream");
    let late = root(created(character, "Mira again"));
    let error = store
        .append(character, ExpectedVersion::NoStream, vec![late.clone()])
        .await
        .expect_err("the stream exists");
    match &error {
        StoreError::Conflict {
            aggregate_id,
            expected,
            actual,
        } => assert_eq!((*aggregate_id, *expected, *actual), (character, 0, 1)),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(
        error.to_string().contains(&character.to_string()),
        "{error}"
    );
    assert_eq!(store.last_position().await.expect("last_position"), 1);
    assert_eq!(
        store.read_event(late.event_id).await.expect("read_event"),
        None
    );
}

pub async fn a_wrong_expected_version_conflicts_naming_both_versions<S: Store>(
    make: impl AsyncFn() -> S,
) {
    let store = make().await;
    let character = Uuid::new_v4();
    store
        .append(
            character,
            ExpectedVersion::NoStream,
            vec![root(created(character, "Mira")), root(skill(character, 1))],
        )
        .await
        .expect("append");

    for (expected, actual) in [(1, 2), (3, 2), (7, 2)] {
        let error = store
            .append(
                character,
                ExpectedVersion::Exactly(expected),
                vec![root(skill(character, 9))],
            )
            .await
            .expect_err("a wrong version");
        assert!(
            matches!(error, StoreError::Conflict { aggregate_id, expected: e, actual: a }
                if aggregate_id == character && e == expected && a == actual),
            "expected a conflict {expected} vs {actual}, got {error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains(&format!("expected stream version {expected}"))
                && message.contains(&format!("it is at {actual}")),
            "the message names both versions: {message}"
        );
    }
    // A stream that does not exist is at version 0.
    let nobody = Uuid::new_v4();
    let error = store
        .append(
            nobody,
            ExpectedVersion::Exactly(1),
            vec![root(created(nobody, "Nobody"))],
        )
        .await
        .expect_err("no stream");
    assert!(
        matches!(
            error,
            StoreError::Conflict {
                expected: 1,
                actual: 0,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(store.last_position().await.expect("last_position"), 2);

    // The right version, and Any, append.
    let outcome = store
        .append(
            character,
            ExpectedVersion::Exactly(2),
            vec![root(skill(character, 3))],
        )
        .await
        .expect("the right version");
    assert_eq!(appended(outcome), (3, 3));
    let outcome = append(&store, vec![root(skill(character, 4))]).await;
    assert_eq!(appended(outcome), (4, 4));
}

/// Several tasks append at the same expected version, round after round: exactly one wins
/// each round, the others are told the version moved on.
pub async fn concurrent_appenders_one_winner_per_version<S: Store>(make: impl AsyncFn() -> S) {
    const ROUNDS: u64 = 6;
    const TASKS: usize = 5;
    let store = make().await;
    let character = Uuid::new_v4();
    let mut winners = Vec::new();
    for version in 0..ROUNDS {
        let expected = if version == 0 {
            ExpectedVersion::NoStream
        } else {
            ExpectedVersion::Exactly(version)
        };
        let start = Arc::new(tokio::sync::Barrier::new(TASKS));
        let tasks: Vec<_> = (0..TASKS)
            .map(|task| {
                let store = store.clone();
                let start = Arc::clone(&start);
                let event = root(skill(character, task as i64 + 1));
                tokio::spawn(async move {
                    start.wait().await;
                    let outcome = store.append(character, expected, vec![event.clone()]).await;
                    (event, outcome)
                })
            })
            .collect();
        let mut won = Vec::new();
        for task in tasks {
            let (event, outcome) = within("an appender", task).await.expect("no panic");
            match outcome {
                Ok(outcome) => {
                    assert_eq!(appended(outcome).0, version + 1);
                    won.push(event);
                }
                Err(StoreError::Conflict {
                    aggregate_id,
                    expected,
                    actual,
                }) => {
                    assert_eq!(aggregate_id, character);
                    assert_eq!((expected, actual), (version, version + 1));
                }
                Err(other) => panic!("expected success or a conflict, got {other}"),
            }
        }
        assert_eq!(
            won.len(),
            1,
            "exactly one appender wins version {}",
            version + 1
        );
        winners.extend(won);
    }
    let stream = store.read_stream(character, 1).await.expect("read_stream");
    assert_eq!(envelopes(&stream), winners);
    assert_eq!(versions(&stream), (1..=ROUNDS).collect::<Vec<u64>>());
    assert_eq!(store.last_position().await.expect("last_position"), ROUNDS);
}

/// Tasks that reload and retry on conflict all get their events in, once each, in their
/// own order, with versions and positions without gaps.
pub async fn concurrent_appenders_that_retry_lose_nothing<S: Store>(make: impl AsyncFn() -> S) {
    const TASKS: usize = 4;
    const EACH: usize = 5;
    let store = make().await;
    let character = Uuid::new_v4();
    let start = Arc::new(tokio::sync::Barrier::new(TASKS));
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let store = store.clone();
            let start = Arc::clone(&start);
            tokio::spawn(async move {
                start.wait().await;
                let mut mine = Vec::new();
                let mut conflicts = 0;
                let mut known = 0;
                for index in 0..EACH {
                    let event = root(skill(character, (task * EACH + index) as i64));
                    loop {
                        let expected = if known == 0 {
                            ExpectedVersion::NoStream
                        } else {
                            ExpectedVersion::Exactly(known)
                        };
                        match store.append(character, expected, vec![event.clone()]).await {
                            Ok(outcome) => {
                                known = appended(outcome).0;
                                break;
                            }
                            Err(StoreError::Conflict { actual, .. }) => {
                                assert!(actual > known, "a conflict moves forward");
                                conflicts += 1;
                                known = actual;
                                tokio::task::yield_now().await;
                            }
                            Err(other) => panic!("append failed: {other}"),
                        }
                    }
                    mine.push(event.event_id);
                }
                (mine, conflicts)
            })
        })
        .collect();
    let mut expected_ids = HashSet::new();
    let mut per_task = Vec::new();
    for task in tasks {
        let (mine, _conflicts) = within("an appender", task).await.expect("no panic");
        expected_ids.extend(mine.iter().copied());
        per_task.push(mine);
    }
    let stream = store.read_stream(character, 1).await.expect("read_stream");
    let total = (TASKS * EACH) as u64;
    assert_eq!(versions(&stream), (1..=total).collect::<Vec<u64>>());
    assert_eq!(positions(&stream), (1..=total).collect::<Vec<u64>>());
    let stored: Vec<Uuid> = stream.iter().map(|event| event.envelope.event_id).collect();
    assert_eq!(stored.iter().copied().collect::<HashSet<_>>(), expected_ids);
    assert_eq!(stored.len(), expected_ids.len(), "no event twice");
    for mine in per_task {
        let order: Vec<Uuid> = stored
            .iter()
            .copied()
            .filter(|id| mine.contains(id))
            .collect();
        assert_eq!(order, mine, "each appender's events keep its order");
    }
}
