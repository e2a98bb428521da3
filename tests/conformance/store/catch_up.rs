//! Catch-up subscriptions: stored then live events.

use std::time::Duration;

use novel_events::{CatchUp, ExpectedVersion};
use uuid::Uuid;

use super::Store;
use super::events::*;
use super::store_calls::*;

// Catch-up subscriptions.

pub async fn catch_up_subscription_delivers_stored_then_live_events<S: Store>(
    make: impl AsyncFn() -> S,
) {
    let store = make().await;
    let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
    let stored = [
        root(created(a, "A")),
        root(created(b, "B")),
        root(skill(a, 1)),
    ];
    for event in &stored {
        append(&store, vec![event.clone()]).await;
    }

    let (sender, mut received) = tokio::sync::mpsc::unbounded_channel();
    let mut subscription = CatchUp::new(store.clone(), 0);
    let subscriber = tokio::spawn(async move {
        loop {
            let event = subscription.next().await;
            let failed = event.is_err();
            if sender.send(event).is_err() || failed {
                return subscription.position();
            }
        }
    });
    let mut got = Vec::new();
    for _ in 0..stored.len() {
        let event = within("a stored event", received.recv())
            .await
            .expect("the subscriber runs")
            .expect("the subscription reads");
        got.push(event);
    }
    assert_eq!(positions(&got), [1, 2, 3]);
    assert_eq!(envelopes(&got), stored);

    // Caught up: it waits.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        received.try_recv().is_err(),
        "nothing more before new appends"
    );

    let live = [root(skill(b, 1)), root(skill(a, 2)), root(deleted(b))];
    append(&store, vec![live[0].clone()]).await;
    append(&store, vec![live[1].clone(), root(skill(a, 3))]).await;
    append(&store, vec![live[2].clone()]).await;
    let mut got = Vec::new();
    for _ in 0..4 {
        let event = within("a live event", received.recv())
            .await
            .expect("the subscriber runs")
            .expect("the subscription reads");
        got.push(event);
    }
    assert_eq!(positions(&got), [4, 5, 6, 7]);
    assert_eq!(got[0].envelope, live[0]);
    assert_eq!(got[1].envelope, live[1]);
    assert_eq!(got[3].envelope, live[2]);
    subscriber.abort();

    // A subscription from a later position starts after it.
    let mut later = CatchUp::new(store.clone(), 5);
    let next = within("a stored event", later.next()).await.expect("next");
    assert_eq!(next.position, 6);
    assert_eq!(later.position(), 6);
}

/// An append whose future is dropped (a timeout, a cancelled request) after the store
/// started it may be stored or not; if it is, subscribers waiting for live events get it.
pub async fn an_append_its_caller_gave_up_on_still_wakes_subscribers<S: Store>(
    make: impl AsyncFn() -> S,
) {
    let store = make().await;
    let mut subscription = CatchUp::new(store.clone(), 0);
    let waiting = tokio::spawn(async move { subscription.next().await });
    tokio::time::sleep(Duration::from_millis(20)).await;

    let character = Uuid::new_v4();
    let event = root(created(character, "Mira"));
    // Polled once (the store starts the append), then dropped.
    let gave_up = tokio::time::timeout(
        Duration::from_nanos(1),
        store.append(character, ExpectedVersion::NoStream, vec![event.clone()]),
    )
    .await;
    if gave_up.is_ok() {
        // The append finished in its first poll: nothing was given up on.
        let got = within("the live event", waiting).await.expect("no panic");
        assert_eq!(got.expect("next").envelope, event);
        return;
    }
    let stored = within("the append to settle", async {
        for _ in 0..100 {
            if store.last_position().await.expect("last_position") > 0 {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        false
    })
    .await;
    if stored {
        let got = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("the waiting subscriber is woken by the stored event")
            .expect("no panic");
        assert_eq!(got.expect("next").envelope, event);
        assert_eq!(*store.watch_position().borrow(), 1);
    } else {
        waiting.abort();
    }
}
