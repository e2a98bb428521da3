//! Durability of [`SqliteEventStore`] under SIGKILL: an acknowledged append survives the death
//! of the process that made it, and an append is all or nothing.
//!
//! The test re-executes its own binary (`std::env::current_exe()`) to run only
//! [`child_append_loop`], which does nothing unless `NOVEL_EVENTS_CRASH_CHILD` names a database
//! file. The child opens the store there with the default options (durability
//! [`Durability::PowerLoss`](novel_events::Durability)) and appends forever: single events and
//! batches of up to 5, to a few aggregates, each with `ExpectedVersion::Exactly` (or `NoStream`)
//! from the versions it read at start. After each acknowledged append it writes one line
//! `ACK <position> <aggregate> <stream_version> <eventId>,...` to stdout and flushes it.
//!
//! The parent ([`acknowledged_appends_survive_sigkill`]) kills the child with SIGKILL after a
//! random number of acknowledged appends (sometimes before the first one, while the store is
//! being opened or created), [`RUNS`] times on the same file, and after each kill opens the
//! store and checks:
//!
//! - the file passes `PRAGMA integrity_check`;
//! - positions are 1..=last without gaps, and `last_position` agrees;
//! - `read_all`, page by page, decodes every event, and each is exactly the envelope the child
//!   built (every field is a function of its eventId, which encodes run, batch, index and batch
//!   size);
//! - every batch is whole (all its events, at consecutive positions and stream versions, or
//!   none of them), stream versions run 1..=n per aggregate in log order;
//! - every acknowledged append, of this run and all earlier ones, is there: same eventIds,
//!   same last position, same stream versions.
//!
//! The random numbers come from a small PRNG (splitmix64) seeded per test run from the clock,
//! or from `NOVEL_EVENTS_CRASH_SEED` to replay a failure; the seed is printed.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{
    AcquisitionMethod, CharacterDeleted, CharacterSkillGained, CharacterUpdated,
};
use novel_events::{
    AppendOutcome, Envelope, EventAppender, EventReader, ExpectedVersion, Metadata,
    SqliteEventStore, StoredEvent,
};
use novel_events_tests::Rng;
use uuid::Uuid;

/// The database file the child appends to; unset in the parent, so the child test is a no-op
/// in a normal test run.
const CHILD_ENV: &str = "NOVEL_EVENTS_CRASH_CHILD";
/// The child's run number (encoded in its eventIds).
const RUN_ENV: &str = "NOVEL_EVENTS_CRASH_RUN";
/// The child's PRNG seed.
const CHILD_SEED_ENV: &str = "NOVEL_EVENTS_CRASH_CHILD_SEED";
/// Overrides the parent's seed, to replay a failing run.
const SEED_ENV: &str = "NOVEL_EVENTS_CRASH_SEED";

/// Kills of the child on the same database file.
const RUNS: u64 = 24;
/// The aggregates appended to.
const AGGREGATES: u64 = 4;
/// The largest batch.
const MAX_BATCH: u64 = 5;
/// Most acknowledged appends before a kill.
const MAX_ACKS: u64 = 100;
/// How long the parent waits for a line of the child before failing.
const LINE_TIMEOUT: Duration = Duration::from_secs(30);

// --- shared by parent and child --------------------------------------------------------------

fn aggregate(k: u64) -> Uuid {
    Uuid::from_u64_pair(0x5707_E000_0000_0000, k)
}

/// Run, batch, index in the batch and batch size, in an eventId.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Tag {
    run: u32,
    batch: u32,
    index: u32,
    size: u32,
}

impl Tag {
    fn event_id(self) -> Uuid {
        Uuid::from_u64_pair(
            (u64::from(self.run) << 32) | u64::from(self.batch),
            (u64::from(self.size) << 32) | u64::from(self.index),
        )
    }

    fn of(event_id: Uuid) -> Self {
        let (high, low) = event_id.as_u64_pair();
        Self {
            run: (high >> 32) as u32,
            batch: high as u32,
            index: low as u32,
            size: (low >> 32) as u32,
        }
    }
}

