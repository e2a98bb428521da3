//! What every test needs: a connection to the shared server, a catalog of its own, events,
//! recording handlers and waits with a timeout.

use novel_events::{DeadLetters as _, EventBus as _};
use std::sync::Arc;
use std::time::Duration;

use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{
    AcquisitionMethod, CharacterDeleted, CharacterSkillGained,
};
use novel_events::{Envelope, HandlerResult, RetryPolicy, handler_fn};
use novel_events_nats::{BusOptions, JetStreamBus};
use tokio::sync::mpsc;
use uuid::Uuid;

pub type Env = Envelope<AnyEvent>;
pub type Bus = JetStreamBus<AnyEvent>;

/// The server's URL: `NOVEL_EVENTS_NATS_URL`, by default `nats://127.0.0.1:4222`.
pub fn url() -> String {
    std::env::var("NOVEL_EVENTS_NATS_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".to_owned())
}

/// The message of a failed connection: how to start the server.
pub fn how_to_start(url: &str, error: &dyn std::fmt::Display) -> String {
    format!(
        "these tests need nats-server with JetStream at {url} ({error}); start it with \
         `start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log` \
         (or `bash scripts/services.sh`), or point NOVEL_EVENTS_NATS_URL at one"
    )
}

/// A catalog name no other test uses.
pub fn catalog() -> String {
    format!("t{}", Uuid::new_v4().simple())
}

/// Options that make tests quick: short pulls and ack waits.
pub fn options() -> BusOptions {
    BusOptions {
        poll: Duration::from_millis(250),
        ack_wait: Duration::from_secs(5),
        ..BusOptions::default()
    }
}

/// A retry policy of `attempts` attempts, 100 ms apart at first.
pub fn fast_retry(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(attempts)
        .with_delays(Duration::from_millis(100), Duration::from_secs(1))
}

/// A bus of `catalog` on the shared server; fails with how to start it if it is down.
pub async fn bus(catalog: &str, options: BusOptions) -> Bus {
    let url = url();
    match JetStreamBus::connect(&url, catalog, options).await {
        Ok(bus) => bus,
        Err(error) => panic!("{}", how_to_start(&url, &error)),
    }
}

/// Deletes the catalog's streams and bucket.
pub async fn clean_up(bus: &Bus, catalog: &str) {
    bus.shutdown(Duration::from_secs(2)).await;
    let jetstream = async_nats::jetstream::new(bus.client().clone());
    for stream in [
        catalog.to_owned(),
        format!("{catalog}-reprocess"),
        format!("{catalog}-dead-letters"),
        format!("{catalog}-idempotency"),
    ] {
        let _ = jetstream.delete_stream(stream).await;
    }
}

/// A skill event of `character` at `level`.
pub fn skill(character: Uuid, level: i64) -> Env {
    Envelope::new(
        AnyEvent::from(CharacterSkillGained {
            character_id: character,
            skill_name: "swordplay".into(),
            skill_level: level,
            acquisition_method: AcquisitionMethod::Training,
            context: "sparring".into(),
        }),
        "nats-tests",
    )
}

/// A deletion of `character`.
pub fn deleted(character: Uuid) -> Env {
    Envelope::new(
        AnyEvent::from(CharacterDeleted {
            character_id: character,
            name: "Oren".into(),
            deletion_reason: "retired".into(),
            deleted_by: Uuid::from_u128(7),
        }),
        "nats-tests",
    )
}

/// The level of a skill event.
pub fn level(envelope: &Env) -> Option<i64> {
    match &envelope.payload {
        AnyEvent::CharacterSkillGained(skill) => Some(skill.skill_level),
        _ => None,
    }
}

/// A handler sending every envelope it gets to the receiver.
pub fn recorder() -> (
    impl novel_events::Handler<AnyEvent>,
    mpsc::UnboundedReceiver<Arc<Env>>,
) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let handler = handler_fn(move |envelope: Arc<Env>| {
        let _ = sender.send(envelope);
        async { HandlerResult::Ok(()) }
    });
    (handler, receiver)
}

/// The next value, or a failure naming what was awaited.
pub async fn next<T>(receiver: &mut mpsc::UnboundedReceiver<T>, what: &str) -> T {
    match tokio::time::timeout(Duration::from_secs(10), receiver.recv()).await {
        Ok(Some(value)) => value,
        Ok(None) => panic!("the channel closed while waiting for {what}"),
        Err(_) => panic!("nothing within 10 s while waiting for {what}"),
    }
}

/// Checks that nothing arrives within `quiet`.
pub async fn nothing_within<T: std::fmt::Debug>(
    receiver: &mut mpsc::UnboundedReceiver<T>,
    quiet: Duration,
    what: &str,
) {
    if let Ok(Some(value)) = tokio::time::timeout(quiet, receiver.recv()).await {
        panic!("{what}: got {value:?}");
    }
}

/// A channel the dead-letter threshold hook writes the count to.
pub fn threshold_alerts(bus: &Bus, threshold: usize) -> mpsc::UnboundedReceiver<usize> {
    let (sender, receiver) = mpsc::unbounded_channel();
    bus.dead_letters().on_threshold(threshold, move |count| {
        let _ = sender.send(count);
    });
    receiver
}
