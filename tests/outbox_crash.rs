//! The transactional outbox under SIGKILL: only committed events are published, and every
//! committed event is published at least once, even when the process dies between commit and
//! publish, or in the middle of a relay.
//!
//! The test re-executes its own binary to run only [`child_outbox_loop`], a no-op unless
//! `NOVEL_EVENTS_OUTBOX_CHILD` names a database file. The child opens the store there with
//! `outbox: true` and an [`InMemoryBus`] whose one subscriber is immediate (it runs inside
//! `publish`, so before the relay deletes the outbox row) and prints `PUB <eventId>` for each
//! event it receives. Then it appends forever (one to three events per append, to a few
//! aggregates), printing `ACK <eventId>,...` after each acknowledged append, and relays the
//! outbox to the bus, in one of two modes chosen per run: between appends, after a random
//! number of them (`relay_pending`), or concurrently with them (`OutboxRelay::run`).
//!
//! The parent ([`committed_events_are_published_at_least_once_across_sigkill`]) kills the
//! child with SIGKILL after a random number of printed lines (so after a commit not yet
//! relayed, or right after a publish, while the relay deletes the outbox row), [`RUNS`] times
//! on the same file. After each kill it reads the outbox table directly (rusqlite), opens the
//! store, and checks:
//!
//! - every acknowledged append and every event the child published is stored (nothing
//!   uncommitted was published);
//! - every stored event whose outbox row is gone was published by a child (a row is deleted
//!   only after its publish);
//! - at most one event was both published by the child and left in the outbox (published
//!   again below: the at-least-once window is one event wide);
//! - relaying the outbox to a fresh bus publishes exactly the outbox's events, in log order,
//!   and its idempotent subscriber sees each eventId once; the outbox is then empty;
//! - so, across all runs, the published eventIds are exactly the stored ones.
//!
//! Then non-crash tests: a failed append (conflict, partly stored, invalid, mixed streams,
//! duplicate eventIds) leaves nothing in the outbox, a refused publish stays in it, and a relay
//! on a store without an outbox is refused with [`OutboxError::Disabled`].

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{
    CharacterDeleted, CharacterRelationshipFormed, RelationshipType,
};
use novel_events::{
    AppendOutcome, Envelope, EventAppender, EventBus, EventReader, ExpectedVersion, HandlerResult,
    InMemoryBus, OutboxError, OutboxRelay, SqliteEventStore, StoreError, StoreOptions,
    SubscriptionOptions, handler_fn,
};
use novel_events_tests::Rng;
use uuid::Uuid;

/// The database file the child works on; unset in the parent.
const CHILD_ENV: &str = "NOVEL_EVENTS_OUTBOX_CHILD";
/// The child's run number (encoded in its eventIds).
const RUN_ENV: &str = "NOVEL_EVENTS_OUTBOX_RUN";
/// The child's PRNG seed.
const CHILD_SEED_ENV: &str = "NOVEL_EVENTS_OUTBOX_CHILD_SEED";
/// Overrides the parent's seed, to replay a failing run.
const SEED_ENV: &str = "NOVEL_EVENTS_OUTBOX_SEED";

/// Kills of the child on the same database file.
const RUNS: u64 = 24;
/// The aggregates appended to.
const AGGREGATES: u64 = 3;
/// Most printed lines (ACK and PUB) before a kill.
const MAX_LINES: u64 = 100;
/// How long the parent waits for a line of the child before failing.
const LINE_TIMEOUT: Duration = Duration::from_secs(30);

// --- shared by parent and child --------------------------------------------------------------

fn aggregate(k: u64) -> Uuid {
    Uuid::from_u64_pair(0x0B70_0000_0000_0000, k)
}

fn deleted(aggregate: Uuid, event_id: Uuid) -> Envelope<AnyEvent> {
    let mut envelope = Envelope::new(
        AnyEvent::from(CharacterDeleted {
            character_id: aggregate,
            name: "Oren".into(),
            deletion_reason: format!("outbox crash test {event_id}"),
            deleted_by: Uuid::from_u128(7),
        }),
        "outbox-crash-test",
    );
    envelope.event_id = event_id;
    envelope
}

fn write_line(line: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    out.write_fmt(line).unwrap();
    out.write_all(b"\n").unwrap();
    out.flush().unwrap();
}

// --- the child ---------------------------------------------------------------------------------

