//! The global log: positions, stream and correlation reads, refused appends.

use novel_events::{Envelope, ExpectedVersion, StoreError};
use uuid::Uuid;

use super::Store;
use super::events::*;
use super::store_calls::*;

// The global log.

pub async fn positions_are_global_contiguous_and_paged<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    let [a, b, c] = [Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4()];
    let mut log = Vec::new();
    for batch in [
        vec![root(created(a, "A"))],
        vec![root(created(b, "B")), root(skill(b, 1))],
        vec![root(skill(a, 1))],
        vec![root(created(c, "C")), root(skill(c, 1)), root(skill(c, 2))],
        vec![root(skill(b, 2))],
        vec![root(skill(a, 2)), root(deleted(a))],
    ] {
        log.extend(batch.iter().cloned());
        let (_, position) = appended(append(&store, batch).await);
        assert_eq!(
            position,
            log.len() as u64,
            "the position of a batch's last event"
        );
    }
    let total = log.len() as u64;
    assert_eq!(total, 10);
    let all = everything(&store).await;
    assert_eq!(positions(&all), (1..=total).collect::<Vec<u64>>());
    assert_eq!(envelopes(&all), log);

    // Paging with `after` and `limit`.
    let mut pages = Vec::new();
    let mut after = 0;
    loop {
        let page = store.read_all(after, 3).await.expect("read_all");
        if page.is_empty() {
            break;
        }
        after = page.last().expect("not empty").position;
        pages.push(positions(&page));
    }
    assert_eq!(
        pages,
        [vec![1, 2, 3], vec![4, 5, 6], vec![7, 8, 9], vec![10]]
    );
    assert_eq!(
        positions(&store.read_all(4, 2).await.expect("read_all")),
        [5, 6]
    );
    assert_eq!(
        positions(&store.read_all(9, 100).await.expect("read_all")),
        [10]
    );
    assert!(store.read_all(10, 100).await.expect("read_all").is_empty());
    assert!(
        store
            .read_all(1000, 100)
            .await
            .expect("read_all")
            .is_empty()
    );
    assert!(store.read_all(0, 0).await.expect("read_all").is_empty());
    assert_eq!(store.last_position().await.expect("last_position"), total);

    // Each stream's versions are its own.
    for (aggregate, count) in [(a, 4), (b, 3), (c, 3)] {
        let stream = store.read_stream(aggregate, 1).await.expect("read_stream");
        assert_eq!(versions(&stream), (1..=count).collect::<Vec<u64>>());
    }
}

pub async fn read_stream_from_a_version<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
    let mut mine = Vec::new();
    for level in 0..5 {
        let event = root(skill(a, level));
        mine.push(event.clone());
        append(&store, vec![event]).await;
        append(&store, vec![root(skill(b, level))]).await;
    }
    let from_start = store.read_stream(a, 1).await.expect("read_stream");
    assert_eq!(envelopes(&from_start), mine);
    assert_eq!(positions(&from_start), [1, 3, 5, 7, 9]);
    assert_eq!(
        store.read_stream(a, 0).await.expect("read_stream"),
        from_start
    );
    let from_three = store.read_stream(a, 3).await.expect("read_stream");
    assert_eq!(versions(&from_three), [3, 4, 5]);
    assert_eq!(positions(&from_three), [5, 7, 9]);
    assert_eq!(envelopes(&from_three), mine[2..]);
    assert_eq!(from_three[..], from_start[2..]);
    assert_eq!(
        versions(&store.read_stream(a, 5).await.expect("read_stream")),
        [5]
    );
    assert!(
        store
            .read_stream(a, 6)
            .await
            .expect("read_stream")
            .is_empty()
    );
    assert!(
        store
            .read_stream(Uuid::new_v4(), 1)
            .await
            .expect("read_stream")
            .is_empty()
    );
}

