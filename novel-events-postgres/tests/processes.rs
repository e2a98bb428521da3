//! Four processes appending to one PostgreSQL store at once, for a few seconds, while a
//! catch-up reader follows the log: positions are unique and contiguous, every acknowledged
//! append is stored, and the reader sees the whole log in order, no event skipped.
//!
//! The test re-executes its own binary to run only [`child_appender`], a no-op unless
//! `NOVEL_EVENTS_PG_APPENDER_SCHEMA` names the schema to append to. Each child appends one to
//! three events at a time to three aggregates of its own, with the expected version it knows,
//! until its time is up, printing `ACK <eventId>,...` after each acknowledged append.

mod common;

use std::collections::{HashMap, HashSet};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{TestSchema, root, skill, url, within};
use novel_events::novel_engine::AnyEvent;
use novel_events::{CatchUp, EventAppender, EventReader, ExpectedVersion, StoredEvent};
use novel_events_postgres::{PostgresEventStore, PostgresOptions};
use uuid::Uuid;

/// The schema a child appends to; unset in the parent.
const CHILD_ENV: &str = "NOVEL_EVENTS_PG_APPENDER_SCHEMA";
/// How long each child appends.
const APPEND_FOR: Duration = Duration::from_secs(3);
/// How many processes append at once.
const PROCESSES: usize = 4;

/// The child: appends until its time is up (a no-op in the parent's run).
#[test]
fn child_appender() {
    let Ok(schema) = std::env::var(CHILD_ENV) else {
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
        let aggregates = [Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4()];
        let mut versions = [0_u64; 3];
        let deadline = Instant::now() + APPEND_FOR;
        let mut round = 0_usize;
        while Instant::now() < deadline {
            let which = round % 3;
            let aggregate = aggregates[which];
            let count = round % 3 + 1;
            let events: Vec<_> = (0..count)
                .map(|level| root(skill(aggregate, level as i64)))
                .collect();
            let ids: Vec<String> = events.iter().map(|e| e.event_id.to_string()).collect();
            let expected = match versions[which] {
                0 => ExpectedVersion::NoStream,
                version => ExpectedVersion::Exactly(version),
            };
            store
                .append(aggregate, expected, events)
                .await
                .expect("a child's append (its own aggregates: no conflict)");
            versions[which] += count as u64;
            println!("ACK {}", ids.join(","));
            round += 1;
        }
    });
}

/// Every event of the log, paged.
async fn whole_log(store: &PostgresEventStore<AnyEvent>) -> Vec<StoredEvent<AnyEvent>> {
    let mut log = Vec::new();
    loop {
        let after = log
            .last()
            .map_or(0, |event: &StoredEvent<AnyEvent>| event.position);
        let page = store.read_all(after, 1000).await.expect("read_all");
        if page.is_empty() {
            return log;
        }
        log.extend(page);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_append_at_once_and_readers_skip_nothing() {
    let schema = TestSchema::new().await;
    let store = schema.open::<AnyEvent>().await;

    // A reader following the log from the start while the children append.
    let mut reader = CatchUp::new(store.clone(), 0);
    let (stop, mut stopped) = tokio::sync::watch::channel(0_u64);
    let following = tokio::spawn(async move {
        let mut seen: Vec<(u64, Uuid)> = Vec::new();
        loop {
            let target = *stopped.borrow_and_update();
            if target > 0 && seen.last().is_some_and(|(position, _)| *position >= target) {
                return seen;
            }
            tokio::select! {
                event = reader.next() => {
                    let event = event.expect("the reader reads");
                    seen.push((event.position, event.envelope.event_id));
                }
                _ = stopped.changed() => {}
            }
        }
    });

    let executable = std::env::current_exe().expect("the test binary");
    let children: Vec<_> = (0..PROCESSES)
        .map(|_| {
            Command::new(&executable)
                .args([
                    "--exact",
                    "child_appender",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(CHILD_ENV, &schema.name)
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("a child starts")
        })
        .collect();
    let outputs = tokio::task::spawn_blocking(move || {
        children
            .into_iter()
            .map(|child| child.wait_with_output().expect("a child ends"))
            .collect::<Vec<_>>()
    })
    .await
    .expect("joins");

    let mut acknowledged = HashSet::new();
    for output in &outputs {
        assert!(
            output.status.success(),
            "a child failed: {:?}",
            output.status
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        let mut appends = 0;
        // The harness's `test child_appender ... ` may begin the first line.
        for ids in stdout
            .lines()
            .filter_map(|line| line.split_once("ACK ").map(|(_, ids)| ids))
        {
            appends += 1;
            for id in ids.split(',') {
                assert!(acknowledged.insert(Uuid::parse_str(id).expect("an eventId")));
            }
        }
        assert!(appends > 0, "every child appended in its {APPEND_FOR:?}");
    }

    // The log: positions 1..=N without gaps or repeats, exactly the acknowledged events,
    // each stream's versions 1..=n in log order.
    let log = whole_log(&store).await;
    let positions: Vec<u64> = log.iter().map(|event| event.position).collect();
    assert_eq!(positions, (1..=log.len() as u64).collect::<Vec<_>>());
    let stored: HashSet<Uuid> = log.iter().map(|event| event.envelope.event_id).collect();
    assert_eq!(stored.len(), log.len(), "eventIds are unique");
    let unacknowledged = stored.difference(&acknowledged).count();
    let lost = acknowledged.difference(&stored).count();
    assert_eq!(
        (unacknowledged, lost),
        (0, 0),
        "the log holds exactly the acknowledged events"
    );
    let mut streams: HashMap<Uuid, u64> = HashMap::new();
    for event in &log {
        let version = streams.entry(event.envelope.aggregate_id).or_default();
        *version += 1;
        assert_eq!(
            event.stream_version, *version,
            "stream versions in log order"
        );
    }
    assert_eq!(streams.len(), PROCESSES * 3);
    assert_eq!(
        store.last_position().await.expect("last_position"),
        log.len() as u64
    );

    // The reader that followed the appends live saw the same log, in order: none skipped.
    stop.send(log.len() as u64).expect("the reader runs");
    let seen = within("the reader catches up", following)
        .await
        .expect("joins");
    let expected: Vec<(u64, Uuid)> = log
        .iter()
        .map(|event| (event.position, event.envelope.event_id))
        .collect();
    assert_eq!(seen, expected);
    eprintln!(
        "{PROCESSES} processes appended {} events in {APPEND_FOR:?}",
        log.len()
    );
}
