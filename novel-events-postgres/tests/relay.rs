//! The log relay from PostgreSQL to a real JetStream, across a crash: every committed event is
//! published, once in effect (JetStream dedupes by `Nats-Msg-Id = eventId`), in position
//! order, even when the relaying process is killed between publishing and checkpointing, and
//! when events committed before the kill were never published.
//!
//! The test re-executes its own binary to run only [`child_relay`], a no-op unless
//! `NOVEL_EVENTS_PG_RELAY_SCHEMA` names the store's schema: the child relays the log to the
//! catalog's stream (`NOVEL_EVENTS_PG_RELAY_CATALOG`) until it is killed. The NATS server is
//! `NOVEL_EVENTS_NATS_URL` (by default `nats://127.0.0.1:4222`).

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{TestSchema, root, skill, url, within};
use novel_events::novel_engine::AnyEvent;
use novel_events::{
    Envelope, EventAppender, EventBus, EventReader, ExpectedVersion, LogRelay, PublishError,
    RelayTarget,
};
use novel_events_nats::{BusOptions, JetStreamBus};
use novel_events_postgres::{PostgresEventStore, PostgresOptions};
use uuid::Uuid;

const SCHEMA_ENV: &str = "NOVEL_EVENTS_PG_RELAY_SCHEMA";
const CATALOG_ENV: &str = "NOVEL_EVENTS_PG_RELAY_CATALOG";
/// Events committed before the child starts relaying.
const BEFORE: usize = 2_000;
/// Events committed after the kill, before the next relay.
const AFTER: usize = 50;
/// The child's batch: how many events it publishes between checkpoints.
const CHILD_BATCH: usize = 500;
/// The child is killed once the stream holds this many events: past its first checkpoint,
/// within its second batch.
const KILL_AFTER: u64 = 600;

fn nats_url() -> String {
    std::env::var("NOVEL_EVENTS_NATS_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".to_owned())
}

/// The JetStream bus as the relay's target (every `EventBus` is one; the wrapper keeps the
/// client at hand for reading the stream back).
struct JetStream(JetStreamBus<AnyEvent>);

impl RelayTarget<AnyEvent> for JetStream {
    type Error = PublishError;

    async fn publish(&self, envelope: Envelope<AnyEvent>) -> Result<(), PublishError> {
        EventBus::publish(&self.0, envelope).await
    }
}

async fn jetstream(catalog: &str) -> JetStream {
    let url = nats_url();
    match JetStreamBus::connect(&url, catalog, BusOptions::default()).await {
        Ok(bus) => JetStream(bus),
        Err(error) => panic!(
            "cannot reach NATS JetStream at {url} ({error}): these tests need a real server; \
             start one with `nats-server -js`, or point NOVEL_EVENTS_NATS_URL at another"
        ),
    }
}

/// The stream's messages: (sequence, Nats-Msg-Id), in stream order.
async fn stream_ids(bus: &JetStream, catalog: &str) -> Vec<Uuid> {
    let jetstream = async_nats::jetstream::new(bus.0.client().clone());
    let mut stream = jetstream.get_stream(catalog).await.expect("the stream");
    let count = stream.info().await.expect("stream info").state.messages;
    let mut ids = Vec::new();
    for sequence in 1..=count {
        let message = stream.get_raw_message(sequence).await.expect("a message");
        let id = message
            .headers
            .get("Nats-Msg-Id")
            .expect("a message id")
            .as_str();
        ids.push(Uuid::parse_str(id).expect("an eventId"));
    }
    ids
}

async fn stream_count(bus: &JetStream, catalog: &str) -> u64 {
    let jetstream = async_nats::jetstream::new(bus.0.client().clone());
    let mut stream = jetstream.get_stream(catalog).await.expect("the stream");
    stream.info().await.expect("stream info").state.messages
}

async fn delete_streams(bus: &JetStream, catalog: &str) {
    let jetstream = async_nats::jetstream::new(bus.0.client().clone());
    for stream in [
        catalog.to_owned(),
        format!("{catalog}-reprocess"),
        format!("{catalog}-dead-letters"),
        format!("{catalog}-idempotency"),
    ] {
        let _ = jetstream.delete_stream(stream).await;
    }
}