pub async fn read_correlation_returns_a_flow_in_log_order<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
    let start = root(created(a, "A"));
    let other_flow = root(created(b, "B"));
    let first = Envelope::caused_by(&start, related(a, b, 0.4));
    let second = Envelope::caused_by(&first, related(b, a, 0.6));
    let unrelated = Envelope::caused_by(&other_flow, skill(b, 3));
    let third = Envelope::caused_by(&start, skill(a, 2));
    for event in [&start, &other_flow, &first, &second, &unrelated, &third] {
        append(&store, vec![event.clone()]).await;
    }
    let flow = store
        .read_correlation(start.event_id)
        .await
        .expect("read_correlation");
    assert_eq!(envelopes(&flow), [start.clone(), first, second, third]);
    assert_eq!(positions(&flow), [1, 3, 4, 6]);
    let other = store
        .read_correlation(other_flow.event_id)
        .await
        .expect("read_correlation");
    assert_eq!(envelopes(&other), [other_flow, unrelated]);
    assert!(
        store
            .read_correlation(Uuid::new_v4())
            .await
            .expect("read_correlation")
            .is_empty()
    );
}

pub async fn read_event_and_last_position<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    assert_eq!(store.last_position().await.expect("last_position"), 0);
    assert_eq!(*store.watch_position().borrow(), 0);
    assert!(everything(&store).await.is_empty());
    assert_eq!(
        store.read_event(Uuid::new_v4()).await.expect("read_event"),
        None
    );

    let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
    let events = [
        root(created(a, "A")),
        root(created(b, "B")),
        root(skill(a, 1)),
    ];
    for event in &events {
        append(&store, vec![event.clone()]).await;
    }
    let third = store
        .read_event(events[2].event_id)
        .await
        .expect("read_event")
        .expect("stored");
    assert_eq!(
        (third.position, third.stream_version, &third.envelope),
        (3, 2, &events[2])
    );
    assert_eq!(store.last_position().await.expect("last_position"), 3);
    assert_eq!(*store.watch_position().borrow(), 3);
    assert_eq!(
        store.read_event(Uuid::new_v4()).await.expect("read_event"),
        None
    );
}

pub async fn an_append_mixing_aggregates_is_refused<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
    let error = store
        .append(
            a,
            ExpectedVersion::Any,
            vec![root(created(a, "A")), root(created(b, "B"))],
        )
        .await
        .expect_err("two aggregates");
    assert!(
        matches!(error, StoreError::MixedStreams { expected, found } if expected == a && found == b),
        "{error:?}"
    );
    // Appending one aggregate's event to another's stream is mixing too.
    let error = store
        .append(b, ExpectedVersion::Any, vec![root(created(a, "A"))])
        .await
        .expect_err("the wrong stream");
    assert!(
        matches!(error, StoreError::MixedStreams { expected, found } if expected == b && found == a),
        "{error:?}"
    );
    assert_eq!(store.last_position().await.expect("last_position"), 0);
    assert!(
        store
            .read_stream(a, 1)
            .await
            .expect("read_stream")
            .is_empty()
    );
}

pub async fn an_invalid_payload_is_refused_and_nothing_is_stored<S: Store>(
    make: impl AsyncFn() -> S,
) {
    let store = make().await;
    let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
    let valid = root(related(a, b, 0.5));
    let invalid = root(related(a, b, 1.5));
    let error = store
        .append(
            a,
            ExpectedVersion::Any,
            vec![valid.clone(), invalid.clone()],
        )
        .await
        .expect_err("relationshipStrength 1.5 breaks the catalog");
    match &error {
        StoreError::Invalid { event_type, source } => {
            assert_eq!(*event_type, "characters.character.relationship-formed");
            assert!(
                source.to_string().contains("relationshipStrength"),
                "the field is named: {source}"
            );
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(store.last_position().await.expect("last_position"), 0);
    assert_eq!(
        store.read_event(valid.event_id).await.expect("read_event"),
        None
    );
    assert_eq!(
        store
            .read_event(invalid.event_id)
            .await
            .expect("read_event"),
        None
    );
    // The valid event alone is stored.
    let outcome = store
        .append(a, ExpectedVersion::NoStream, vec![valid])
        .await
        .expect("append");
    assert_eq!(appended(outcome), (1, 1));
}
