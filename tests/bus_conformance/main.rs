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

/// A handler that blocks its thread cannot be cancelled: `shutdown` still returns soon after
/// its deadline, counts the call as still running, and nothing is lost: once the call
/// returns, the event queued behind it is dead-lettered with code `shutdown`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_does_not_wait_for_a_handler_blocking_its_thread() {
    use std::sync::{Arc, Mutex, mpsc};
    use std::time::Duration;

    use novel_events::novel_engine::AnyEvent;
    use novel_events::{
        DeadLetters as _, Envelope, EventBus as _, HandlerResult, InMemoryBus, SubscriptionOptions,
        handler_fn,
    };

    let bus = InMemoryBus::<AnyEvent>::new();
    let (started_tx, started_rx) = mpsc::channel::<()>();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let (started_tx, release_rx) = (Mutex::new(started_tx), Arc::new(Mutex::new(release_rx)));
    let handled = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&handled);
    bus.subscribe(
        SubscriptionOptions::asynchronous("blocking-projector").with_queue(1, 16),
        handler_fn(move |envelope: Envelope<AnyEvent>| {
            // Blocks the worker's thread until the test releases it.
            let _ = started_tx.lock().unwrap().send(());
            let _ = release_rx.lock().unwrap().recv();
            seen.lock().unwrap().push(envelope.event_id);
            async { HandlerResult::Ok(()) }
        }),
    )
    .await
    .unwrap();

    use novel_events::novel_engine::characters::{AcquisitionMethod, CharacterSkillGained};
    let character = uuid::Uuid::new_v4();
    let skill = |level| {
        Envelope::new(
            AnyEvent::from(CharacterSkillGained {
                character_id: character,
                skill_name: "swordplay".into(),
                skill_level: level,
                acquisition_method: AcquisitionMethod::Training,
                context: "sparring".into(),
            }),
            "blocking-test",
        )
    };
    let (first, second) = (skill(1), skill(2));
    bus.publish(first.clone()).await.unwrap();
    bus.publish(second.clone()).await.unwrap();
    tokio::task::spawn_blocking(move || started_rx.recv().unwrap())
        .await
        .unwrap();

    let report = bus.shutdown(Duration::from_millis(200)).await;
    assert_eq!(report.still_running, 1, "{report:?}");
    assert!(
        handled.lock().unwrap().is_empty(),
        "shutdown returned while the handler was still blocked"
    );

    release_tx.send(()).unwrap();
    let letters = loop {
        let letters = bus.dead_letters().list().await.unwrap();
        if !letters.is_empty() {
            break letters;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(*handled.lock().unwrap(), vec![first.event_id]);
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].error_code, "shutdown");
    assert_eq!(letters[0].event_id(), Some(second.event_id));
}

/// The dead-letter queue is bounded, and nothing is dropped for it: a subscriber that gives up
/// while it is full waits for room; a letter discarded lets the next one in; the shutdown's
/// deadline puts what is left in past the bound.
#[tokio::test(start_paused = true)]
async fn a_full_dead_letter_queue_holds_the_subscriber_back_and_drops_nothing() {
    use std::time::Duration;

    use novel_events::novel_engine::AnyEvent;
    use novel_events::novel_engine::characters::{AcquisitionMethod, CharacterSkillGained};
    use novel_events::{
        DeadLetters as _, Envelope, EventBus as _, HandlerError, InMemoryBus, SubscriptionOptions,
        handler_fn,
    };

    let bus = InMemoryBus::<AnyEvent>::new();
    bus.dead_letters().queue().set_capacity(2);
    bus.subscribe(
        SubscriptionOptions::asynchronous("strict-projector"),
        handler_fn(|_: Envelope<AnyEvent>| async {
            Err(HandlerError::permanent("refuses everything"))
        }),
    )
    .await
    .unwrap();
    let published: Vec<_> = (0..5)
        .map(|level| {
            Envelope::new(
                AnyEvent::from(CharacterSkillGained {
                    character_id: uuid::Uuid::new_v4(),
                    skill_name: "swordplay".into(),
                    skill_level: level,
                    acquisition_method: AcquisitionMethod::Training,
                    context: "sparring".into(),
                }),
                "bounded-dlq-test",
            )
        })
        .collect();
    for envelope in &published {
        bus.publish(envelope.clone()).await.unwrap();
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        bus.dead_letters().count().await.unwrap(),
        2,
        "held at the bound"
    );

    let first = bus.dead_letters().list().await.unwrap()[0].id;
    bus.dead_letters().discard(first).await.unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        bus.dead_letters().count().await.unwrap(),
        2,
        "the discarded letter made room for one more"
    );

    let report = bus.shutdown(Duration::from_secs(1)).await;
    let letters = bus.dead_letters().list().await.unwrap();
    assert_eq!(letters.len(), 4, "5 given up, 1 discarded, none dropped");
    assert_eq!(
        report.abandoned, 1,
        "the event waiting for room was dead-lettered for its own failure, the one behind it abandoned: {report:?}"
    );
    let mut ids: Vec<_> = letters.iter().filter_map(|l| l.event_id()).collect();
    ids.push(published[0].event_id);
    ids.sort();
    let mut expected: Vec<_> = published.iter().map(|e| e.event_id).collect();
    expected.sort();
    assert_eq!(ids, expected);
}
