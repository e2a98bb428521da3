//! Property: whatever is published, duplicated, retried, failed or panicked on, after a
//! shutdown with a generous deadline every subscriber has each distinct eventId either handled
//! exactly once or in the dead-letter queue exactly once. None lost, none doubled.
//!
//! Each case runs on its own current-thread tokio runtime with a paused clock, so retry
//! backoffs and batch windows cost no real time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

use novel_events::DeadLetters;
use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{AcquisitionMethod, CharacterSkillGained};
use novel_events::{
    BatchHandler, Envelope, EventBus, Handler, HandlerError, HandlerFuture, InMemoryBus,
    SubscriptionOptions,
};
use proptest::prelude::*;
use uuid::Uuid;

type Env = Envelope<AnyEvent>;

/// What a subscriber's handler does with one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Succeed,
    /// Fails with a listed retryable code this many times (1 or 2), then succeeds.
    RetryThenSucceed(u32),
    /// Fails with a listed retryable code every time: dead-lettered after 3 attempts.
    RetryForever,
    Permanent,
    Panic,
}

impl Mode {
    /// The error of attempt `attempt` (1-based), if it fails.
    fn outcome(self, attempt: u32) -> Result<(), HandlerError> {
        match self {
            Mode::Succeed => Ok(()),
            Mode::RetryThenSucceed(failures) if attempt > failures => Ok(()),
            Mode::RetryThenSucceed(_) => Err(HandlerError::retryable(
                HandlerError::TEMPORARY_FAILURE,
                "flaky",
            )),
            Mode::RetryForever => Err(HandlerError::retryable(
                HandlerError::NETWORK_TIMEOUT,
                "down",
            )),
            Mode::Permanent => Err(HandlerError::permanent("refused")),
            Mode::Panic => std::panic::panic_any(PropertyPanic),
        }
    }
}

/// The payload of the handlers' deliberate panics (kept quiet by the panic hook).
struct PropertyPanic;

#[derive(Debug, Clone, Copy)]
enum Kind {
    /// One asynchronous instance with this many workers.
    Asynchronous { workers: usize },
    /// Two asynchronous instances of one consumer group.
    Group { workers: usize },
    /// A batch subscriber.
    Batch { max_size: usize, max_wait_ms: u64 },
}

#[derive(Debug, Clone)]
enum Op {
    /// Publishes a new event of one of a few aggregates, with a failure mode per subscriber.
    Publish { aggregate: usize, modes: [Mode; 3] },
    /// Publishes again an envelope published before (the index is taken modulo their number).
    Duplicate { index: usize },
    /// Lets virtual time pass.
    Wait { millis: u64 },
}

fn mode() -> impl Strategy<Value = Mode> {
    prop_oneof![
        4 => Just(Mode::Succeed),
        2 => (1u32..=2).prop_map(Mode::RetryThenSucceed),
        1 => Just(Mode::RetryForever),
        1 => Just(Mode::Permanent),
        1 => Just(Mode::Panic),
    ]
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        (1usize..=3).prop_map(|workers| Kind::Asynchronous { workers }),
        (1usize..=2).prop_map(|workers| Kind::Group { workers }),
        (1usize..=4, 1u64..=200).prop_map(|(max_size, max_wait_ms)| Kind::Batch {
            max_size,
            max_wait_ms
        }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0usize..4, [mode(), mode(), mode()]).prop_map(|(aggregate, modes)| Op::Publish { aggregate, modes }),
        3 => any::<usize>().prop_map(|index| Op::Duplicate { index }),
        1 => (0u64..4000).prop_map(|millis| Op::Wait { millis }),
    ]
}

/// What the handlers saw, shared by every subscriber of a case.
#[derive(Default)]
struct World {
    /// Each event's mode, per subscriber index.
    modes: HashMap<Uuid, [Mode; 3]>,
    /// Calls per (subscriber index, eventId).
    attempts: HashMap<(usize, Uuid), u32>,
    /// Successful handlings per (subscriber index, eventId).
    handled: HashMap<(usize, Uuid), u32>,
}

type Shared = Arc<Mutex<World>>;

struct Single {
    index: usize,
    world: Shared,
}

impl Handler<AnyEvent> for Single {
    fn handle<'a>(&'a self, envelope: &'a Env) -> HandlerFuture<'a> {
        Box::pin(async move {
            tokio::task::yield_now().await;
            let (mode, attempt) = {
                let mut world = self.world.lock().unwrap();
                let mode = world.modes[&envelope.event_id][self.index];
                let attempt = world
                    .attempts
                    .entry((self.index, envelope.event_id))
                    .or_default();
                *attempt += 1;
                (mode, *attempt)
            };
            mode.outcome(attempt)?;
            *self
                .world
                .lock()
                .unwrap()
                .handled
                .entry((self.index, envelope.event_id))
                .or_default() += 1;
            Ok(())
        })
    }
}

struct Batched {
    index: usize,
    world: Shared,
}

impl BatchHandler<AnyEvent> for Batched {
    fn handle_batch<'a>(&'a self, batch: &'a [Arc<Env>]) -> HandlerFuture<'a> {
        Box::pin(async move {
            tokio::task::yield_now().await;
            // Every event of the batch counts an attempt; the first failing one fails the batch.
            let outcomes: Vec<(Mode, u32)> = {
                let mut world = self.world.lock().unwrap();
                batch
                    .iter()
                    .map(|envelope| {
                        let mode = world.modes[&envelope.event_id][self.index];
                        let attempt = world
                            .attempts
                            .entry((self.index, envelope.event_id))
                            .or_default();
                        *attempt += 1;
                        (mode, *attempt)
                    })
                    .collect()
            };
            for (mode, attempt) in outcomes {
                mode.outcome(attempt)?;
            }
            let mut world = self.world.lock().unwrap();
            for envelope in batch {
                *world
                    .handled
                    .entry((self.index, envelope.event_id))
                    .or_default() += 1;
            }
            Ok(())
        })
    }
}

