//! Delivery: catch-all and typed handlers, generated subscriber traits.

use std::sync::{Arc, Mutex};

use novel_events::EventBus as _;
use novel_events::novel_engine::characters::{
    CharacterCreated, CharacterDeleted, CharacterSkillGained,
};
use novel_events::novel_engine::{AnyEvent, CharactersSubscriber, CleanupServiceSubscriber};
use novel_events::{Envelope, Event, Handler, HandlerResult, SubscriptionOptions, on};
use uuid::Uuid;

use super::BusUnderTest;
use super::events::*;
use super::recorders::*;
use super::virtual_time::*;

/// A catch-all subscriber receives every event, unchanged.
pub async fn catch_all_gets_every_event<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let log = Log::default();
    bus.subscribe(
        SubscriptionOptions::asynchronous("audit-log"),
        recorder(&log),
    )
    .await
    .unwrap();

    let character = Uuid::new_v4();
    let published = vec![
        created(character),
        skill(character, 3),
        deleted(character),
        skill(Uuid::new_v4(), 1),
    ];
    for envelope in &published {
        bus.publish(envelope.clone()).await.unwrap();
    }
    eventually("the audit log has every event", async || {
        log.len() == published.len()
    })
    .await;
    settle(make).await;

    let mut received = log.all();
    received.sort_by_key(|envelope| envelope.event_id);
    let mut expected = published.clone();
    expected.sort_by_key(|envelope| envelope.event_id);
    assert_eq!(received, expected, "each event exactly once, unchanged");
    // One aggregate's events arrive in publish order.
    let of_character: Vec<Uuid> = log
        .all()
        .iter()
        .filter(|envelope| envelope.aggregate_id == character)
        .map(|envelope| envelope.event_id)
        .collect();
    assert_eq!(
        of_character,
        published[..3]
            .iter()
            .map(|e| e.event_id)
            .collect::<Vec<_>>()
    );
    finish(make, &bus).await;
}

/// `on::<T>` receives envelopes of `T` only, typed.
pub async fn typed_handler_gets_only_its_type<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let typed: Arc<Mutex<Vec<Envelope<CharacterDeleted>>>> = Arc::default();
    let all = Log::default();
    let sink = Arc::clone(&typed);
    bus.subscribe(
        SubscriptionOptions::asynchronous("cleanup-service"),
        on::<CharacterDeleted, _, _>(move |event: Envelope<CharacterDeleted>| {
            let sink = Arc::clone(&sink);
            async move {
                sink.lock().unwrap().push(event);
                HandlerResult::Ok(())
            }
        }),
    )
    .await
    .unwrap();
    bus.subscribe(
        SubscriptionOptions::asynchronous("audit-log"),
        recorder(&all),
    )
    .await
    .unwrap();

    let character = Uuid::new_v4();
    let gone = deleted(character);
    for envelope in [
        created(character),
        skill(character, 2),
        gone.clone(),
        skill(character, 3),
    ] {
        bus.publish(envelope).await.unwrap();
    }
    eventually("the catch-all saw all four", async || all.len() == 4).await;
    settle(make).await;

    let typed = typed.lock().unwrap().clone();
    assert_eq!(typed.len(), 1, "only the CharacterDeleted event: {typed:?}");
    assert_eq!(typed[0].event_id, gone.event_id);
    assert_eq!(typed[0].correlation_id, gone.correlation_id);
    assert_eq!(typed[0].payload, deleted_payload(character));
    finish(make, &bus).await;
}

#[derive(Clone, Default)]
struct Cleanup {
    deleted: Arc<Mutex<Vec<Uuid>>>,
}

impl CleanupServiceSubscriber for Cleanup {
    async fn on_character_deleted(&self, event: &Envelope<CharacterDeleted>) -> HandlerResult {
        self.deleted
            .lock()
            .unwrap()
            .push(event.payload.character_id);
        Ok(())
    }
}

#[derive(Clone, Default)]
struct Characters {
    seen: Arc<Mutex<Vec<&'static str>>>,
}

impl CharactersSubscriber for Characters {
    async fn on_character_created(&self, event: &Envelope<CharacterCreated>) -> HandlerResult {
        self.seen.lock().unwrap().push(event.event_type());
        Ok(())
    }

    async fn on_character_skill_gained(
        &self,
        event: &Envelope<CharacterSkillGained>,
    ) -> HandlerResult {
        self.seen.lock().unwrap().push(event.event_type());
        Ok(())
    }
}

/// A generated subscriber trait, through `into_handler()`, gets its events at its methods.
pub async fn generated_subscriber_traits_through_into_handler<T: BusUnderTest>(make: &T) {
    let bus = make.make().await;
    let cleanup = Cleanup::default();
    let characters = Characters::default();
    let all = Log::default();
    let handler = cleanup.clone().into_handler();
    assert!(Handler::<AnyEvent>::accepts(
        &handler,
        CharacterDeleted::EVENT_TYPE,
        "1.0.0"
    ));
    assert!(!Handler::<AnyEvent>::accepts(
        &handler,
        CharacterCreated::EVENT_TYPE,
        "1.0.0"
    ));
    bus.subscribe(
        SubscriptionOptions::asynchronous("cleanup-service"),
        handler,
    )
    .await
    .unwrap();
    bus.subscribe(
        SubscriptionOptions::asynchronous("character-projection"),
        characters.clone().into_handler(),
    )
    .await
    .unwrap();
    bus.subscribe(
        SubscriptionOptions::asynchronous("audit-log"),
        recorder(&all),
    )
    .await
    .unwrap();

    let character = Uuid::new_v4();
    for envelope in [created(character), skill(character, 5), deleted(character)] {
        bus.publish(envelope).await.unwrap();
    }
    eventually("the catch-all saw all three", async || all.len() == 3).await;
    settle(make).await;

    assert_eq!(*cleanup.deleted.lock().unwrap(), [character]);
    assert_eq!(
        *characters.seen.lock().unwrap(),
        [
            CharacterCreated::EVENT_TYPE,
            CharacterSkillGained::EVENT_TYPE
        ],
        "methods not implemented do nothing; the order of one aggregate is kept"
    );
    finish(make, &bus).await;
}
