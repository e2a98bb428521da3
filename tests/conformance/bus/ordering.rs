//! Consumer groups and ordering: shared work, per-aggregate and causal order, publishing.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use novel_events::EventBus as _;
use novel_events::novel_engine::AnyEvent;
use novel_events::{HandlerResult, Publisher, SubscriptionOptions, handler_fn};
use uuid::Uuid;

use super::BusUnderTest;
use super::events::*;
use super::recorders::*;
use super::virtual_time::*;

/// Two subscriptions named alike share the work (each event once for the group); two names
/// each get every event.
pub async fn consumer_groups_share_work_and_each_group_gets_everything<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let (first, second, auditor) = (Log::default(), Log::default(), Log::default());
    let one = bus
        .subscribe(
            SubscriptionOptions::asynchronous("indexer"),
            recorder(&first),
        )
        .await
        .unwrap();
    let two = bus
        .subscribe(
            SubscriptionOptions::asynchronous("indexer"),
            recorder(&second),
        )
        .await
        .unwrap();
    assert_eq!(
        (one.name.as_str(), two.name.as_str()),
        ("indexer", "indexer")
    );
    assert_ne!(one.instance, two.instance);
    bus.subscribe(
        SubscriptionOptions::asynchronous("auditor"),
        recorder(&auditor),
    )
    .await
    .unwrap();

    let mut published = Vec::new();
    for round in 0..3 {
        for aggregate in 1..=20u128 {
            let envelope = skill(Uuid::from_u128(aggregate), round);
            published.push(envelope.event_id);
            bus.publish(envelope).await.unwrap();
        }
    }
    eventually("the auditor saw every event", async || {
        auditor.len() == published.len()
    })
    .await;
    eventually("the indexer group handled every event", async || {
        first.len() + second.len() == published.len()
    })
    .await;
    settle(make).await;

    let mut group: Vec<Uuid> = first.ids().into_iter().chain(second.ids()).collect();
    group.sort();
    let mut expected = published.clone();
    expected.sort();
    assert_eq!(group, expected, "the group handles each event exactly once");
    let mut audited = auditor.ids();
    audited.sort();
    assert_eq!(audited, expected, "another group gets every event too");
    assert!(
        !first.ids().is_empty() && !second.ids().is_empty(),
        "both instances got work"
    );
    // An aggregate belongs to one instance, on a bus that promises it.
    if make.pins_aggregates_to_instances() {
        let first_aggregates: HashSet<Uuid> = first.all().iter().map(|e| e.aggregate_id).collect();
        assert!(
            second
                .all()
                .iter()
                .all(|e| !first_aggregates.contains(&e.aggregate_id))
        );
    }
    finish(make, &bus).await;
}

/// With several workers (and instances), each aggregate's events are handled in publish
/// order, however they interleave.
pub async fn per_aggregate_order_with_several_workers<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let seen: Arc<Mutex<Vec<(Uuid, i64)>>> = Arc::default();
    for _ in 0..2 {
        let seen = Arc::clone(&seen);
        bus.subscribe(
            SubscriptionOptions::asynchronous("projector").with_queue(3, 64),
            handler_fn(move |envelope: Env| {
                let seen = Arc::clone(&seen);
                async move {
                    let level = level(&envelope).unwrap();
                    // Uneven handling times shuffle the workers against each other.
                    let pause =
                        ((envelope.aggregate_id.as_u128() % 7) as u64 + level as u64 * 3) % 5;
                    tokio::time::sleep(Duration::from_millis(pause)).await;
                    seen.lock().unwrap().push((envelope.aggregate_id, level));
                    HandlerResult::Ok(())
                }
            }),
        )
        .await
        .unwrap();
    }

    let aggregates: Vec<Uuid> = (0..8).map(|_| Uuid::new_v4()).collect();
    let per_aggregate = 25;
    for level in 0..per_aggregate {
        for aggregate in &aggregates {
            bus.publish(skill(*aggregate, level)).await.unwrap();
        }
    }
    let total = aggregates.len() * per_aggregate as usize;
    eventually("every event is handled", async || {
        seen.lock().unwrap().len() == total
    })
    .await;

    let seen = seen.lock().unwrap().clone();
    for aggregate in &aggregates {
        let order: Vec<i64> = seen
            .iter()
            .filter(|(a, _)| a == aggregate)
            .map(|(_, l)| *l)
            .collect();
        assert_eq!(
            order,
            (0..per_aggregate).collect::<Vec<_>>(),
            "aggregate {aggregate}"
        );
    }
    let interleaved = seen
        .windows(2)
        .filter(|pair| pair[0].0 != pair[1].0)
        .count();
    assert!(interleaved > 0, "aggregates were handled interleaved");
    finish(make, &bus).await;
}