/// The envelope of the event `tag` of `aggregate`: every field is a function of the two, so
/// that the parent can rebuild what the child appended.
fn envelope(aggregate: Uuid, tag: Tag) -> Envelope<AnyEvent> {
    let event_id = tag.event_id();
    let n = u64::from(tag.run) * 1_000_003 + u64::from(tag.batch) * 31 + u64::from(tag.index);
    let payload = match n % 3 {
        0 => AnyEvent::from(CharacterDeleted {
            character_id: aggregate,
            name: format!("character {}", tag.batch),
            deletion_reason: format!("run {} batch {} event {}", tag.run, tag.batch, tag.index),
            deleted_by: Uuid::from_u64_pair(7, n),
        }),
        1 => AnyEvent::from(CharacterSkillGained {
            character_id: aggregate,
            skill_name: format!("skill-{n}"),
            skill_level: i64::from(tag.index) + 1,
            acquisition_method: AcquisitionMethod::Experience,
            context: "x".repeat((n % 200) as usize),
        }),
        _ => {
            let mut changes = serde_json::Map::new();
            changes.insert("name".into(), format!("renamed {n}").into());
            let mut previous = serde_json::Map::new();
            previous.insert("name".into(), format!("character {}", tag.batch).into());
            AnyEvent::from(CharacterUpdated {
                character_id: aggregate,
                changes,
                previous_values: previous,
                updated_by: Uuid::from_u64_pair(8, n),
            })
        }
    };
    let mut envelope = Envelope::new(payload, "store-crash-test");
    envelope.event_id = event_id;
    envelope.timestamp = timestamp(n);
    let root = Tag { index: 0, ..tag }.event_id();
    envelope.correlation_id = root;
    envelope.causation_id = root;
    envelope.user_id = (n % 2 == 0).then(|| Uuid::from_u64_pair(9, n));
    envelope.metadata = Metadata::from_source("store-crash-test");
    envelope
}

fn timestamp(n: u64) -> DateTime<Utc> {
    let millis = 1_750_000_000_000 + i64::try_from(n % 1_000_000_000).unwrap();
    Utc.timestamp_millis_opt(millis).unwrap()
}

// --- the child ---------------------------------------------------------------------------------

/// The child: appends until killed. A no-op unless `NOVEL_EVENTS_CRASH_CHILD` is set.
#[test]
fn child_append_loop() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let run: u32 = std::env::var(RUN_ENV)
        .expect("the run number")
        .parse()
        .expect("a run number");
    let seed: u64 = std::env::var(CHILD_SEED_ENV)
        .expect("a seed")
        .parse()
        .expect("a seed");
    let runtime = novel_events_tests::crash_child_runtime(u64::from(run));
    runtime.block_on(async move {
        let mut out = std::io::stdout().lock();
        // libtest printed `test child_append_loop ... ` without a newline.
        writeln!(out).unwrap();
        let store = SqliteEventStore::<AnyEvent>::open(&path).expect("the store opens");
        let mut versions = Vec::new();
        for k in 0..AGGREGATES {
            let stream = store
                .read_stream(aggregate(k), 1)
                .await
                .expect("the stream reads");
            versions.push(stream.last().map_or(0, |event| event.stream_version));
        }
        writeln!(out, "READY").unwrap();
        out.flush().unwrap();
        let mut rng = Rng::new(seed);
        for batch in 0u32.. {
            let k = rng.below(AGGREGATES);
            let id = aggregate(k);
            let size = if rng.below(3) == 0 {
                2 + rng.below(MAX_BATCH - 1)
            } else {
                1
            } as u32;
            let events: Vec<_> = (0..size)
                .map(|index| {
                    envelope(
                        id,
                        Tag {
                            run,
                            batch,
                            index,
                            size,
                        },
                    )
                })
                .collect();
            let ids: Vec<String> = events
                .iter()
                .map(|event| event.event_id.to_string())
                .collect();
            let current = versions[k as usize];
            let expected = if current == 0 && rng.below(2) == 0 {
                ExpectedVersion::NoStream
            } else {
                ExpectedVersion::Exactly(current)
            };
            match store
                .append(id, expected, events)
                .await
                .expect("the append succeeds")
            {
                AppendOutcome::Appended {
                    stream_version,
                    position,
                } => {
                    assert_eq!(stream_version, current + u64::from(size));
                    versions[k as usize] = stream_version;
                    writeln!(
                        out,
                        "ACK {position} {id} {stream_version} {}",
                        ids.join(",")
                    )
                    .unwrap();
                    out.flush().unwrap();
                }
                other => panic!("unexpected outcome {other:?}"),
            }
        }
    });
}

// --- the parent --------------------------------------------------------------------------------

/// An acknowledged append, as the child printed it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ack {
    position: u64,
    aggregate: Uuid,
    stream_version: u64,
    event_ids: Vec<Uuid>,
}