/// The child: appends and relays until killed. A no-op unless `NOVEL_EVENTS_OUTBOX_CHILD` is
/// set.
#[test]
fn child_outbox_loop() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let run: u64 = std::env::var(RUN_ENV)
        .expect("the run")
        .parse()
        .expect("a run number");
    let seed: u64 = std::env::var(CHILD_SEED_ENV)
        .expect("a seed")
        .parse()
        .expect("a seed");
    let runtime = novel_events_tests::crash_child_runtime(run);
    runtime.block_on(async move {
        // libtest printed `test child_outbox_loop ... ` without a newline.
        write_line(format_args!(""));
        let options = StoreOptions {
            outbox: true,
            ..StoreOptions::default()
        };
        let store =
            SqliteEventStore::<AnyEvent>::open_with(&path, options).expect("the store opens");
        let bus = InMemoryBus::<AnyEvent>::new();
        bus.subscribe(
            SubscriptionOptions::immediate("crash-witness"),
            handler_fn(|envelope: Envelope<AnyEvent>| async move {
                write_line(format_args!("PUB {}", envelope.event_id));
                HandlerResult::Ok(())
            }),
        )
        .await
        .expect("the witness subscribes");
        let relay = OutboxRelay::new(store.clone(), bus).expect("the relay starts");
        let mut rng = Rng::new(seed);
        let concurrent = rng.below(2) == 0;
        write_line(format_args!(
            "READY {}",
            if concurrent {
                "concurrent"
            } else {
                "interleaved"
            }
        ));
        let appends = async {
            for batch in 0u64.. {
                let k = rng.below(AGGREGATES);
                let size = 1 + rng.below(3);
                let events: Vec<_> = (0..size)
                    .map(|index| {
                        deleted(aggregate(k), Uuid::from_u64_pair(run, (batch << 8) | index))
                    })
                    .collect();
                let ids: Vec<String> = events
                    .iter()
                    .map(|event| event.event_id.to_string())
                    .collect();
                match store
                    .append(aggregate(k), ExpectedVersion::Any, events)
                    .await
                    .expect("the append")
                {
                    AppendOutcome::Appended { .. } => {
                        write_line(format_args!("ACK {}", ids.join(",")))
                    }
                    other => panic!("unexpected outcome {other:?}"),
                }
                if !concurrent && rng.below(3) == 0 {
                    relay.relay_pending().await.expect("the relay");
                }
            }
        };
        if concurrent {
            let (relayed, ()) = tokio::join!(relay.run(std::future::pending()), appends);
            relayed.expect("the relay");
        } else {
            appends.await;
        }
    });
}

// --- the parent --------------------------------------------------------------------------------

/// What the child printed.
#[derive(Debug, Default)]
struct Output {
    mode: String,
    acknowledged: Vec<Uuid>,
    published: Vec<Uuid>,
    lines: usize,
}

impl Output {
    fn take(&mut self, line: &str) {
        if let Some(mode) = line.strip_prefix("READY ") {
            mode.clone_into(&mut self.mode);
        } else if let Some(ids) = line.strip_prefix("ACK ") {
            self.acknowledged
                .extend(ids.split(',').map(|id| id.parse::<Uuid>().unwrap()));
            self.lines += 1;
        } else if let Some(id) = line.strip_prefix("PUB ") {
            self.published.push(id.parse().unwrap());
            self.lines += 1;
        }
    }
}

fn spawn_child(db: &Path, run: u64, seed: u64) -> Child {
    Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "child_outbox_loop",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, db)
        .env(RUN_ENV, run.to_string())
        .env(CHILD_SEED_ENV, seed.to_string())
        .env_remove(SEED_ENV)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the child starts")
}

/// Kills the child with SIGKILL after `kill_after` ACK and PUB lines and `delay`; returns all
/// it printed.
fn run_and_kill(mut child: Child, kill_after: usize, delay: Duration) -> Output {
    let lines = novel_events_tests::child_stdout_lines(child.stdout.take().unwrap());
    let mut stderr = child.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).ok();
        text
    });
    let mut output = Output::default();
    let mut failure = None;
    while output.lines < kill_after {
        match lines.recv_timeout(LINE_TIMEOUT) {
            Ok(line) => output.take(&line),
            Err(error) => {
                failure = Some(format!(
                    "the child stopped after {} lines ({error})",
                    output.lines
                ));
                break;
            }
        }
    }
    std::thread::sleep(delay);
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("the child is reaped");
    for line in lines.iter() {
        output.take(&line);
    }
    let stderr = stderr.join().unwrap();
    if let Some(failure) = failure {
        panic!("{failure}; status {status:?}; stderr:\n{stderr}");
    }
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        status.signal(),
        Some(9),
        "the child was not killed by SIGKILL: {status:?}\n{stderr}"
    );
    output
}

