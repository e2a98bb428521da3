//! Upcasting, with the workshop catalog: old versions read as the newest.

use novel_events::{AppendOutcome, Envelope, ExpectedVersion, StoreError, Upcasters};
use serde_json::{Value, json};
use uuid::Uuid;

use super::WorkshopStore;
use super::events::*;
use super::store_calls::*;
use super::workshop;

// Upcasting (the workshop catalog).

fn order_v1(order: Uuid) -> workshop::AnyEvent {
    workshop::orders::OrderPlacedV1_0_0 {
        order_id: order,
        items: vec!["SKU-1".into(), "SKU-2".into()],
    }
    .into()
}

/// 1.0.0 had `items`; 2.0.0 has `lines` and more.
fn order_v1_to_v2(payload: Value) -> Result<Value, String> {
    let items = payload["items"].as_array().ok_or("items is missing")?;
    Ok(json!({
        "orderId": payload["orderId"],
        "placedAt": "2025-01-01T00:00:00Z",
        "priority": "normal",
        "lines": items
            .iter()
            .map(|sku| json!({ "sku": sku, "quantity": 1, "unitPrice": 0.0 }))
            .collect::<Vec<_>>(),
        "deliverTo": { "street": "unknown", "city": "unknown" },
        "type": "standard",
        "metadata": { "upcastFrom": "1.0.0" },
    }))
}

fn order_v2_of_v1(order: Uuid) -> workshop::orders::OrderPlaced {
    use workshop::orders::{Channel, OrderLine, OrderPlaced, Type};
    let mut metadata = serde_json::Map::new();
    metadata.insert("upcastFrom".into(), json!("1.0.0"));
    OrderPlaced {
        order_id: order,
        placed_at: "2025-01-01T00:00:00Z".parse().expect("a datetime"),
        priority: workshop::Priority::Normal,
        lines: ["SKU-1", "SKU-2"]
            .into_iter()
            .map(|sku| OrderLine {
                sku: sku.into(),
                quantity: 1,
                unit_price: 0.0,
            })
            .collect(),
        deliver_to: workshop::Address {
            street: "unknown".into(),
            city: "unknown".into(),
            postcode: None,
        },
        gift_wrap: false,
        channel: Channel::Web,
        notes: None,
        coupon_code: None,
        r#type: Type::Standard,
        metadata,
    }
}

fn machine(name: &str) -> workshop::AnyEvent {
    workshop::machines::MachineStatusChanged {
        machine_name: name.into(),
        status: workshop::machines::Status::Running,
        load: 0.5,
    }
    .into()
}

fn upcasters(
    convert: impl Fn(Value) -> Result<Value, String> + Send + Sync + 'static,
) -> Upcasters {
    let mut upcasters = Upcasters::new();
    upcasters.register("orders.order.placed", "1.0.0", "2.0.0", convert);
    upcasters
}

/// An `OrderPlaced` 1.0.0 in the store reads as 2.0.0, by every read; other events and
/// events stored as 2.0.0 read as stored.
pub async fn upcasting_reads_an_old_version_as_the_newest<W: WorkshopStore>(
    make: impl AsyncFn(Upcasters) -> W,
) {
    let store = make(upcasters(order_v1_to_v2)).await;
    let order = Uuid::new_v4();
    let old = Envelope::new(order_v1(order), SOURCE);
    assert_eq!(old.event_version(), "1.0.0");
    store
        .append(order, ExpectedVersion::NoStream, vec![old.clone()])
        .await
        .expect("a 1.0.0 event is stored as it is");
    let newer = Envelope::caused_by(
        &old,
        workshop::AnyEvent::from(workshop::orders::OrderPlaced {
            notes: Some("second order".into()),
            ..order_v2_of_v1(order)
        }),
    );
    store
        .append(order, ExpectedVersion::Exactly(1), vec![newer.clone()])
        .await
        .expect("a 2.0.0 event");
    let press = Envelope::caused_by(&old, machine("press"));
    store
        .append(
            press.aggregate_id,
            ExpectedVersion::Any,
            vec![press.clone()],
        )
        .await
        .expect("another event");

    let upcast = old.with_payload(workshop::AnyEvent::from(order_v2_of_v1(order)));
    assert_eq!(upcast.event_version(), "2.0.0");
    let stream = store.read_stream(order, 1).await.expect("read_stream");
    assert_eq!(
        stream
            .iter()
            .map(|event| &event.envelope)
            .collect::<Vec<_>>(),
        [&upcast, &newer]
    );
    assert_eq!(versions(&stream), [1, 2]);
    let all = store.read_all(0, 10).await.expect("read_all");
    assert_eq!(
        all.iter().map(|event| &event.envelope).collect::<Vec<_>>(),
        [&upcast, &newer, &press]
    );
    let one = store
        .read_event(old.event_id)
        .await
        .expect("read_event")
        .expect("stored");
    assert_eq!(one.envelope, upcast);
    let flow = store
        .read_correlation(old.correlation_id)
        .await
        .expect("read_correlation");
    assert_eq!(flow.len(), 3);
    assert_eq!(flow[0].envelope, upcast);
    // Idempotency goes by eventId, whatever the version read.
    let again = store
        .append(order, ExpectedVersion::NoStream, vec![old.clone()])
        .await
        .expect("the same 1.0.0 event again");
    assert_eq!(
        again,
        AppendOutcome::AlreadyStored {
            event_ids: vec![old.event_id]
        }
    );
}

