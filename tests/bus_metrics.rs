//! The bus's metrics: published, delivered, retried, failed and dead-lettered counters carry
//! the event_type (and, per subscriber, the subscriber) labels.
//!
//! A `DebuggingRecorder` is set as the thread's local recorder around a current-thread tokio
//! runtime (paused clock), so every worker of the bus runs, and records, on this thread.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use metrics_util::{CompositeKey, MetricKind};
use novel_events::DeadLetters;
use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{
    AcquisitionMethod, CharacterDeleted, CharacterSkillGained,
};
use novel_events::{
    BatchHandler, Envelope, Event, EventBus, HandlerError, HandlerFuture, HandlerResult,
    InMemoryBus, SubscriptionOptions, handler_fn,
};
use uuid::Uuid;

type Env = Envelope<AnyEvent>;

type Labels = BTreeMap<String, String>;

/// Every counter of the snapshot: (name, labels) → value.
fn counters(snapshotter: &Snapshotter) -> HashMap<(String, Labels), u64> {
    snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .filter_map(|(key, _, _, value)| match (key.kind(), value) {
            (MetricKind::Counter, DebugValue::Counter(count)) => {
                Some((name_and_labels(&key), count))
            }
            _ => None,
        })
        .collect()
}

fn name_and_labels(key: &CompositeKey) -> (String, Labels) {
    let labels = key
        .key()
        .labels()
        .map(|label| (label.key().to_owned(), label.value().to_owned()))
        .collect();
    (key.key().name().to_owned(), labels)
}

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect()
}

fn skill(aggregate: Uuid) -> Env {
    Envelope::new(
        AnyEvent::from(CharacterSkillGained {
            character_id: aggregate,
            skill_name: "lockpicking".into(),
            skill_level: 2,
            acquisition_method: AcquisitionMethod::Training,
            context: "metrics".into(),
        }),
        "bus-metrics",
    )
}

fn deleted(aggregate: Uuid) -> Env {
    Envelope::new(
        AnyEvent::from(CharacterDeleted {
            character_id: aggregate,
            name: "Oren".into(),
            deletion_reason: "retired".into(),
            deleted_by: Uuid::new_v4(),
        }),
        "bus-metrics",
    )
}

/// A batch handler failing its first call with a retryable error.
struct FlakyLoader(Mutex<u32>);

impl BatchHandler<AnyEvent> for FlakyLoader {
    fn handle_batch<'a>(&'a self, _: &'a [Arc<Env>]) -> HandlerFuture<'a> {
        let call = {
            let mut calls = self.0.lock().unwrap();
            *calls += 1;
            *calls
        };
        Box::pin(async move {
            if call == 1 {
                Err(HandlerError::retryable(
                    HandlerError::TEMPORARY_FAILURE,
                    "locked",
                ))
            } else {
                Ok(())
            }
        })
    }
}

#[test]
fn counters_carry_event_type_and_subscriber_labels() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();

    metrics::with_local_recorder(&recorder, || {
        runtime.block_on(async {
            let bus = InMemoryBus::<AnyEvent>::new();
            let failed_once: Arc<Mutex<bool>> = Arc::default();
            bus.subscribe(
                SubscriptionOptions::asynchronous("projector"),
                handler_fn(move |envelope: Env| {
                    let failed_once = Arc::clone(&failed_once);
                    async move {
                        match envelope.payload {
                            AnyEvent::CharacterDeleted(_) => {
                                Err(HandlerError::permanent("cannot project deletions"))
                            }
                            _ if !std::mem::replace(&mut *failed_once.lock().unwrap(), true) => {
                                Err(HandlerError::retryable(
                                    HandlerError::NETWORK_TIMEOUT,
                                    "slow store",
                                ))
                            }
                            _ => HandlerResult::Ok(()),
                        }
                    }
                }),
            )
            .await
            .unwrap();
            bus.subscribe(
                SubscriptionOptions::asynchronous("auditor"),
                handler_fn(|_: Env| async { HandlerResult::Ok(()) }),
            )
            .await
            .unwrap();
            bus.subscribe_batch(
                SubscriptionOptions::batch("loader", 10, Duration::from_millis(50)),
                FlakyLoader(Mutex::new(0)),
            )
            .await
            .unwrap();

            let character = Uuid::new_v4();
            bus.publish(skill(character)).await.unwrap();
            bus.publish(deleted(character)).await.unwrap();
            let report = bus.shutdown(Duration::from_secs(600)).await;
            assert_eq!(report.abandoned, 0);
            assert_eq!(bus.dead_letters().count().await.unwrap(), 1);
        });
    });

    let counters = counters(&snapshotter);
    let get = |name: &str, pairs: &[(&str, &str)]| {
        counters.get(&(name.to_owned(), labels(pairs))).copied()
    };
    let skill_type = CharacterSkillGained::EVENT_TYPE;
    let deleted_type = CharacterDeleted::EVENT_TYPE;

    for event_type in [skill_type, deleted_type] {
        assert_eq!(
            get(
                "novel_events_published_total",
                &[("event_type", event_type)]
            ),
            Some(1),
            "{counters:#?}"
        );
        for subscriber in ["auditor", "loader"] {
            assert_eq!(
                get(
                    "novel_events_delivered_total",
                    &[("event_type", event_type), ("subscriber", subscriber)]
                ),
                Some(1),
                "{event_type} to {subscriber}: {counters:#?}"
            );
        }
        // The batch failed once, as a whole: each of its events was retried once.
        assert_eq!(
            get(
                "novel_events_retried_total",
                &[("event_type", event_type), ("subscriber", "loader")]
            ),
            Some(1),
            "{counters:#?}"
        );
    }
    let projector =
        |event_type: &'static str| [("event_type", event_type), ("subscriber", "projector")];
    assert_eq!(
        get("novel_events_delivered_total", &projector(skill_type)),
        Some(1)
    );
    assert_eq!(
        get("novel_events_delivered_total", &projector(deleted_type)),
        None
    );
    assert_eq!(
        get("novel_events_retried_total", &projector(skill_type)),
        Some(1)
    );
    assert_eq!(
        get("novel_events_retried_total", &projector(deleted_type)),
        None,
        "permanent: no retry"
    );
    assert_eq!(
        get("novel_events_failed_total", &projector(skill_type)),
        Some(1)
    );
    assert_eq!(
        get("novel_events_failed_total", &projector(deleted_type)),
        Some(1)
    );
    assert_eq!(
        get("novel_events_dead_lettered_total", &projector(deleted_type)),
        Some(1)
    );
    assert_eq!(
        get("novel_events_dead_lettered_total", &projector(skill_type)),
        None
    );

    // Every per-subscriber counter names both.
    for (name, labels) in counters.keys() {
        if name != "novel_events_published_total" {
            assert!(
                labels.contains_key("event_type") && labels.contains_key("subscriber"),
                "{name} {labels:?}"
            );
        }
    }
}

