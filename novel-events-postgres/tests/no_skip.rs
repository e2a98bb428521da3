//! Readers never skip an event: a slow transaction holding a lower position, and concurrent
//! appenders on separate connections.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{TestSchema, created, root, skill, within};
use novel_events::novel_engine::AnyEvent;
use novel_events::{AppendOutcome, CatchUp, EventAppender, EventReader, ExpectedVersion};
use uuid::Uuid;

/// Transaction A takes position N and waits before committing; B appends meanwhile. No reader
/// returns anything past N - 1 until A commits; then both come, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_transaction_holds_later_positions_back() {
    let schema = TestSchema::new().await;
    let store = schema.open::<AnyEvent>().await;
    let first = Uuid::new_v4();
    store
        .append(
            first,
            ExpectedVersion::NoStream,
            vec![root(created(first, "Before"))],
        )
        .await
        .expect("append");

    // A: position 2, in a transaction left open.
    let slow = Uuid::new_v4();
    let slow_event = root(created(slow, "Slow"));
    let mut transaction = store.pool().begin().await.expect("begin");
    let outcome = store
        .append_in(
            &mut transaction,
            slow,
            ExpectedVersion::NoStream,
            vec![slow_event.clone()],
        )
        .await
        .expect("append in A");
    assert_eq!(
        outcome,
        AppendOutcome::Appended {
            stream_version: 1,
            position: 2
        }
    );

    // B: appends meanwhile, from another task and connection.
    let fast = Uuid::new_v4();
    let fast_event = root(created(fast, "Fast"));
    let writer = store.clone();
    let b_event = fast_event.clone();
    let b = tokio::spawn(async move {
        writer
            .append(fast, ExpectedVersion::NoStream, vec![b_event])
            .await
    });
    // A catch-up reader that has read position 1.
    let mut subscription = CatchUp::new(store.clone(), 1);
    let mut next = Box::pin(async move {
        let one = subscription.next().await?;
        let two = subscription.next().await?;
        Ok::<_, novel_events::StoreError>((one, two))
    });

    // While A is open (a generous while), nothing past position 1 is returned.
    tokio::select! {
        read = &mut next => panic!("the reader returned events while position 2 was uncommitted: {read:?}"),
        () = tokio::time::sleep(Duration::from_millis(700)) => {}
    }
    let all = store.read_all(0, 100).await.expect("read_all");
    assert_eq!(all.len(), 1, "only position 1 is readable while A is open");
    assert_eq!(store.last_position().await.expect("last_position"), 1);
    assert!(
        !b.is_finished(),
        "B waits for A: positions are committed in order"
    );

    transaction.commit().await.expect("commit A");
    let outcome = within("B's append", b)
        .await
        .expect("no panic")
        .expect("B appends");
    assert_eq!(
        outcome,
        AppendOutcome::Appended {
            stream_version: 1,
            position: 3
        }
    );
    let (one, two) = within("the reader", next).await.expect("reads");
    assert_eq!((one.position, one.envelope), (2, slow_event));
    assert_eq!((two.position, two.envelope), (3, fast_event));
    let positions: Vec<u64> = store
        .read_all(0, 100)
        .await
        .expect("read_all")
        .iter()
        .map(|event| event.position)
        .collect();
    assert_eq!(positions, vec![1, 2, 3]);
}

/// A transaction that appends and then rolls back leaves no gap and wakes nobody.
#[tokio::test]
async fn a_rolled_back_append_leaves_no_gap() {
    let schema = TestSchema::new().await;
    let store = schema.open::<AnyEvent>().await;
    let character = Uuid::new_v4();
    let mut transaction = store.pool().begin().await.expect("begin");
    store
        .append_in(
            &mut transaction,
            character,
            ExpectedVersion::Any,
            vec![root(created(character, "Gone"))],
        )
        .await
        .expect("append in");
    transaction.rollback().await.expect("rollback");
    let outcome = store
        .append(
            character,
            ExpectedVersion::NoStream,
            vec![root(created(character, "Kept"))],
        )
        .await
        .expect("append");
    assert_eq!(
        outcome,
        AppendOutcome::Appended {
            stream_version: 1,
            position: 1
        }
    );
}

/// Four appenders, each a task with its own connection, append a bounded number of events to
/// their own streams and to one shared stream, while a reader follows the log: every position
/// is unique, the log has no gap, and the reader sees every event once, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_concurrent_appenders_make_one_gap_free_log() {
    const APPENDERS: usize = 4;
    const APPENDS: usize = 25;
    let schema = TestSchema::new().await;
    let store = schema.open::<AnyEvent>().await;
    let shared = Uuid::new_v4();
    store
        .append(
            shared,
            ExpectedVersion::NoStream,
            vec![root(created(shared, "Shared"))],
        )
        .await
        .expect("append");
    let total = 1 + APPENDERS * APPENDS * 2;

    let mut reader = CatchUp::new(store.clone(), 0);
    let reading = tokio::spawn(async move {
        let mut seen = Vec::with_capacity(total);
        while seen.len() < total {
            seen.push(reader.next().await.expect("next").position);
        }
        seen
    });

    let mut appenders = Vec::new();
    for index in 0..APPENDERS {
        // A store of its own per appender: its own pool, so its own connections.
        let store = schema.open::<AnyEvent>().await;
        appenders.push(tokio::spawn(async move {
            let own = Uuid::new_v4();
            let mut positions = Vec::new();
            for round in 0..APPENDS {
                let event = if round == 0 {
                    created(own, &format!("Appender {index}"))
                } else {
                    skill(own, round as i64)
                };
                for (aggregate, event) in [(own, event), (shared, skill(shared, round as i64))] {
                    match store
                        .append(aggregate, ExpectedVersion::Any, vec![root(event)])
                        .await
                    {
                        Ok(AppendOutcome::Appended { position, .. }) => positions.push(position),
                        other => panic!("appender {index}: {other:?}"),
                    }
                }
            }
            positions
        }));
    }
    let mut positions = HashSet::new();
    for appender in appenders {
        for position in within("an appender", appender).await.expect("no panic") {
            assert!(
                positions.insert(position),
                "position {position} was given twice"
            );
        }
    }
    assert_eq!(positions.len(), APPENDERS * APPENDS * 2);

    let seen = within("the reader", reading).await.expect("no panic");
    assert_eq!(
        seen,
        (1..=total as u64).collect::<Vec<_>>(),
        "every position once, in order"
    );
    let log = store.read_all(0, usize::MAX).await.expect("read_all");
    let log_positions: Vec<u64> = log.iter().map(|event| event.position).collect();
    assert_eq!(
        log_positions,
        (1..=total as u64).collect::<Vec<_>>(),
        "no gap"
    );
    let versions: Vec<u64> = store
        .read_stream(shared, 1)
        .await
        .expect("read_stream")
        .iter()
        .map(|event| event.stream_version)
        .collect();
    assert_eq!(
        versions,
        (1..=(1 + APPENDERS * APPENDS) as u64).collect::<Vec<_>>()
    );
}