/// A subscription with the default options handles events in publish order, across
/// aggregates too, so an event never reaches it before the event that caused it (the specification's
/// "maintain causal ordering for related events"), however long each handler takes.
pub async fn a_default_subscription_keeps_causal_order_across_aggregates<T: BusUnderTest>(
    make: &T,
) {
    let bus = make.make().await;
    let seen: Arc<Mutex<Vec<Uuid>>> = Arc::default();
    {
        let seen = Arc::clone(&seen);
        bus.subscribe(
            SubscriptionOptions::asynchronous("story-engine"),
            handler_fn(move |envelope: Env| {
                let seen = Arc::clone(&seen);
                async move {
                    // The longest pauses on the causes: a worker per aggregate would let
                    // their effects overtake them.
                    let pause = 40 - (seen.lock().unwrap().len() as u64 % 4) * 10;
                    tokio::time::sleep(Duration::from_millis(pause)).await;
                    seen.lock().unwrap().push(envelope.event_id);
                    HandlerResult::Ok(())
                }
            }),
        )
        .await
        .unwrap();
    }
    let publisher = Publisher::new(bus.clone(), "character-service");
    // A chain of causes and effects, each on another character.
    let mut chain = vec![
        publisher
            .publish::<AnyEvent, _>(deleted_payload(Uuid::new_v4()))
            .await
            .unwrap(),
    ];
    for step in 0..23 {
        let effect = if step % 2 == 0 {
            created(Uuid::new_v4()).payload
        } else {
            relationship(0.5)
        };
        let cause = chain.last().unwrap().clone();
        chain.push(
            publisher
                .publish_caused_by::<AnyEvent, _, _>(&cause, effect)
                .await
                .unwrap(),
        );
    }
    eventually("the whole chain is handled", async || {
        seen.lock().unwrap().len() == chain.len()
    })
    .await;
    let published: Vec<Uuid> = chain.iter().map(|envelope| envelope.event_id).collect();
    assert_eq!(*seen.lock().unwrap(), published, "handled in publish order");
    finish(make, &bus).await;
}

/// Like every future, `publish` and `try_publish` do nothing until polled: a publish
/// dropped unpolled sends nothing.
pub async fn an_unpolled_publish_sends_nothing<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let (queued, immediate) =
        audit_log_and_immediate(&bus, "indexer", make.supports_immediate()).await;

    drop(bus.publish(created(Uuid::new_v4())));
    drop(bus.try_publish(created(Uuid::new_v4())));
    let sent = created(Uuid::new_v4());
    bus.publish(sent.clone()).await.unwrap();
    settle(make).await;
    assert_eq!(queued.ids(), vec![sent.event_id]);
    if let Some(immediate) = immediate {
        assert_eq!(immediate.ids(), vec![sent.event_id]);
    }
    finish(make, &bus).await;
}

/// A task publishing in a loop takes turns with the other tasks of its thread (as a
/// channel's `send` does), even when no queue is ever full.
pub async fn publishing_in_a_loop_lets_other_tasks_run<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let log = Log::default();
    bus.subscribe(
        SubscriptionOptions::asynchronous("audit-log").with_queue(1, 4096),
        recorder(&log),
    )
    .await
    .unwrap();
    let ran = Arc::new(AtomicBool::new(false));
    // The suite runs on a current-thread runtime: this task runs only when the publishing
    // task yields.
    tokio::spawn({
        let ran = Arc::clone(&ran);
        async move { ran.store(true, Ordering::SeqCst) }
    });
    let events = 2_000;
    let mut first_seen = None;
    for published in 0..events {
        bus.publish(skill(Uuid::new_v4(), 1)).await.unwrap();
        if first_seen.is_none() && ran.load(Ordering::SeqCst) {
            first_seen = Some(published);
        }
    }
    assert!(
        first_seen.is_some(),
        "{events} publishes in a row never let another task run"
    );
    eventually("every event is handled", async || log.len() == events).await;
    finish(make, &bus).await;
}