/// The `novel_events_queue_depth` gauge of `subscriber`, if recorded. The debugging recorder's
/// snapshot takes the gauges' values (leaving zeros), so a read shows what the bus set since the
/// previous read.
fn queue_depth(snapshotter: &Snapshotter, subscriber: &str) -> Option<f64> {
    snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .find_map(|(key, _, _, value)| match (key.kind(), value) {
            (MetricKind::Gauge, DebugValue::Gauge(depth))
                if name_and_labels(&key)
                    == (
                        "novel_events_queue_depth".to_owned(),
                        labels(&[("subscriber", subscriber)]),
                    ) =>
            {
                Some(depth.into_inner())
            }
            _ => None,
        })
}

#[test]
fn a_reprocessed_event_counts_in_the_queue_depth_while_it_waits() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();

    metrics::with_local_recorder(&recorder, || {
        runtime.block_on(async {
            let bus = InMemoryBus::<AnyEvent>::new();
            let gate = Arc::new(tokio::sync::Semaphore::new(0));
            let handler_gate = Arc::clone(&gate);
            let refused_once: Arc<Mutex<bool>> = Arc::default();
            bus.subscribe(
                SubscriptionOptions::asynchronous("projector").with_queue(1, 16),
                handler_fn(move |envelope: Env| {
                    let gate = Arc::clone(&handler_gate);
                    let refused_once = Arc::clone(&refused_once);
                    async move {
                        match envelope.payload {
                            AnyEvent::CharacterDeleted(_)
                                if !std::mem::replace(&mut *refused_once.lock().unwrap(), true) =>
                            {
                                Err(HandlerError::permanent("not yet"))
                            }
                            AnyEvent::CharacterSkillGained(_) => {
                                // Holds the only worker until the test opens the gate.
                                let _permit = gate.acquire().await.unwrap();
                                HandlerResult::Ok(())
                            }
                            _ => HandlerResult::Ok(()),
                        }
                    }
                }),
            )
            .await
            .unwrap();

            bus.publish(deleted(Uuid::new_v4())).await.unwrap();
            while bus.dead_letters().count().await.unwrap() == 0 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            // The worker takes this one and waits at the gate (the gauge counts it until it
            // is handled).
            bus.publish(skill(Uuid::new_v4())).await.unwrap();
            tokio::time::sleep(Duration::from_millis(10)).await;
            let before = queue_depth(&snapshotter, "projector").expect("a depth gauge");

            // Reprocessed, the dead letter waits in the queue behind it: the gauge says so.
            let letter = bus.dead_letters().list().await.unwrap()[0].id;
            bus.dead_letters().reprocess(letter).await.unwrap();
            assert_eq!(queue_depth(&snapshotter, "projector"), Some(before + 1.0));

            gate.add_permits(1);
            let report = bus.shutdown(Duration::from_secs(60)).await;
            assert_eq!(report.abandoned, 0);
            assert!(bus.dead_letters().count().await.unwrap() == 0);
        });
    });
}

/// A retryable error given up only because its code is not in the policy is counted, per
/// subscriber and code, every time (the log warns the first time only).
#[test]
fn unlisted_retryable_codes_are_counted_when_given_up() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();

    metrics::with_local_recorder(&recorder, || {
        runtime.block_on(async {
            let bus = InMemoryBus::<AnyEvent>::new();
            bus.subscribe(
                SubscriptionOptions::asynchronous("rate-limited-projector"),
                handler_fn(|_: Env| async {
                    Err(HandlerError::retryable(
                        "rate-limited",
                        "429 from the model",
                    ))
                }),
            )
            .await
            .unwrap();
            for _ in 0..2 {
                bus.publish(skill(Uuid::new_v4())).await.unwrap();
            }
            bus.shutdown(Duration::from_secs(600)).await;
            assert_eq!(bus.dead_letters().count().await.unwrap(), 2);
        });
    });

    let counters = counters(&snapshotter);
    assert_eq!(
        counters.get(&(
            "novel_events_unlisted_retryable_total".to_owned(),
            labels(&[
                ("code", "rate-limited"),
                ("subscriber", "rate-limited-projector")
            ]),
        )),
        Some(&2),
        "{counters:?}"
    );
}
