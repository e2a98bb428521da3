//! The Novel Engine across processes (`examples/novel_engine_processes.rs`) on the real
//! servers: its `run-all` starts each service as an OS process and the summary shows each
//! event handled once across the two Memory Service instances, Story Engine's dead letter with
//! its reason, and the Campaign Manager's read model.
//!
//! The test compiles the example in as a module and re-executes its own binary to run only
//! [`child_service`], a no-op unless `NOVEL_ENGINE_SERVICE_ARGS` holds a service's arguments
//! (as `run-all` gives them to the example's binary). The servers are
//! `NOVEL_EVENTS_NATS_URL` and `NOVEL_EVENTS_POSTGRES_URL` (by default on 127.0.0.1).

#[allow(dead_code)]
#[path = "../examples/novel_engine_processes.rs"]
mod example;

use std::collections::BTreeMap;
use std::process::Command;

const ARGS_ENV: &str = "NOVEL_ENGINE_SERVICE_ARGS";

/// The child: one service of the example (a no-op in the parent's run).
#[test]
fn child_service() {
    let Ok(args) = std::env::var(ARGS_ENV) else {
        return;
    };
    let args: Vec<String> = args.split('\n').map(str::to_owned).collect();
    // The harness has printed `test child_service ... ` without a line end: the service's
    // lines start on lines of their own.
    println!();
    let (service, settings) = example::parse(&args).expect("the service's arguments");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime
        .block_on(example::run_service(service, &settings))
        .expect("the service runs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_all_handles_each_event_once_dead_letters_the_npc_and_projects_the_roster() {
    let settings = example::Settings::fresh();
    let program = std::env::current_exe().expect("the test binary");
    let summary = example::run_all(&settings, &|args| {
        let mut command = Command::new(&program);
        command
            .args([
                "--exact",
                "child_service",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(ARGS_ENV, args.join("\n"));
        command
    })
    .await
    .unwrap_or_else(|error| {
        panic!(
            "run-all failed ({error}); it needs PostgreSQL and nats-server with JetStream \
             (bash scripts/services.sh)"
        )
    });
    println!("{summary}");

    // Three characters, the protagonist's skill with them.
    assert_eq!(summary.appended.len(), 4, "{summary}");
    for id in &summary.appended {
        let handled_by = summary.memory.get(id).map_or(0, Vec::len);
        assert_eq!(
            handled_by, 1,
            "event {id} handled once across the instances"
        );
    }
    assert_eq!(summary.memory.len(), 4, "nothing else handled");
    let instances: std::collections::BTreeSet<&String> =
        summary.memory.values().flatten().collect();
    assert!(
        instances
            .iter()
            .all(|who| *who == "memory-service#1" || *who == "memory-service#2"),
        "{instances:?}"
    );

    assert_eq!(
        summary.stories.len(),
        2,
        "the protagonist and the antagonist"
    );
    assert_eq!(summary.dead_letters.len(), 1, "{summary}");
    let letter = &summary.dead_letters[0];
    assert_eq!(letter.subscriber, "story-engine");
    assert!(
        letter
            .error
            .contains("NPCs are not registered for narratives"),
        "{}",
        letter.error
    );
    let npc = letter.event_id.expect("the letter's eventId");
    assert!(summary.appended.contains(&npc));
    assert!(!summary.stories.contains(&npc));

    assert_eq!(summary.projected, 4, "the roster applied the whole log");
    assert_eq!(
        summary.roster,
        BTreeMap::from([
            ("antagonist".to_owned(), 1),
            ("npc".to_owned(), 1),
            ("protagonist".to_owned(), 1),
        ])
    );
}
