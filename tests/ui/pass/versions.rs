//! Versions that code can live with: code written against a catalog compiles unchanged once a
//! version is added (every version keeps its versioned name, struct literals and patterns
//! included); the additive 1.0.0 → 1.1.0 step is generated; a service trait has one method
//! per event, taking the newest version, unless its subscriber entry says `perVersion: true`.
#![deny(warnings)]

use std::future::Future;
use std::pin::pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use novel_events::{Envelope, Event, HandlerResult, IntoLatest, Upcast};

mod before {
    novel_events::include_catalog!("ui/catalogs/versions_before.yaml");
}

mod after {
    novel_events::include_catalog!("ui/catalogs/versions_after.yaml");
}

/// Runs a future that does not wait.
fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the handler is not ready"),
    }
}

/// Code written against the catalog of 1.0.0, by the names that never change: the same
/// tokens compile against both catalogs.
macro_rules! written_against_1_0_0 {
    ($catalog:ident) => {{
        use $catalog::shop::{LineV1_0_0, OrderPlacedV1_0_0, SizeV1_0_0};
        let order = OrderPlacedV1_0_0 {
            order_id: uuid::Uuid::nil(),
            total: 30,
            lines: vec![LineV1_0_0 {
                sku: "SKU-1".into(),
                size: SizeV1_0_0::M,
            }],
        };
        let OrderPlacedV1_0_0 { total, .. } = order.clone();
        assert_eq!(total, 30);
        assert_eq!(<OrderPlacedV1_0_0 as Event>::EVENT_VERSION, "1.0.0");
        $catalog::AnyEvent::from(order)
    }};
}

/// Billing Service: one method, whatever version is published.
#[derive(Default)]
struct Billing {
    seen: Mutex<Vec<(&'static str, String, usize)>>,
}

impl after::BillingServiceSubscriber for Billing {
    async fn on_order_placed(&self, event: &Envelope<after::shop::OrderPlaced>) -> HandlerResult {
        self.seen.lock().unwrap().push((
            event.event_version(),
            event.payload.coupon.clone(),
            event.payload.lines.len(),
        ));
        Ok(())
    }
}

/// Audit Service opted into each version (`perVersion: true`).
#[derive(Default)]
struct Audit {
    seen: Mutex<Vec<&'static str>>,
}

impl after::AuditServiceSubscriber for Audit {
    async fn on_order_placed_v1_0_0(
        &self,
        event: &Envelope<after::shop::OrderPlacedV1_0_0>,
    ) -> HandlerResult {
        self.seen.lock().unwrap().push(event.event_version());
        Ok(())
    }

    async fn on_order_placed_v1_1_0(
        &self,
        event: &Envelope<after::shop::OrderPlacedV1_1_0>,
    ) -> HandlerResult {
        self.seen.lock().unwrap().push(event.event_version());
        Ok(())
    }
}

fn main() {
    let first = written_against_1_0_0!(before);
    assert!(matches!(first, before::AnyEvent::OrderPlaced(_)));
    let old = written_against_1_0_0!(after);
    assert!(matches!(old, after::AnyEvent::OrderPlacedV1_0_0(_)));

    // The generated additive step: kept fields converted (the inline enum and object too),
    // new ones defaulted or absent.
    let after::AnyEvent::OrderPlaced(newest) = old.clone().into_latest() else {
        panic!("1.0.0 upcasts to 1.1.0");
    };
    assert_eq!(newest.coupon, "none");
    assert_eq!(newest.lines[0].size, after::shop::Size::M);
    assert_eq!(newest.lines[0].gift, None);
    let after::AnyEvent::OrderPlacedV1_0_0(payload) = old.clone() else {
        unreachable!()
    };
    let step: after::shop::OrderPlacedV1_1_0 = payload.clone().upcast();
    assert_eq!(step, payload.into_latest());

    let billing = Billing::default();
    let audit = Audit::default();
    let envelope = Envelope::new(old, "shop");
    run(after::BillingServiceSubscriber::dispatch(&billing, &envelope)).unwrap();
    run(after::AuditServiceSubscriber::dispatch(&audit, &envelope)).unwrap();
    let newer = envelope.with_payload(after::AnyEvent::from(after::shop::OrderPlaced {
        coupon: "SPRING".into(),
        ..newest
    }));
    run(after::BillingServiceSubscriber::dispatch(&billing, &newer)).unwrap();
    run(after::AuditServiceSubscriber::dispatch(&audit, &newer)).unwrap();
    assert_eq!(
        *billing.seen.lock().unwrap(),
        [("1.1.0", "none".to_owned(), 1), ("1.1.0", "SPRING".to_owned(), 1)]
    );
    assert_eq!(*audit.seen.lock().unwrap(), ["1.0.0", "1.1.0"]);
}
