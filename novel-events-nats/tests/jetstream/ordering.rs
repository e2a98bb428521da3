//! Order across instances: the default (one worker) keeps publish order for the whole group;
//! several workers keep each aggregate's order, through one consumer per partition.

use novel_events::EventBus as _;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use novel_events::{HandlerResult, SubscriptionOptions, handler_fn};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::support::{self, Env};

/// Subscribes `instances` instances (each on a connection of its own) whose handlers take a
/// little time, so that instances overlap; returns the buses and what they handle, in order.
async fn instances(
    catalog: &str,
    options: novel_events_nats::BusOptions,
    subscription: &SubscriptionOptions,
    instances: usize,
) -> (Vec<support::Bus>, mpsc::UnboundedReceiver<(Uuid, i64)>) {
    let (sender, received) = mpsc::unbounded_channel();
    let mut buses = Vec::new();
    for instance in 0..instances {
        let bus = support::bus(catalog, options.clone()).await;
        let sender = sender.clone();
        bus.subscribe(
            subscription.clone(),
            handler_fn(move |envelope: Arc<Env>| {
                let sender = sender.clone();
                async move {
                    // Uneven handling times, so that a later event could overtake.
                    let pause = (envelope.event_id.as_u128() % 7) as u64 + instance as u64;
                    tokio::time::sleep(Duration::from_millis(pause)).await;
                    let _ = sender.send((
                        envelope.aggregate_id,
                        support::level(&envelope).unwrap_or_default(),
                    ));
                    HandlerResult::Ok(())
                }
            }),
        )
        .await
        .unwrap();
        buses.push(bus);
    }
    (buses, received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_worker_keeps_publish_order_across_instances() {
    let catalog = support::catalog();
    let (buses, mut received) = instances(
        &catalog,
        support::options(),
        &SubscriptionOptions::asynchronous("timeline"),
        2,
    )
    .await;
    let characters: Vec<Uuid> = (0..3).map(|_| Uuid::new_v4()).collect();
    let mut published = Vec::new();
    for level in 1..=8 {
        for character in &characters {
            buses[0]
                .publish(support::skill(*character, level))
                .await
                .unwrap();
            published.push((*character, level));
        }
    }
    let mut handled = Vec::new();
    for _ in 0..published.len() {
        handled.push(support::next(&mut received, "an event").await);
    }
    assert_eq!(handled, published);
    buses[1].shutdown(Duration::from_secs(2)).await;
    support::clean_up(&buses[0], &catalog).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_workers_keep_each_aggregates_order_across_instances() {
    let catalog = support::catalog();
    let (buses, mut received) = instances(
        &catalog,
        support::options().with_partitions(4),
        &SubscriptionOptions::asynchronous("timeline").with_queue(4, 64),
        2,
    )
    .await;
    let characters: Vec<Uuid> = (0..6).map(|_| Uuid::new_v4()).collect();
    for level in 1..=10 {
        for character in &characters {
            buses[0]
                .publish(support::skill(*character, level))
                .await
                .unwrap();
        }
    }
    let mut per_character: HashMap<Uuid, Vec<i64>> = HashMap::new();
    for _ in 0..characters.len() * 10 {
        let (character, level) = support::next(&mut received, "an event").await;
        per_character.entry(character).or_default().push(level);
    }
    for character in &characters {
        assert_eq!(
            per_character[character],
            (1..=10).collect::<Vec<_>>(),
            "{character}"
        );
    }
    buses[1].shutdown(Duration::from_secs(2)).await;
    support::clean_up(&buses[0], &catalog).await;
}
