//! The conformance suite of [`EventBus`](novel_events::EventBus) implementations, run for the
//! in-memory bus: once as it comes, once over an idempotency store that does not claim.
//!
//! The suite itself is `novel_events_tests::conformance::bus`, generic over the bus, so that any
//! other bus runs it with one macro call.

mod in_memory_bus {
    novel_events_tests::bus_conformance_tests!(
        novel_events::InMemoryBus::<novel_events::novel_engine::AnyEvent>::new
    );
}

/// The same bus over a store that does not claim (`IdempotencyStore`'s provided methods): the
/// bus checks before each delivery and marks after each success, as for a store of one's own.
mod in_memory_bus_check_then_mark {
    use novel_events::{IdempotencyStore, InMemoryBus, InMemoryIdempotency};
    use uuid::Uuid;

    struct CheckThenMark(InMemoryIdempotency);

    impl IdempotencyStore for CheckThenMark {
        fn is_handled(&self, subscriber: &str, event_id: Uuid) -> bool {
            self.0.is_handled(subscriber, event_id)
        }

        fn mark_handled(&self, subscriber: &str, event_id: Uuid) {
            self.0.mark_handled(subscriber, event_id);
        }
    }

    fn make() -> InMemoryBus<novel_events::novel_engine::AnyEvent> {
        InMemoryBus::with_idempotency(CheckThenMark(InMemoryIdempotency::default()))
    }

    novel_events_tests::bus_conformance_tests!(make);
}

#[tokio::test]
async fn a_second_instance_with_other_options_is_refused() {
    use novel_events::{
        EventBus, InMemoryBus, RetryPolicy, SubscribeError, SubscriptionOptions, handler_fn,
    };
    let bus = InMemoryBus::<novel_events::novel_engine::AnyEvent>::new();
    let handler = || {
        handler_fn(
            |_: novel_events::Envelope<novel_events::novel_engine::AnyEvent>| async { Ok(()) },
        )
    };
    bus.subscribe(
        SubscriptionOptions::asynchronous("memory-service"),
        handler(),
    )
    .await
    .unwrap();
    bus.subscribe(
        SubscriptionOptions::asynchronous("memory-service"),
        handler(),
    )
    .await
    .unwrap();
    let error = bus
        .subscribe(
            SubscriptionOptions::asynchronous("memory-service").with_retry(RetryPolicy::no_retry()),
            handler(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            SubscribeError::OptionsMismatch {
                what: "retry policy",
                ..
            }
        ),
        "{error}"
    );
    let error = bus
        .subscribe(SubscriptionOptions::immediate("memory-service"), handler())
        .await
        .unwrap_err();
    assert!(error.to_string().contains("another strategy"), "{error}");
    bus.shutdown(std::time::Duration::from_secs(1)).await;
}

/// The suite through its single entry point, as another crate's bus runs it.
#[tokio::test(start_paused = true)]
async fn the_whole_suite_runs_through_one_entry_point() {
    novel_events_tests::conformance::bus::run_all(
        &novel_events::InMemoryBus::<novel_events::novel_engine::AnyEvent>::new,
    )
    .await;
}
