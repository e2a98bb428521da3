//! A subscriber trait with more events than one dispatch function of `include_catalog!` takes
//! (16) has its dispatch split into functions outside the trait: every event must still reach
//! its own method, through `dispatch` and through the bus handler of `into_handler`.

use std::sync::{Arc, Mutex};

use novel_events::{Envelope, EventPayload, Handler, HandlerResult};
use uuid::Uuid;

mod catalog {
    novel_events::include_catalog!("catalogs/ledger.yaml");
}

use catalog::ledger::*;
use catalog::{AnyEvent, ArchiveServiceSubscriber, LedgerSubscriber};

/// Records, per call, the eventType its method was written for and the amount it got.
#[derive(Clone, Default)]
struct Archive {
    calls: Arc<Mutex<Vec<(&'static str, i64)>>>,
}

macro_rules! archive_methods {
    ($($method:ident: $event:ident),* $(,)?) => {
        impl ArchiveServiceSubscriber for Archive {
            $(
                async fn $method(&self, envelope: &Envelope<$event>) -> HandlerResult {
                    self.calls
                        .lock()
                        .unwrap()
                        .push((<$event as novel_events::Event>::EVENT_TYPE, envelope.payload.amount));
                    Ok(())
                }
            )*
        }
    };
}

archive_methods! {
    on_entry0_filed: Entry0Filed, on_entry1_filed: Entry1Filed, on_entry2_filed: Entry2Filed,
    on_entry3_filed: Entry3Filed, on_entry4_filed: Entry4Filed, on_entry5_filed: Entry5Filed,
    on_entry6_filed: Entry6Filed, on_entry7_filed: Entry7Filed, on_entry8_filed: Entry8Filed,
    on_entry9_filed: Entry9Filed, on_entry10_filed: Entry10Filed,
    on_entry11_filed: Entry11Filed, on_entry12_filed: Entry12Filed,
    on_entry13_filed: Entry13Filed, on_entry14_filed: Entry14Filed,
    on_entry15_filed: Entry15Filed, on_entry16_filed: Entry16Filed,
    on_entry17_filed: Entry17Filed, on_entry18_filed: Entry18Filed,
    on_entry19_filed: Entry19Filed,
}

/// Overrides one method of the domain trait, in its second dispatch function.
#[derive(Clone, Default)]
struct Seventeen {
    seen: Arc<Mutex<Vec<i64>>>,
}

impl LedgerSubscriber for Seventeen {
    async fn on_entry17_filed(&self, envelope: &Envelope<Entry17Filed>) -> HandlerResult {
        self.seen.lock().unwrap().push(envelope.payload.amount);
        Ok(())
    }
}

/// One envelope of each of the 20 events, the amount telling which (`100 + index`).
fn envelopes() -> Vec<Envelope<AnyEvent>> {
    macro_rules! all {
        ($($index:literal: $event:ident),* $(,)?) => {
            vec![$(
                Envelope::new(
                    AnyEvent::from($event { entry_id: Uuid::new_v4(), amount: 100 + $index }),
                    "dispatch-chunks-test",
                ),
            )*]
        };
    }
    all! {
        0: Entry0Filed, 1: Entry1Filed, 2: Entry2Filed, 3: Entry3Filed, 4: Entry4Filed,
        5: Entry5Filed, 6: Entry6Filed, 7: Entry7Filed, 8: Entry8Filed, 9: Entry9Filed,
        10: Entry10Filed, 11: Entry11Filed, 12: Entry12Filed, 13: Entry13Filed,
        14: Entry14Filed, 15: Entry15Filed, 16: Entry16Filed, 17: Entry17Filed,
        18: Entry18Filed, 19: Entry19Filed,
    }
}

fn expected() -> Vec<(&'static str, i64)> {
    envelopes()
        .iter()
        .enumerate()
        .map(|(index, envelope)| (envelope.payload.event_type(), 100 + index as i64))
        .collect()
}

#[tokio::test]
async fn every_event_reaches_its_own_method_through_dispatch() {
    let archive = Archive::default();
    for envelope in envelopes() {
        archive.dispatch(&envelope).await.unwrap();
    }
    assert_eq!(*archive.calls.lock().unwrap(), expected());
    let types: Vec<&str> = expected()
        .iter()
        .map(|(event_type, _)| *event_type)
        .collect();
    assert_eq!(types[0], "ledger.entry.filed-0");
    assert_eq!(types[19], "ledger.entry.filed-19");
}

#[tokio::test]
async fn every_event_reaches_its_own_method_through_the_bus_handler() {
    let archive = Archive::default();
    let handler = archive.clone().into_handler();
    for envelope in envelopes() {
        assert!(Handler::<AnyEvent>::accepts(
            &handler,
            envelope.payload.event_type(),
            "1.0.0"
        ));
        Handler::<AnyEvent>::handle(&handler, &envelope)
            .await
            .unwrap();
    }
    assert_eq!(*archive.calls.lock().unwrap(), expected());
}

#[tokio::test]
async fn a_domain_subscriber_gets_only_the_method_it_wrote() {
    let seventeen = Seventeen::default();
    for envelope in envelopes() {
        seventeen.dispatch(&envelope).await.unwrap();
    }
    assert_eq!(*seventeen.seen.lock().unwrap(), vec![117]);
}