/// The child: relays the log until killed (a no-op in the parent's run).
#[test]
fn child_relay() {
    let (Ok(schema), Ok(catalog)) = (std::env::var(SCHEMA_ENV), std::env::var(CATALOG_ENV)) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let store = PostgresEventStore::<AnyEvent>::open_with(
            &url(),
            PostgresOptions {
                schema,
                max_connections: 2,
                ..PostgresOptions::default()
            },
        )
        .await
        .expect("the child opens the store");
        let relay = LogRelay::new(store, jetstream(&catalog).await).with_batch(CHILD_BATCH);
        println!("RELAYING");
        relay
            .run(std::future::pending::<()>())
            .await
            .expect("the child relays");
    });
}

/// Appends `count` events, ten per append, to aggregates of their own.
async fn append(store: &PostgresEventStore<AnyEvent>, count: usize) {
    for chunk in 0..count.div_ceil(10) {
        let aggregate = Uuid::new_v4();
        let events = (0..10.min(count - chunk * 10))
            .map(|level| root(skill(aggregate, level as i64)))
            .collect();
        store
            .append(aggregate, ExpectedVersion::NoStream, events)
            .await
            .expect("append");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_killed_mid_way_is_resumed_by_the_next_once_in_effect() {
    let schema = TestSchema::new().await;
    let store = schema.open::<AnyEvent>().await;
    let catalog = format!("pgrelay_{}", Uuid::new_v4().simple());
    let bus = jetstream(&catalog).await;

    // Committed, not yet published.
    append(&store, BEFORE).await;

    // A relay process, killed in the middle of a batch.
    let mut child = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--exact", "child_relay", "--nocapture", "--test-threads=1"])
        .env(SCHEMA_ENV, &schema.name)
        .env(CATALOG_ENV, &catalog)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the child starts");
    let started = Instant::now();
    let published_at_kill = loop {
        let published = stream_count(&bus, &catalog).await;
        if published >= KILL_AFTER || started.elapsed() > Duration::from_secs(60) {
            child.kill().expect("kill the child");
            break published;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    child.wait().expect("the child ends");
    let published_at_kill = published_at_kill.max(stream_count(&bus, &catalog).await);
    assert!(
        published_at_kill >= KILL_AFTER,
        "the child published {KILL_AFTER} events within a minute"
    );
    assert!(
        (published_at_kill as usize) < BEFORE,
        "the child was killed before it published everything"
    );
    let relay = LogRelay::new(store.clone(), bus).with_batch(CHILD_BATCH);
    let checkpoint = relay.checkpoint().await.expect("checkpoint");
    assert!(
        checkpoint <= published_at_kill,
        "the checkpoint ({checkpoint}) never passes what was published ({published_at_kill})"
    );
    eprintln!(
        "killed after {published_at_kill} events published, checkpoint at {checkpoint}: \
         {} to publish again",
        published_at_kill - checkpoint
    );

    // More commits, then the next relay: it publishes from the checkpoint, again what the
    // child published after it (deduplicated by the stream), and the rest.
    append(&store, AFTER).await;
    let republished = within("the next relay", relay.relay_pending())
        .await
        .expect("the next relay publishes");
    assert_eq!(republished as u64, (BEFORE + AFTER) as u64 - checkpoint);
    assert_eq!(
        relay.checkpoint().await.expect("checkpoint"),
        (BEFORE + AFTER) as u64
    );

    // The stream holds every event once, in log order.
    let log: Vec<Uuid> = store
        .read_all(0, BEFORE + AFTER + 1)
        .await
        .expect("read_all")
        .into_iter()
        .map(|event| event.envelope.event_id)
        .collect();
    assert_eq!(log.len(), BEFORE + AFTER);
    let stream = stream_ids(relay.bus(), &catalog).await;
    assert_eq!(stream.len(), log.len(), "every event once");
    assert!(stream == log, "the stream holds the log in position order");
    delete_streams(relay.bus(), &catalog).await;
}
