//! SIGKILL of one of two instances of a subscriber, as OS processes, while it holds
//! unacknowledged events: the other instance handles them, and every event's effect happens
//! exactly once (none lost, none twice).
//!
//! The test re-executes its own binary to run [`sigkill_instance`], a no-op unless
//! `NOVEL_EVENTS_SIGKILL_INSTANCE` holds the catalog and the effects file. That instance
//! records an effect (a line with the eventId, appended to the file) for each event it handles,
//! and hangs in its third handler call, as a process does that is about to be killed. The
//! parent kills it there, with SIGKILL, while a second instance (in the parent) runs.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use novel_events::{EventBus as _, HandlerResult, SubscriptionOptions, handler_fn};
use novel_events_nats::BusOptions;
use uuid::Uuid;

use crate::support::{self, Env};

const INSTANCE_ENV: &str = "NOVEL_EVENTS_SIGKILL_INSTANCE";
const SUBSCRIBER: &str = "archiver";

fn options() -> BusOptions {
    BusOptions {
        ack_wait: Duration::from_secs(2),
        ..support::options()
    }
}

/// Appends the effect of handling `envelope`: one line, in one write (`O_APPEND`), so that
/// the two processes' lines never mix.
fn record_effect(file: &Path, envelope: &Env) {
    let mut effects = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .expect("the effects file");
    effects
        .write_all(format!("{}\n", envelope.event_id).as_bytes())
        .expect("an effect recorded");
}

/// The instance to be killed (a no-op in the parent's run).
#[test]
fn sigkill_instance() {
    let Ok(spec) = std::env::var(INSTANCE_ENV) else {
        return;
    };
    let (catalog, effects) = spec.split_once('\n').expect("catalog and effects file");
    let effects = PathBuf::from(effects);
    println!();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let bus = support::bus(catalog, options()).await;
        let calls = Arc::new(AtomicUsize::new(0));
        bus.subscribe(
            SubscriptionOptions::asynchronous(SUBSCRIBER),
            handler_fn(move |envelope: Arc<Env>| {
                let call = calls.fetch_add(1, Ordering::SeqCst) + 1;
                let effects = effects.clone();
                async move {
                    if call == 3 {
                        println!("hanging on {}", envelope.event_id);
                        std::future::pending::<()>().await;
                    }
                    record_effect(&effects, &envelope);
                    println!("handled {}", envelope.event_id);
                    HandlerResult::Ok(())
                }
            }),
        )
        .await
        .expect("subscribed");
        println!("ready");
        std::future::pending::<()>().await;
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_instance_leaves_its_events_to_the_other_each_effect_once() {
    let catalog = support::catalog();
    let scratch = std::env::temp_dir().join(format!("novel-events-sigkill-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&scratch).expect("a scratch directory");
    let effects = scratch.join("effects");
    std::fs::write(&effects, "").expect("an empty effects file");

    let publisher = support::bus(&catalog, options()).await;
    // Published once the first instance has subscribed (its durable consumer, which the
    // second instance shares, then exists).
    let published: Vec<Env> = (0..20).map(|_| support::deleted(Uuid::new_v4())).collect();

    let mut child = Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "--exact",
            "sigkill::sigkill_instance",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(INSTANCE_ENV, format!("{catalog}\n{}", effects.display()))
        .stdout(Stdio::piped())
        .spawn()
        .expect("the instance to kill");
    let mut lines = BufReader::new(child.stdout.take().expect("its output")).lines();
    let wait_for = |lines: &mut std::io::Lines<BufReader<std::process::ChildStdout>>,
                    prefix: &str| {
        for line in lines.by_ref() {
            let line = line.expect("a line");
            if line.starts_with(prefix) {
                return line;
            }
        }
        panic!("the instance ended before printing `{prefix}`")
    };
    let wait = tokio::task::spawn_blocking(move || {
        wait_for(&mut lines, "ready");
        lines
    });
    let mut lines = tokio::time::timeout(Duration::from_secs(60), wait)
        .await
        .expect("the instance subscribed")
        .expect("no panic");

    for envelope in &published {
        publisher
            .publish(envelope.clone())
            .await
            .expect("published");
    }
    let hanging = tokio::task::spawn_blocking(move || wait_for(&mut lines, "hanging on"));
    let hanging = tokio::time::timeout(Duration::from_secs(60), hanging)
        .await
        .expect("the instance took events and hangs in one")
        .expect("no panic");

    // The second instance, then the kill of the first mid-handler.
    let second = support::bus(&catalog, options()).await;
    let effects_of_second = effects.clone();
    second
        .subscribe(
            SubscriptionOptions::asynchronous(SUBSCRIBER),
            handler_fn(move |envelope: Arc<Env>| {
                record_effect(&effects_of_second, &envelope);
                async { HandlerResult::Ok(()) }
            }),
        )
        .await
        .expect("the second instance subscribed");
    child.kill().expect("SIGKILL");
    child.wait().expect("the killed instance reaped");

    let read = |path: &Path| -> Vec<String> {
        std::fs::read_to_string(path)
            .expect("the effects")
            .lines()
            .map(str::to_owned)
            .collect()
    };
    let mut expected: Vec<String> = published.iter().map(|e| e.event_id.to_string()).collect();
    expected.sort();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let mut seen = read(&effects);
        seen.sort();
        seen.dedup();
        if seen == expected {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "not every event was handled after the kill: {} of {} ({hanging})",
            seen.len(),
            expected.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Past two ack waits more, nothing is handled again.
    tokio::time::sleep(options().ack_wait * 2 + Duration::from_secs(1)).await;
    let mut effects_seen = read(&effects);
    effects_seen.sort();
    assert_eq!(effects_seen, expected, "each event's effect exactly once");

    support::clean_up(&second, &catalog).await;
    publisher.shutdown(Duration::from_secs(1)).await;
    let _ = std::fs::remove_dir_all(&scratch);
}
