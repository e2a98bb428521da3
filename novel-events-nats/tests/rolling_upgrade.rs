//! A rolling upgrade across processes' buses, on JetStream: a producer built on the catalog
//! where `characters.character.created` is at 1.1.0, and two consumers still on 1.0.0 (the
//! catalogs of `tests/rolling_upgrade.rs`), sharing the streams of one catalog name. The
//! consumer whose event promises forward compatibility handles 1.1.0 as 1.0.0; the other
//! dead-letters it as undecodable, saying that the mode does not promise it. Needs nats-server
//! with JetStream at `NOVEL_EVENTS_NATS_URL` (by default `nats://127.0.0.1:4222`).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use novel_events::{
    DeadLetters, DeadMessage, Envelope, EventBus, HandlerResult, SubscriptionOptions,
};
use novel_events_nats::{BusOptions, JetStreamBus};

mod producer {
    novel_events::include_catalog!("../tests/catalogs/rolling/producer.yaml");
}

mod forward {
    novel_events::include_catalog!("../tests/catalogs/rolling/consumer_forward.yaml");
}

mod backward {
    novel_events::include_catalog!("../tests/catalogs/rolling/consumer_backward.yaml");
}

/// The consumer's Memory Service: the names it saw, with the version its envelope says.
#[derive(Clone, Default)]
struct OldMemory(Arc<Mutex<Vec<(&'static str, String)>>>);

impl forward::MemoryServiceSubscriber for OldMemory {
    async fn on_character_created(
        &self,
        event: &Envelope<forward::characters::CharacterCreated>,
    ) -> HandlerResult {
        let seen = (event.event_version(), event.payload.name.clone());
        self.0.lock().unwrap().push(seen);
        Ok(())
    }
}

/// The same service on the catalog without the forward promise: never called here.
struct StrictMemory;

impl backward::MemoryServiceSubscriber for StrictMemory {
    async fn on_character_created(
        &self,
        _event: &Envelope<backward::characters::CharacterCreated>,
    ) -> HandlerResult {
        panic!("a backward reader cannot decode 1.1.0")
    }
}

async fn connect<P>(catalog: &str) -> JetStreamBus<P>
where
    P: novel_events::EventPayload + Clone + Send + Sync + 'static,
{
    let url = std::env::var("NOVEL_EVENTS_NATS_URL")
        .unwrap_or_else(|_| "nats://127.0.0.1:4222".to_owned());
    let options = BusOptions {
        poll: Duration::from_millis(250),
        max_age: Duration::from_secs(600),
        ..BusOptions::default()
    };
    JetStreamBus::connect(&url, catalog, options)
        .await
        .unwrap_or_else(|error| {
            panic!("this test needs nats-server with JetStream at {url}: {error}")
        })
}

/// Waits up to ten seconds for `done`.
async fn eventually(mut done: impl AsyncFnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if done().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consumers_on_1_0_0_read_1_1_0_as_their_mode_allows() {
    let catalog = format!("rolling{}", uuid::Uuid::new_v4().simple());
    let producer = connect::<producer::AnyEvent>(&catalog).await;
    let consumer = connect::<forward::AnyEvent>(&catalog).await;
    let strict = connect::<backward::AnyEvent>(&catalog).await;
    let memory = OldMemory::default();
    consumer
        .subscribe(
            SubscriptionOptions::asynchronous("memory"),
            forward::MemoryServiceSubscriber::into_handler(memory.clone()),
        )
        .await
        .expect("subscribe the forward consumer");
    strict
        .subscribe(
            SubscriptionOptions::asynchronous("strict-memory"),
            backward::MemoryServiceSubscriber::into_handler(StrictMemory),
        )
        .await
        .expect("subscribe the backward consumer");

    let created = producer::characters::CharacterCreated {
        character_id: uuid::Uuid::new_v4(),
        name: "Mira Vale".into(),
        nickname: Some("Mi".into()),
        level: 7,
    };
    producer
        .publish(Envelope::new(producer::AnyEvent::from(created), "producer"))
        .await
        .expect("publish 1.1.0");

    assert!(
        eventually(async || !memory.0.lock().unwrap().is_empty()).await,
        "the forward consumer never handled the event"
    );
    assert_eq!(
        *memory.0.lock().unwrap(),
        [("1.0.0", "Mira Vale".to_owned())]
    );

    let mut letters = Vec::new();
    assert!(
        eventually(async || {
            letters = strict.dead_letters().list().await.unwrap_or_default();
            !letters.is_empty()
        })
        .await,
        "the backward consumer never dead-lettered the event"
    );
    let DeadMessage::Undecodable { error, .. } = &letters[0].message else {
        panic!("expected an undecodable message: {:?}", letters[0]);
    };
    assert!(
        error.contains("has no version 1.1.0")
            && error.contains("compatibilityMode promised forward compatibility"),
        "{error}"
    );

    // What the test leaves on the server: the streams of its catalog.
    let streams = async_nats::jetstream::new(producer.client().clone());
    for suffix in ["", "-reprocess", "-dead-letters", "-idempotency"] {
        streams
            .delete_stream(format!("{catalog}{suffix}"))
            .await
            .ok();
    }
}