/// A converter that fails, or that produces what 2.0.0 does not accept, makes the event
/// undecodable, naming it; the other events still read.
pub async fn a_failing_upcaster_makes_the_event_undecodable<W: WorkshopStore>(
    make: impl AsyncFn(Upcasters) -> W,
) {
    let failing: [(Upcasters, &str); 2] = [
        (
            upcasters(|_| Err("the warehouse codes are gone".into())),
            "the warehouse codes are gone",
        ),
        (
            upcasters(|payload| Ok(json!({ "orderId": payload["orderId"] }))),
            "placedAt",
        ),
    ];
    for (upcasters, why) in failing {
        let store = make(upcasters).await;
        let press = Envelope::new(machine("press"), SOURCE);
        store
            .append(
                press.aggregate_id,
                ExpectedVersion::Any,
                vec![press.clone()],
            )
            .await
            .expect("append");
        let order = Uuid::new_v4();
        let old = Envelope::new(order_v1(order), SOURCE);
        store
            .append(order, ExpectedVersion::NoStream, vec![old.clone()])
            .await
            .expect("append");

        let check = |error: StoreError| match &error {
            StoreError::Undecodable {
                position,
                event_id,
                event_type,
                event_version,
                message,
            } => {
                assert_eq!(*position, 2);
                assert_eq!(*event_id, old.event_id.to_string());
                assert_eq!(event_type, "orders.order.placed");
                assert_eq!(event_version, "1.0.0");
                assert!(message.contains(why), "{message}");
                let shown = error.to_string();
                assert!(
                    shown.contains("position 2") && shown.contains(&old.event_id.to_string()),
                    "{shown}"
                );
            }
            other => panic!("expected Undecodable, got {other:?}"),
        };
        check(store.read_stream(order, 1).await.expect_err("read_stream"));
        check(store.read_all(0, 10).await.expect_err("read_all"));
        check(
            store
                .read_event(old.event_id)
                .await
                .expect_err("read_event"),
        );
        // What comes before it, and other streams, read.
        let first = store.read_all(0, 1).await.expect("read_all before it");
        assert_eq!(first[0].envelope, press);
        let machine_stream = store
            .read_stream(press.aggregate_id, 1)
            .await
            .expect("another stream");
        assert_eq!(machine_stream[0].envelope, press);
    }
}

pub async fn without_an_upcaster_an_old_version_reads_as_stored<W: WorkshopStore>(
    make: impl AsyncFn(Upcasters) -> W,
) {
    let store = make(Upcasters::new()).await;
    let order = Uuid::new_v4();
    let old = Envelope::new(order_v1(order), SOURCE);
    store
        .append(order, ExpectedVersion::NoStream, vec![old.clone()])
        .await
        .expect("append");
    let stream = store.read_stream(order, 1).await.expect("read_stream");
    assert_eq!(stream[0].envelope, old);
    assert!(matches!(
        stream[0].envelope.payload,
        workshop::AnyEvent::OrderPlacedV1_0_0(_)
    ));
    // Asked, the reader upcasts it by the typed path (`novel_events::Upcast`, written in
    // `workshop.rs`), to what the JSON upcaster gives.
    let latest = stream[0].clone().into_latest();
    assert_eq!(latest.position, stream[0].position);
    assert_eq!(latest.envelope.event_version(), "2.0.0");
    assert_eq!(
        latest.envelope,
        old.with_payload(workshop::AnyEvent::from(order_v2_of_v1(order)))
    );
}
