//! Code that publishes and subscribes does not change when the bus does: the Novel Engine
//! specification's Memory Service, written once against `impl EventBus<AnyEvent>`, runs on
//! the in-process bus and on JetStream (the server at `NOVEL_EVENTS_NATS_URL`, by default
//! `nats://127.0.0.1:4222`), with the same outcomes: a retried timeout, a dead letter, a
//! reprocessing after the fix.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{CharacterCreated, CharacterType, PersonalityTraits};
use novel_events::{
    DeadLetters, Envelope, EventBus, HandlerError, HandlerResult, InMemoryBus, RetryPolicy,
    SubscribeError, SubscriptionOptions, on,
};
use novel_events_nats::{BusOptions, JetStreamBus};
use tokio::sync::mpsc;
use uuid::Uuid;

/// The Memory Service's store: it times out on its first call, and (until fixed) refuses
/// antagonists.
#[derive(Default)]
struct MemoryStore {
    timed_out_once: AtomicBool,
    antagonists_allowed: AtomicBool,
    calls: Mutex<HashMap<String, u32>>,
}

/// The Memory Service: on `CharacterCreated`, initializes the character's memory
/// (`create_character_memory`). Written once, for any bus.
async fn start_memory_service(
    bus: &impl EventBus<AnyEvent>,
    store: Arc<MemoryStore>,
    memories: mpsc::UnboundedSender<String>,
) -> Result<(), SubscribeError> {
    let retry = RetryPolicy::default()
        .with_max_attempts(3)
        .with_delays(Duration::from_millis(100), Duration::from_secs(1));
    bus.subscribe(
        SubscriptionOptions::asynchronous("memory-service").with_retry(retry),
        on(move |event: Envelope<CharacterCreated>| {
            let (store, memories) = (Arc::clone(&store), memories.clone());
            async move {
                let name = event.payload.name.clone();
                *store.calls.lock().unwrap().entry(name.clone()).or_default() += 1;
                if !store.timed_out_once.swap(true, Ordering::SeqCst) {
                    return Err(HandlerError::retryable(
                        HandlerError::NETWORK_TIMEOUT,
                        "the memory store timed out",
                    ));
                }
                if event.payload.r#type == CharacterType::Antagonist
                    && !store.antagonists_allowed.load(Ordering::SeqCst)
                {
                    return Err(HandlerError::permanent("antagonists have no memory yet"));
                }
                memories.send(name).ok();
                HandlerResult::Ok(())
            }
        }),
    )
    .await?;
    Ok(())
}

fn created(name: &str, kind: CharacterType) -> Envelope<AnyEvent> {
    Envelope::new(
        AnyEvent::from(CharacterCreated {
            character_id: Uuid::new_v4(),
            name: name.into(),
            r#type: kind,
            personality_traits: PersonalityTraits {
                openness: 0.5,
                conscientiousness: 0.5,
                extraversion: 0.5,
                agreeableness: 0.5,
                neuroticism: 0.5,
            },
            background: "Of the Last Lantern inn".into(),
            configuration: serde_json::Map::new(),
            created_by: Uuid::new_v4(),
        }),
        "character-service",
    )
}

/// What the service did, as the bus's user sees it.
#[derive(Debug, PartialEq)]
struct Outcome {
    /// Memories made, in order.
    memories: Vec<String>,
    /// Calls of the store per character.
    calls: Vec<(String, u32)>,
    /// The dead letter: subscriber, character, code, attempts.
    dead_letter: (String, String, String, u32),
    /// The dead letters left after reprocessing.
    left: usize,
}

async fn next<T>(receiver: &mut mpsc::UnboundedReceiver<T>, what: &str) -> T {
    tokio::time::timeout(Duration::from_secs(20), receiver.recv())
        .await
        .unwrap_or_else(|_| panic!("no {what} within 20 s"))
        .unwrap_or_else(|| panic!("the {what} channel closed"))
}

/// The scenario, written once against the trait.
async fn scenario(bus: impl EventBus<AnyEvent>) -> Outcome {
    let store = Arc::new(MemoryStore::default());
    let (memories, mut made) = mpsc::unbounded_channel();
    let (alert, mut alerts) = mpsc::unbounded_channel();
    bus.dead_letters().on_threshold(1, move |count| {
        alert.send(count).ok();
    });
    start_memory_service(&bus, Arc::clone(&store), memories)
        .await
        .expect("subscribed");

    let hero = created("Mira Vale", CharacterType::Protagonist);
    let villain = created("Oren Kast", CharacterType::Antagonist);
    bus.publish(hero).await.expect("published");
    assert_eq!(next(&mut made, "memory").await, "Mira Vale");
    bus.publish(villain.clone()).await.expect("published");
    assert_eq!(next(&mut alerts, "dead-letter alert").await, 1);

    let letters = bus.dead_letters().list().await.expect("listed");
    assert_eq!(letters.len(), 1);
    let letter = &letters[0];
    assert_eq!(letter.event_id(), Some(villain.event_id));
    let name = match &letter.envelope().expect("decoded").payload {
        AnyEvent::CharacterCreated(event) => event.name.clone(),
        other => panic!("unexpected {other:?}"),
    };
    let dead_letter = (
        letter.subscriber.clone(),
        name,
        letter.error_code.clone(),
        letter.attempts,
    );

    store.antagonists_allowed.store(true, Ordering::SeqCst);
    bus.dead_letters()
        .reprocess(letter.id)
        .await
        .expect("reprocessed");
    let second = next(&mut made, "memory").await;
    let left = bus.dead_letters().count().await.expect("counted");
    bus.shutdown(Duration::from_secs(2)).await;

    let mut calls: Vec<(String, u32)> = store.calls.lock().unwrap().clone().into_iter().collect();
    calls.sort();
    Outcome {
        memories: vec!["Mira Vale".to_owned(), second],
        calls,
        dead_letter,
        left,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_memory_service_behaves_the_same_on_both_buses() {
    let in_memory = scenario(InMemoryBus::<AnyEvent>::new()).await;

    let url = std::env::var("NOVEL_EVENTS_NATS_URL")
        .unwrap_or_else(|_| "nats://127.0.0.1:4222".to_owned());
    let catalog = format!("service{}", Uuid::new_v4().simple());
    let options = BusOptions {
        poll: Duration::from_millis(250),
        max_age: Duration::from_secs(600),
        ..BusOptions::default()
    };
    let jetstream: JetStreamBus<AnyEvent> = JetStreamBus::connect(&url, &catalog, options)
        .await
        .unwrap_or_else(|error| {
            panic!("this test needs nats-server with JetStream at {url}: {error}")
        });
    let client = jetstream.client().clone();
    let on_jetstream = scenario(jetstream).await;
    let streams = async_nats::jetstream::new(client);
    for suffix in ["", "-reprocess", "-dead-letters", "-idempotency"] {
        streams
            .delete_stream(format!("{catalog}{suffix}"))
            .await
            .ok();
    }

    assert_eq!(
        in_memory,
        Outcome {
            memories: vec!["Mira Vale".to_owned(), "Oren Kast".to_owned()],
            // Mira: a timeout, then the retry; Oren: refused once (permanent), then reprocessed.
            calls: vec![("Mira Vale".to_owned(), 2), ("Oren Kast".to_owned(), 2)],
            dead_letter: (
                "memory-service".to_owned(),
                "Oren Kast".to_owned(),
                "permanent".to_owned(),
                1
            ),
            left: 0,
        }
    );
    assert_eq!(on_jetstream, in_memory, "the same outcomes on JetStream");
}