/// The eventIds in the outbox table, in log order (read behind the store's back).
fn outbox_rows(db: &Path) -> Vec<Uuid> {
    let connection = rusqlite::Connection::open(db).unwrap();
    let mut statement = connection
        .prepare("SELECT e.event_id FROM outbox o JOIN events e ON e.position = o.position ORDER BY o.position")
        .unwrap();
    statement
        .query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .map(|id| id.unwrap().parse().unwrap())
        .collect()
}

/// Every eventId of the store, in log order.
async fn stored_ids(store: &SqliteEventStore<AnyEvent>) -> Vec<Uuid> {
    let mut ids = Vec::new();
    let mut after = 0;
    loop {
        let page = store.read_all(after, 100).await.expect("the log decodes");
        let Some(last) = page.last() else {
            return ids;
        };
        after = last.position;
        ids.extend(page.into_iter().map(|event| event.envelope.event_id));
    }
}

/// A bus whose one subscriber (idempotent, one worker, so in order) collects eventIds.
async fn collecting_bus() -> (InMemoryBus<AnyEvent>, Arc<Mutex<Vec<Uuid>>>) {
    let bus = InMemoryBus::<AnyEvent>::new();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    bus.subscribe(
        SubscriptionOptions::asynchronous("collector").with_queue(1, 1024),
        handler_fn(move |envelope: Envelope<AnyEvent>| {
            let sink = Arc::clone(&sink);
            async move {
                sink.lock().unwrap().push(envelope.event_id);
                HandlerResult::Ok(())
            }
        }),
    )
    .await
    .unwrap();
    (bus, seen)
}

fn outbox_options() -> StoreOptions {
    StoreOptions {
        outbox: true,
        ..StoreOptions::default()
    }
}

