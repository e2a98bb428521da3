//! Closing and reopening a store, and two handles on one file.

use std::time::Duration;

use novel_events::{
    AppendOutcome, CatchUp, CheckpointStore, Durability, EventAppender, EventReader,
    ExpectedVersion, StoreError, StoreOptions,
};
use uuid::Uuid;

use crate::*;

#[tokio::test]
async fn reopening_a_store_keeps_everything() {
    let scratch = Scratch::new("reopen");
    let path = scratch.path("events.db");
    let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
    let first = vec![
        related(a, b),
        related(b, a),
        skill(a, 1),
        skill(a, 2),
        skill(b, 1),
    ];
    let before = {
        let store = Store::open_with(
            &path,
            StoreOptions {
                durability: Durability::ProcessCrash,
                ..StoreOptions::default()
            },
        )
        .expect("a new store");
        for event in &first {
            append(&store, vec![event.clone()]).await.expect("append");
        }
        store
            .save_checkpoint("ledger", 4)
            .await
            .expect("checkpoint");
        store
            .save_snapshot(a, "Character", 3, "{\"relationships\":1}".into())
            .await
            .expect("snapshot");
        everything(&store).await
    };

    let store = Store::open(&path).expect("reopens");
    assert_eq!(store.path(), path);
    assert_eq!(everything(&store).await, before);
    assert_eq!(store.last_position().await.expect("last_position"), 5);
    assert_eq!(*store.watch_position().borrow(), 5);
    assert_eq!(
        store.load_checkpoint("ledger").await.expect("checkpoint"),
        4
    );
    assert_eq!(
        store.load_snapshot(a).await.expect("snapshot"),
        Some((3, "{\"relationships\":1}".to_owned()))
    );
    // Versions and positions continue; concurrency and idempotency hold across the reopen.
    let error = store
        .append(a, ExpectedVersion::NoStream, vec![skill(a, 3)])
        .await
        .expect_err("a exists");
    assert!(
        matches!(
            error,
            StoreError::Conflict {
                expected: 0,
                actual: 3,
                ..
            }
        ),
        "{error:?}"
    );
    let outcome = store
        .append(a, ExpectedVersion::Any, vec![first[0].clone()])
        .await
        .expect("the same event again");
    assert!(
        matches!(outcome, AppendOutcome::AlreadyStored { .. }),
        "{outcome:?}"
    );
    let next = skill(a, 3);
    let outcome = store
        .append(a, ExpectedVersion::Exactly(3), vec![next.clone()])
        .await
        .expect("append");
    assert_eq!(
        outcome,
        AppendOutcome::Appended {
            stream_version: 4,
            position: 6
        }
    );
    // A subscription of the reopened store starts where asked and sees live appends.
    let mut subscription = CatchUp::new(store.clone(), 5);
    let event = tokio::time::timeout(Duration::from_secs(10), subscription.next())
        .await
        .expect("no hang")
        .expect("next");
    assert_eq!((event.position, &event.envelope), (6, &next));
    drop(subscription);
    drop(store);

    let store = Store::open(&path).expect("reopens again");
    assert_eq!(store.last_position().await.expect("last_position"), 6);
    assert_eq!(
        envelopes(&store.read_stream(a, 1).await.expect("stream a")),
        [first[0].clone(), first[2].clone(), first[3].clone(), next]
    );
}

/// Two stores open on one file (two processes, say): appends from both land, once each,
/// positions without gaps.
#[tokio::test]
async fn two_handles_on_one_file_append_without_gaps() {
    let scratch = Scratch::new("two_handles");
    let path = scratch.path("events.db");
    let one = Store::open(&path).expect("opens");
    let two = Store::open(&path).expect("opens twice");
    let character = Uuid::new_v4();
    let tasks: Vec<_> = [one.clone(), two.clone()]
        .into_iter()
        .map(|store| {
            tokio::spawn(async move {
                let mut mine = Vec::new();
                for level in 0..20 {
                    let event = skill(character, level);
                    append(&store, vec![event.clone()]).await.expect("append");
                    mine.push(event.event_id);
                }
                mine
            })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        ids.extend(task.await.expect("no panic"));
    }
    for store in [&one, &two] {
        let all = everything(store).await;
        assert_eq!(positions(&all), (1..=40).collect::<Vec<u64>>());
        let stream = store.read_stream(character, 1).await.expect("read_stream");
        assert_eq!(
            stream
                .iter()
                .map(|event| event.stream_version)
                .collect::<Vec<_>>(),
            (1..=40).collect::<Vec<u64>>()
        );
        let mut stored: Vec<Uuid> = all.iter().map(|event| event.envelope.event_id).collect();
        stored.sort();
        let mut expected = ids.clone();
        expected.sort();
        assert_eq!(stored, expected);
    }
}

/// Live followers of one handle (a catch-up subscription, a followed projection, the outbox
/// relay) see appends made through another handle of the file, as they would another
/// process's: the store polls for them (`StoreOptions::poll_interval`).
#[tokio::test]
async fn followers_see_appends_of_another_handle() {
    use novel_events::store::projection::follow;
    use novel_events::{HandlerError, Projection, StoredEvent};

    struct Count(usize);
    impl Projection<AnyEvent> for Count {
        fn name(&self) -> &str {
            "count"
        }
        fn apply(&mut self, _: &StoredEvent<AnyEvent>) -> Result<(), HandlerError> {
            self.0 += 1;
            Ok(())
        }
    }

    let scratch = Scratch::new("followers");
    let path = scratch.path("events.db");
    let follower = Store::open(&path).expect("opens");
    let writer = Store::open(&path).expect("opens twice");
    let mut subscription = CatchUp::new(follower.clone(), 0);

    let character = Uuid::new_v4();
    let appended = skill(character, 1);
    append(&writer, vec![appended.clone()])
        .await
        .expect("append");

    // A bound on the wait, so that a follower that never wakes fails instead of hanging.
    let bound = Duration::from_secs(30);
    let seen = tokio::time::timeout(bound, subscription.next())
        .await
        .expect("the catch-up subscription woke for the other handle's append")
        .expect("an event");
    assert_eq!(seen.envelope.event_id, appended.event_id);

    let mut count = Count(0);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let following = follow(follower.clone(), &mut count, async {
        let _ = stop_rx.await;
    });
    let second = skill(character, 2);
    let waiting = async {
        // The projection catches up on the first event, then must see this one live.
        tokio::time::sleep(Duration::from_millis(50)).await;
        append(&writer, vec![second.clone()]).await.expect("append");
        let mut live = CatchUp::new(follower.clone(), 1);
        let next = tokio::time::timeout(bound, live.next())
            .await
            .expect("woken")
            .expect("an event");
        assert_eq!(next.envelope.event_id, second.event_id);
        // Give the projection the same chance to see it, then stop it.
        while follower.load_checkpoint("count").await.expect("checkpoint") < 2 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let _ = stop_tx.send(());
    };
    let (applied, ()) = tokio::time::timeout(bound, async { tokio::join!(following, waiting) })
        .await
        .expect("the followed projection saw the other handle's append");
    assert_eq!(applied.expect("follow"), 2);
    assert_eq!(count.0, 2);
}