fn parse_ack(line: &str) -> Option<Ack> {
    let rest = line.strip_prefix("ACK ")?;
    let mut fields = rest.split(' ');
    let ack = Ack {
        position: fields.next()?.parse().ok()?,
        aggregate: fields.next()?.parse().ok()?,
        stream_version: fields.next()?.parse().ok()?,
        event_ids: fields
            .next()?
            .split(',')
            .map(|id| id.parse().unwrap())
            .collect(),
    };
    assert!(fields.next().is_none(), "a malformed line: {line}");
    Some(ack)
}

fn spawn_child(db: &Path, run: u64, seed: u64) -> Child {
    Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "child_append_loop",
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

/// Kills the child with SIGKILL after `kill_after` acknowledged appends (or, when `None`, after
/// `early` without waiting for any), then `delay` more; returns every acknowledged append it
/// printed, including those after the kill point.
fn run_and_kill(mut child: Child, kill_after: Option<u64>, delay: Duration) -> Vec<Ack> {
    let lines = novel_events_tests::child_stdout_lines(child.stdout.take().unwrap());
    let mut stderr = child.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).ok();
        text
    });
    let mut acks = Vec::new();
    let mut failure = None;
    if let Some(kill_after) = kill_after {
        while (acks.len() as u64) < kill_after {
            match lines.recv_timeout(LINE_TIMEOUT) {
                Ok(line) => acks.extend(parse_ack(&line)),
                Err(error) => {
                    failure = Some(format!(
                        "the child stopped after {} acks ({error})",
                        acks.len()
                    ));
                    break;
                }
            }
        }
    }
    std::thread::sleep(delay);
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("the child is reaped");
    // Whatever the child printed before it died is still in the pipe.
    acks.extend(lines.iter().filter_map(|line| parse_ack(&line)));
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
    acks
}

/// Every event of the store, read page by page (pages of varying size).
async fn read_everything(
    store: &SqliteEventStore<AnyEvent>,
    rng: &mut Rng,
) -> Vec<StoredEvent<AnyEvent>> {
    let mut events = Vec::new();
    loop {
        let after = events
            .last()
            .map_or(0, |event: &StoredEvent<AnyEvent>| event.position);
        let limit = 1 + rng.below(97) as usize;
        let page = store.read_all(after, limit).await.unwrap_or_else(|error| {
            panic!("read_all({after}, {limit}) fails: {error}");
        });
        assert!(page.len() <= limit);
        if page.is_empty() {
            return events;
        }
        events.extend(page);
    }
}