fn skill(aggregate: Uuid, level: i64) -> Env {
    Envelope::new(
        AnyEvent::from(CharacterSkillGained {
            character_id: aggregate,
            skill_name: "archery".into(),
            skill_level: level,
            acquisition_method: AcquisitionMethod::Experience,
            context: "property".into(),
        }),
        "bus-property",
    )
}

/// Silences the handlers' deliberate panics; any other panic is reported as usual.
fn quiet_deliberate_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<PropertyPanic>().is_none() {
                default(info);
            }
        }));
    });
}

fn run_case(kinds: &[Kind], ops: &[Op]) -> Result<(), TestCaseError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let bus = InMemoryBus::<AnyEvent>::new();
        let world: Shared = Arc::default();
        let names: Vec<String> = (0..kinds.len())
            .map(|index| format!("subscriber-{index}"))
            .collect();
        for (index, kind) in kinds.iter().enumerate() {
            let name = names[index].clone();
            match *kind {
                Kind::Asynchronous { workers } => {
                    let single = Single {
                        index,
                        world: Arc::clone(&world),
                    };
                    bus.subscribe(
                        SubscriptionOptions::asynchronous(name).with_queue(workers, 8),
                        single,
                    )
                    .await
                    .unwrap();
                }
                Kind::Group { workers } => {
                    for _ in 0..2 {
                        let single = Single {
                            index,
                            world: Arc::clone(&world),
                        };
                        bus.subscribe(
                            SubscriptionOptions::asynchronous(name.clone()).with_queue(workers, 8),
                            single,
                        )
                        .await
                        .unwrap();
                    }
                }
                Kind::Batch {
                    max_size,
                    max_wait_ms,
                } => {
                    let batched = Batched {
                        index,
                        world: Arc::clone(&world),
                    };
                    let options = SubscriptionOptions::batch(
                        name,
                        max_size,
                        Duration::from_millis(max_wait_ms),
                    );
                    bus.subscribe_batch(options.with_queue(1, 16), batched)
                        .await
                        .unwrap();
                }
            }
        }

        let aggregates: Vec<Uuid> = (0..4).map(|_| Uuid::new_v4()).collect();
        let mut published: Vec<Env> = Vec::new();
        for (step, op) in ops.iter().enumerate() {
            match op {
                Op::Publish { aggregate, modes } => {
                    let envelope = skill(aggregates[*aggregate], step as i64);
                    world
                        .lock()
                        .unwrap()
                        .modes
                        .insert(envelope.event_id, *modes);
                    bus.publish(envelope.clone()).await.unwrap();
                    published.push(envelope);
                }
                Op::Duplicate { index } => {
                    if !published.is_empty() {
                        let envelope = published[index % published.len()].clone();
                        bus.publish(envelope).await.unwrap();
                    }
                }
                Op::Wait { millis } => tokio::time::sleep(Duration::from_millis(*millis)).await,
            }
        }

        let report = bus.shutdown(Duration::from_secs(3600)).await;
        prop_assert_eq!(report.abandoned, 0, "the deadline is generous");

        let letters = bus.dead_letters().list().await.unwrap();
        let world = world.lock().unwrap();
        for (index, name) in names.iter().enumerate() {
            for envelope in &published {
                let id = envelope.event_id;
                let handled = world.handled.get(&(index, id)).copied().unwrap_or(0);
                let dead: Vec<_> = letters
                    .iter()
                    .filter(|letter| letter.subscriber == *name && letter.event_id().unwrap() == id)
                    .collect();
                prop_assert_eq!(
                    handled as usize + dead.len(),
                    1,
                    "{} ({:?}) on {}: handled {} time(s), {} dead letter(s)",
                    name,
                    kinds[index],
                    id,
                    handled,
                    dead.len()
                );
                // Outside batches (where one event fails its whole batch), the mode decides.
                if !matches!(kinds[index], Kind::Batch { .. }) {
                    let mode = world.modes[&id][index];
                    let expected = match mode {
                        Mode::Succeed | Mode::RetryThenSucceed(_) => None,
                        Mode::RetryForever => Some(("network-timeout", 3)),
                        Mode::Permanent => Some(("permanent", 1)),
                        Mode::Panic => Some(("panic", 1)),
                    };
                    let got = dead
                        .first()
                        .map(|letter| (letter.error_code.as_str(), letter.attempts));
                    prop_assert_eq!(got, expected, "{} on {} with {:?}", name, id, mode);
                }
            }
        }
        let distinct: std::collections::HashSet<Uuid> =
            published.iter().map(|e| e.event_id).collect();
        prop_assert_eq!(
            letters.len() + world.handled.values().sum::<u32>() as usize,
            distinct.len() * names.len()
        );
        Ok(())
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_event_is_handled_once_or_dead_lettered_once(
        kinds in prop::collection::vec(kind(), 2..=3),
        ops in prop::collection::vec(op(), 1..=40),
    ) {
        quiet_deliberate_panics();
        run_case(&kinds, &ops)?;
    }
}
