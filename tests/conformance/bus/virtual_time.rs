//! Waiting on tokio's paused clock: conditions, settling, shutdown with a deadline.

use std::time::Duration;

use uuid::Uuid;

use novel_events::DeadLetters;

use super::Bus;

/// Waits (in virtual time) until `condition` holds; fails after 100 virtual seconds.
pub(crate) async fn eventually(what: &str, mut condition: impl AsyncFnMut() -> bool) {
    for _ in 0..10_000 {
        if condition().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("waited 100 s of virtual time, still not: {what}");
}

/// Lets everything that can happen happen: a minute of virtual time.
pub(crate) async fn settle() {
    tokio::time::sleep(Duration::from_secs(60)).await;
}

pub(crate) async fn shutdown<B: Bus>(bus: &B) -> novel_events::ShutdownReport {
    tokio::time::timeout(
        Duration::from_secs(3600),
        bus.shutdown(Duration::from_secs(30)),
    )
    .await
    .expect("shutdown returns after its deadline")
}

pub(crate) async fn dead_letter_ids<B: Bus>(bus: &B, subscriber: &str) -> Vec<Uuid> {
    bus.dead_letters()
        .list()
        .await
        .unwrap()
        .iter()
        .filter(|letter| letter.subscriber == subscriber)
        .map(|letter| letter.event_id().unwrap())
        .collect()
}