fn integrity_check(db: &Path) {
    let connection = rusqlite::Connection::open(db).unwrap();
    let result: String = connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(result, "ok", "integrity_check of {}", db.display());
    let mode: String = connection
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

/// Checks the whole store against every acknowledged append so far; returns how many events
/// it holds.
async fn check_store(db: &Path, acks: &[Ack], rng: &mut Rng) -> usize {
    integrity_check(db);
    let store = SqliteEventStore::<AnyEvent>::open(db).expect("the store opens after a kill");
    let events = read_everything(&store, rng).await;
    let last = store.last_position().await.unwrap();
    assert_eq!(
        last,
        events.len() as u64,
        "last_position against the events read"
    );

    // Positions 1..=last, each event exactly what the child built.
    let mut by_id = HashMap::new();
    for (index, event) in events.iter().enumerate() {
        assert_eq!(event.position, index as u64 + 1, "a gap in the positions");
        let tag = Tag::of(event.envelope.event_id);
        assert_eq!(
            event.envelope,
            envelope(event.envelope.aggregate_id, tag),
            "the event at position {} is not what was appended",
            event.position
        );
        assert!(
            by_id.insert(event.envelope.event_id, event).is_none(),
            "a duplicate eventId"
        );
    }

    // Batches whole, at consecutive positions and versions; versions 1..=n per aggregate.
    let mut batches: BTreeMap<(u32, u32), Vec<&StoredEvent<AnyEvent>>> = BTreeMap::new();
    let mut streams: HashMap<Uuid, u64> = HashMap::new();
    for event in &events {
        let tag = Tag::of(event.envelope.event_id);
        batches.entry((tag.run, tag.batch)).or_default().push(event);
        let version = streams.entry(event.envelope.aggregate_id).or_default();
        *version += 1;
        assert_eq!(
            event.stream_version, *version,
            "stream versions of {}",
            event.envelope.aggregate_id
        );
    }
    for ((run, batch), members) in &batches {
        let size = Tag::of(members[0].envelope.event_id).size as usize;
        assert_eq!(
            members.len(),
            size,
            "batch {batch} of run {run} is partial: {members:#?}"
        );
        for (index, event) in members.iter().enumerate() {
            assert_eq!(Tag::of(event.envelope.event_id).index as usize, index);
            assert_eq!(event.position, members[0].position + index as u64);
            assert_eq!(
                event.stream_version,
                members[0].stream_version + index as u64
            );
            assert_eq!(
                event.envelope.aggregate_id,
                members[0].envelope.aggregate_id
            );
        }
    }

    // Every acknowledged append is there, as acknowledged.
    for ack in acks {
        let size = ack.event_ids.len() as u64;
        for (index, id) in ack.event_ids.iter().enumerate() {
            let event = by_id
                .get(id)
                .unwrap_or_else(|| panic!("acknowledged event {id} is lost ({ack:?})"));
            let index = index as u64;
            assert_eq!(event.position, ack.position - size + 1 + index, "{ack:?}");
            assert_eq!(
                event.stream_version,
                ack.stream_version - size + 1 + index,
                "{ack:?}"
            );
            assert_eq!(event.envelope.aggregate_id, ack.aggregate, "{ack:?}");
        }
    }

    // Reading by stream agrees with the log.
    for (aggregate_id, version) in &streams {
        let stream = store.read_stream(*aggregate_id, 1).await.unwrap();
        assert_eq!(stream.len() as u64, *version);
        for event in stream {
            assert_eq!(Some(&&event), by_id.get(&event.envelope.event_id));
        }
    }
    events.len()
}

/// SIGKILL at random points, [`RUNS`] times on one file; see the module documentation.
#[tokio::test]
async fn acknowledged_appends_survive_sigkill() {
    let seed = novel_events_tests::crash_test_seed("store_crash", SEED_ENV);
    let dir = novel_events_tests::unique_temp_dir("store-crash");
    let db = dir.join("events.db");
    let started = Instant::now();
    let mut acks: Vec<Ack> = Vec::new();
    let mut stored = 0;
    let mut unacknowledged = 0;
    let mut early_kills = 0;
    for run in 1..=RUNS {
        let mut rng = Rng::for_run(seed, run);
        // One run in six is killed without waiting for an append: while the store is being
        // created, migrated, opened, or in its first appends.
        let kill_after = if rng.below(6) == 0 {
            None
        } else {
            Some(1 + rng.below(MAX_ACKS))
        };
        let delay = match kill_after {
            None => Duration::from_micros(rng.below(30_000)),
            Some(_) => Duration::from_micros(rng.below(3_000)),
        };
        early_kills += usize::from(kill_after.is_none());
        let child = spawn_child(&db, run, rng.next_u64());
        let new_acks = run_and_kill(child, kill_after, delay);
        acks.extend(new_acks);
        let before = stored;
        stored = check_store(&db, &acks, &mut rng).await;
        assert!(stored >= before, "events disappeared: {before} -> {stored}");
        let acked: usize = acks.iter().map(|ack| ack.event_ids.len()).sum();
        // Committed but killed before the acknowledgement was printed: allowed.
        unacknowledged = stored - acked;
    }
    assert!(
        acks.len() as u64 >= RUNS,
        "too few appends to mean anything: {}",
        acks.len()
    );
    eprintln!(
        "store_crash: {RUNS} kills ({early_kills} before any acknowledgement), {} acknowledged appends, {stored} events stored ({unacknowledged} committed without acknowledgement), {:.1?}",
        acks.len(),
        started.elapsed()
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Several openers of one new file at once (threads here; each open is its own connection,
/// as in separate processes): every one gets the store. They used to race on the creation:
/// `table events already exists` (two ran the migration), a false "not a novel-events store"
/// (the version read before another's migration, its tables after), or `database is locked`
/// (switching to WAL while another held the write lock).
#[test]
fn openers_of_a_new_store_at_once_all_succeed() {
    const OPENERS: usize = 4;
    let dir = novel_events_tests::unique_temp_dir("store-open-race");
    for trial in 0..100 {
        let db = dir.join(format!("events-{trial}.db"));
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(OPENERS));
        let openers: Vec<_> = (0..OPENERS)
            .map(|_| {
                let (db, barrier) = (db.clone(), std::sync::Arc::clone(&barrier));
                std::thread::spawn(move || {
                    barrier.wait();
                    SqliteEventStore::<AnyEvent>::open(&db).map(drop)
                })
            })
            .collect();
        for opener in openers {
            if let Err(error) = opener.join().unwrap() {
                panic!("trial {trial}: an opener failed: {error}");
            }
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}
