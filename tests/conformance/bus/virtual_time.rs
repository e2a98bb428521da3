//! Waiting, on tokio's paused clock (the in-process bus) or on the real one (a broker):
//! conditions, settling, shutdown with a deadline.

use std::time::Duration;

use uuid::Uuid;

use novel_events::DeadLetters;

use super::{Bus, BusUnderTest};

/// Waits until `condition` holds, checking every 10 ms; fails after 100 s (virtual, on a
/// paused clock).
pub(crate) async fn eventually(what: &str, mut condition: impl AsyncFnMut() -> bool) {
    for _ in 0..10_000 {
        if condition().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("waited 100 s, still not: {what}");
}

/// Lets everything that can happen happen, for as long as the bus under test says it takes
/// ([`BusUnderTest::settle_time`]): a minute of virtual time in process, well past the
/// redelivery delays of the test on a broker. What a test checks after it is that nothing
/// more happened.
pub(crate) async fn settle<T: BusUnderTest>(make: &T) {
    tokio::time::sleep(make.settle_time()).await;
}

pub(crate) async fn shutdown<B: Bus>(bus: &B) -> novel_events::ShutdownReport {
    tokio::time::timeout(
        Duration::from_secs(3600),
        bus.shutdown(Duration::from_secs(30)),
    )
    .await
    .expect("shutdown returns after its deadline")
}

/// The end of a test: shuts the bus down, then lets the bus under test remove what the bus
/// left outside the process ([`BusUnderTest::retire`]).
pub(crate) async fn finish<T: BusUnderTest>(make: &T, bus: &T::Bus) {
    shutdown(bus).await;
    make.retire(bus).await;
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