/// SIGKILL between commit and publish, and in the middle of a relay, [`RUNS`] times on one
/// file; see the module documentation.
#[tokio::test]
async fn committed_events_are_published_at_least_once_across_sigkill() {
    let seed = novel_events_tests::crash_test_seed("outbox_crash", SEED_ENV);
    let dir = novel_events_tests::unique_temp_dir("outbox-crash");
    let db = dir.join("events.db");
    let started = Instant::now();
    // Every eventId published so far, by a child or by the parent's relay.
    let mut published: HashSet<Uuid> = HashSet::new();
    let mut stats: HashMap<&str, usize> = HashMap::new();
    for run in 1..=RUNS {
        let mut rng = Rng::for_run(seed, run);
        let kill_after = 1 + rng.below(MAX_LINES) as usize;
        let delay = Duration::from_micros(rng.below(2_000));
        let output = run_and_kill(spawn_child(&db, run, rng.next_u64()), kill_after, delay);
        *stats
            .entry(if output.mode == "concurrent" {
                "concurrent runs"
            } else {
                "interleaved runs"
            })
            .or_default() += 1;

        let pending = outbox_rows(&db);
        let store = SqliteEventStore::<AnyEvent>::open_with(&db, outbox_options()).unwrap();
        let stored = stored_ids(&store).await;
        let stored_set: HashSet<Uuid> = stored.iter().copied().collect();
        assert_eq!(
            stored_set.len(),
            stored.len(),
            "duplicate eventIds in the log"
        );

        // Only committed events: everything acknowledged or published by the child is stored.
        for id in &output.acknowledged {
            assert!(
                stored_set.contains(id),
                "run {run}: acknowledged {id} is not stored"
            );
        }
        let child_published: HashSet<Uuid> = output.published.iter().copied().collect();
        assert_eq!(
            child_published.len(),
            output.published.len(),
            "run {run}: the child's idempotent subscriber saw an eventId twice"
        );
        for id in &child_published {
            assert!(
                stored_set.contains(id),
                "run {run}: the child published {id}, which is not stored"
            );
        }
        // A row leaves the outbox only after its publish.
        let pending_set: HashSet<Uuid> = pending.iter().copied().collect();
        for id in &stored {
            if !pending_set.contains(id) {
                assert!(
                    published.contains(id) || child_published.contains(id),
                    "run {run}: {id} left the outbox but was never published"
                );
            }
        }
        // Published by the child and still pending: killed between publish and delete.
        let twice = pending
            .iter()
            .filter(|id| child_published.contains(id) || published.contains(id))
            .count();
        assert!(
            twice <= 1,
            "run {run}: {twice} events were published and left in the outbox"
        );
        *stats
            .entry("kills between a publish and its outbox delete")
            .or_default() += twice;
        *stats
            .entry("kills with committed events not yet relayed")
            .or_default() += usize::from(pending.len() > twice);
        *stats.entry("events published by the children").or_default() += child_published.len();
        *stats
            .entry("events left in the outbox by the children")
            .or_default() += pending.len();

        // The parent relays the rest: exactly the outbox, in log order, each once.
        let (bus, seen) = collecting_bus().await;
        let relay = OutboxRelay::new(store.clone(), bus.clone()).unwrap();
        let relayed = relay.relay_pending().await.expect("the relay");
        assert_eq!(
            relayed,
            pending.len(),
            "run {run}: relayed against outbox rows"
        );
        let report = bus.shutdown(Duration::from_secs(10)).await;
        assert_eq!(report.abandoned, 0);
        let seen = seen.lock().unwrap().clone();
        assert_eq!(
            seen, pending,
            "run {run}: the subscriber saw other events than the outbox held, or some twice"
        );
        assert!(
            outbox_rows(&db).is_empty(),
            "run {run}: the outbox is not empty after the relay"
        );
        assert_eq!(relay.relay_pending().await.unwrap(), 0);

        published.extend(child_published);
        published.extend(seen);
        let not_stored: Vec<_> = published.difference(&stored_set).collect();
        assert!(
            not_stored.is_empty(),
            "run {run}: published but not stored: {not_stored:?}"
        );
        let unpublished: Vec<_> = stored_set.difference(&published).collect();
        assert!(
            unpublished.is_empty(),
            "run {run}: stored but never published: {unpublished:?}"
        );
        *stats.entry("events stored").or_default() = stored.len();
    }
    let mut stats: Vec<_> = stats.into_iter().collect();
    stats.sort();
    eprintln!(
        "outbox_crash: {RUNS} kills in {:.1?}: {stats:?}",
        started.elapsed()
    );
    std::fs::remove_dir_all(&dir).ok();
}

// --- without crashes -------------------------------------------------------------------------

fn relationship(aggregate: Uuid, strength: f64) -> Envelope<AnyEvent> {
    Envelope::new(
        AnyEvent::from(CharacterRelationshipFormed {
            character_id: aggregate,
            related_character_id: Uuid::new_v4(),
            relationship_type: RelationshipType::Ally,
            relationship_strength: strength,
            context: "outbox".into(),
            formation_event: "test".into(),
        }),
        "outbox-crash-test",
    )
}

