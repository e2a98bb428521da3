//! The embedded demo (`novel-events/examples/novel_engine.rs`) tells its story without the
//! source open: what each service did, the retry with its delay, the dead letter and why, the
//! correlation tree, the read model replayed on the second run and why nothing is published
//! again, plain grammar.
//!
//! The test compiles the demo in and re-executes its own binary to run [`demo_child`], a no-op
//! unless `NOVEL_EVENTS_DEMO_CHILD` is set, so that the demo's output is a process's stdout.

#[allow(dead_code)]
#[path = "../novel-events/examples/novel_engine.rs"]
mod demo;

use std::process::Command;

const CHILD_ENV: &str = "NOVEL_EVENTS_DEMO_CHILD";

/// The demo itself (a no-op in the parent's run).
#[test]
fn demo_child() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    println!();
    let arguments: Vec<String> = std::env::var("NOVEL_EVENTS_DEMO_ARGS")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(demo::run(arguments.into_iter()))
        .expect("the demo runs");
}

fn run(store: &std::path::Path, args: &[&str]) -> String {
    let output = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--exact", "demo_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, "1")
        .env("NOVEL_ENGINE_DEMO_DB", store)
        .env("NOVEL_EVENTS_DEMO_ARGS", args.join(" "))
        .output()
        .expect("the demo's process");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(output.status.success(), "the demo failed: {stdout}");
    stdout
}

#[test]
fn the_demo_explains_itself_and_replays_on_its_second_run() {
    let scratch = novel_events_tests::scratch::Scratch::new("demo");
    let store = scratch.path("demo.db");

    let first = run(&store, &[]);
    for expected in [
        "(0 events from earlier runs)",
        "What the services did",
        "Memory Service: storing Mira Vale's memory timed out (attempt 1, code network-timeout); the bus retries in 50 ms",
        "Memory Service: remembered Mira Vale being created",
        "Story Engine: refused \"An Empty Stage\"",
        "after 1 attempt: permanent failure: a story needs at least one character (not retried: the error is permanent)",
        "Correlation tree of the story flow",
        "narratives.story.generated",
        "JSON Schema (draft 2020-12) of characters.character.created 1.0.0",
    ] {
        assert!(
            first.contains(expected),
            "missing `{expected}` in:\n{first}"
        );
    }
    assert!(!first.contains("(s)"), "plain grammar:\n{first}");
    assert!(
        !first.contains("Replay:"),
        "nothing to replay on the first run"
    );

    let second = run(&store, &[]);
    for expected in [
        "(12 events from earlier runs)",
        "Replay: the roster read model, rebuilt from the 12 stored events",
        "2 characters, 1 story, 1 campaign",
        "Outbox: 0 events stored by earlier runs but not yet published (each was published in its run, so nothing is sent again)",
    ] {
        assert!(
            second.contains(expected),
            "missing `{expected}` in:\n{second}"
        );
    }
}
