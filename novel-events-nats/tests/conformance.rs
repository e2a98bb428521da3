//! The bus conformance suite (`novel_events_tests::conformance::bus`), unchanged, over
//! [`JetStreamBus`]: each test on a bus of a catalog of its own (streams no other test uses),
//! on the server at `NOVEL_EVENTS_NATS_URL` (by default `nats://127.0.0.1:4222`).
//!
//! The bus declares the capabilities it lacks (the immediate strategy, tokio's clock,
//! in-process queues), which leaves out of its run exactly the tests the suite's
//! documentation lists for them; every other test runs here.

use std::time::Duration;

use novel_events::novel_engine::AnyEvent;
use novel_events_nats::{BusOptions, JetStreamBus};
use novel_events_tests::conformance::bus::BusUnderTest;

/// JetStream buses, each on a fresh catalog.
struct JetStream;

impl BusUnderTest for JetStream {
    type Bus = JetStreamBus<AnyEvent>;

    async fn make(&self) -> JetStreamBus<AnyEvent> {
        let url = std::env::var("NOVEL_EVENTS_NATS_URL")
            .unwrap_or_else(|_| "nats://127.0.0.1:4222".to_owned());
        let catalog = format!("conformance{}", uuid::Uuid::new_v4().simple());
        let options = BusOptions {
            poll: Duration::from_millis(250),
            ack_wait: Duration::from_secs(5),
            // What the tests leave on the server goes away on its own.
            max_age: Duration::from_secs(600),
            ..BusOptions::default()
        };
        match JetStreamBus::connect(&url, &catalog, options).await {
            Ok(bus) => bus,
            Err(error) => panic!(
                "the conformance suite needs nats-server with JetStream at {url} ({error}); \
                 start it (`bash scripts/services.sh`) or point NOVEL_EVENTS_NATS_URL at one"
            ),
        }
    }

    fn supports_immediate(&self) -> bool {
        false
    }

    fn virtual_time(&self) -> bool {
        false
    }

    fn in_process_queues(&self) -> bool {
        false
    }

    /// The instances of a group pull from one consumer (per partition): each event goes to
    /// whichever pulls it, in order, so an aggregate's events may be handled by both.
    fn pins_aggregates_to_instances(&self) -> bool {
        false
    }

    /// The events stream drops a second publish of an eventId (its `Nats-Msg-Id`) within
    /// its duplicate window.
    fn delivers_republished_events(&self) -> bool {
        false
    }

    /// Deletes the streams of the test's catalog.
    async fn retire(&self, bus: &JetStreamBus<AnyEvent>) {
        let streams = async_nats::jetstream::new(bus.client().clone());
        for stream in stream_names(bus) {
            streams.delete_stream(stream).await.ok();
        }
    }

    /// Longer than the redelivery delays of the suite's retry policies that could still
    /// fire (a nak's delay is the server's, in real time).
    fn settle_time(&self) -> Duration {
        Duration::from_millis(1500)
    }
}

/// The streams of a bus's catalog: events, reprocess, dead letters, idempotency.
fn stream_names(bus: &JetStreamBus<AnyEvent>) -> Vec<String> {
    let catalog = bus.catalog();
    ["", "-reprocess", "-dead-letters", "-idempotency"]
        .iter()
        .map(|suffix| format!("{catalog}{suffix}"))
        .collect()
}

novel_events_tests::bus_conformance_tests!(JetStream, broker);