/// An append that fails, for any reason, leaves nothing in the outbox; an idempotent re-append
/// adds nothing either.
#[tokio::test]
async fn a_failed_append_leaves_nothing_in_the_outbox() {
    let dir = novel_events_tests::unique_temp_dir("outbox-failed-append");
    let db = dir.join("events.db");
    let store = SqliteEventStore::<AnyEvent>::open_with(&db, outbox_options()).unwrap();
    let character = Uuid::new_v4();
    let first = relationship(character, 0.5);
    store
        .append(character, ExpectedVersion::NoStream, vec![first.clone()])
        .await
        .unwrap();
    assert_eq!(outbox_rows(&db), vec![first.event_id]);

    let conflict = store
        .append(
            character,
            ExpectedVersion::NoStream,
            vec![relationship(character, 0.1)],
        )
        .await;
    assert!(
        matches!(
            conflict,
            Err(StoreError::Conflict {
                expected: 0,
                actual: 1,
                ..
            })
        ),
        "{conflict:?}"
    );
    let conflict = store
        .append(
            character,
            ExpectedVersion::Exactly(3),
            vec![relationship(character, 0.1), relationship(character, 0.2)],
        )
        .await;
    assert!(
        matches!(
            conflict,
            Err(StoreError::Conflict {
                expected: 3,
                actual: 1,
                ..
            })
        ),
        "{conflict:?}"
    );
    let partly = store
        .append(
            character,
            ExpectedVersion::Any,
            vec![relationship(character, 0.3), first.clone()],
        )
        .await;
    assert!(
        matches!(partly, Err(StoreError::PartlyStored { position: 1, .. })),
        "{partly:?}"
    );
    let invalid = store
        .append(
            character,
            ExpectedVersion::Any,
            vec![relationship(character, 0.3), relationship(character, 2.0)],
        )
        .await;
    assert!(
        matches!(invalid, Err(StoreError::Invalid { .. })),
        "{invalid:?}"
    );
    let other = Uuid::new_v4();
    let mixed = store
        .append(
            character,
            ExpectedVersion::Any,
            vec![relationship(character, 0.3), relationship(other, 0.3)],
        )
        .await;
    assert!(
        matches!(mixed, Err(StoreError::MixedStreams { .. })),
        "{mixed:?}"
    );
    // An eventId twice in one append: refused whole.
    let copy = relationship(character, 0.4);
    let duplicate = store
        .append(character, ExpectedVersion::Any, vec![copy.clone(), copy])
        .await;
    assert!(duplicate.is_err(), "{duplicate:?}");
    let again = store
        .append(character, ExpectedVersion::Exactly(1), vec![first.clone()])
        .await
        .unwrap();
    assert_eq!(
        again,
        AppendOutcome::AlreadyStored {
            event_ids: vec![first.event_id]
        }
    );

    assert_eq!(
        outbox_rows(&db),
        vec![first.event_id],
        "a failed append left outbox rows"
    );
    assert_eq!(store.last_position().await.unwrap(), 1);

    let (bus, seen) = collecting_bus().await;
    let relay = OutboxRelay::new(store.clone(), bus.clone()).unwrap();
    assert_eq!(relay.relay_pending().await.unwrap(), 1);
    bus.shutdown(Duration::from_secs(5)).await;
    assert_eq!(*seen.lock().unwrap(), vec![first.event_id]);
    assert!(outbox_rows(&db).is_empty());
    drop((relay, store));
    std::fs::remove_dir_all(&dir).ok();
}

/// An event the bus refuses stays in the outbox, and the next relay publishes it.
#[tokio::test]
async fn a_refused_publish_stays_in_the_outbox() {
    let store = SqliteEventStore::<AnyEvent>::open_with(":memory:", outbox_options()).unwrap();
    let character = Uuid::new_v4();
    let event = relationship(character, 0.5);
    store
        .append(character, ExpectedVersion::Any, vec![event.clone()])
        .await
        .unwrap();

    let (closed, _) = collecting_bus().await;
    closed.shutdown(Duration::from_secs(1)).await;
    let relay = OutboxRelay::new(store.clone(), closed).unwrap();
    let refused = relay.relay_pending().await;
    assert!(
        matches!(refused, Err(OutboxError::Publish { position: 1, .. })),
        "{refused:?}"
    );

    let (bus, seen) = collecting_bus().await;
    let relay = OutboxRelay::new(store.clone(), bus.clone()).unwrap();
    assert_eq!(relay.relay_pending().await.unwrap(), 1);
    assert_eq!(relay.relay_pending().await.unwrap(), 0);
    bus.shutdown(Duration::from_secs(5)).await;
    assert_eq!(*seen.lock().unwrap(), vec![event.event_id]);
}

/// A relay needs a store opened with `outbox: true`.
#[tokio::test]
async fn a_relay_on_a_store_without_outbox_is_refused() {
    let store = SqliteEventStore::<AnyEvent>::open_in_memory().unwrap();
    assert!(!store.has_outbox());
    let refused = OutboxRelay::new(store, InMemoryBus::<AnyEvent>::new());
    assert!(
        matches!(refused, Err(OutboxError::Disabled)),
        "{:?}",
        refused.err()
    );

    let dir = novel_events_tests::unique_temp_dir("outbox-disabled");
    let store = SqliteEventStore::<AnyEvent>::open(dir.join("events.db")).unwrap();
    let refused = OutboxRelay::new(store, InMemoryBus::<AnyEvent>::new());
    assert!(
        matches!(refused, Err(OutboxError::Disabled)),
        "{:?}",
        refused.err()
    );
    std::fs::remove_dir_all(&dir).ok();
}
