//! A server restart while publishing and consuming: the client reconnects, the consumers pull
//! again, and every acknowledged publish is delivered. The test runs its own nats-server
//! (never the shared one), on a free port with a store directory of its own.

use novel_events::EventBus as _;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use novel_events::SubscriptionOptions;
use novel_events_nats::Outage;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::support;

/// The nats-server binary: `NOVEL_EVENTS_NATS_SERVER`, by default `/usr/sbin/nats-server`.
fn binary() -> PathBuf {
    std::env::var_os("NOVEL_EVENTS_NATS_SERVER")
        .map_or_else(|| PathBuf::from("/usr/sbin/nats-server"), PathBuf::from)
}

/// Starts a server with JetStream on `port`, storing in `dir`; returns once it is ready.
async fn start(port: u16, dir: &Path) -> Child {
    let mut child = Command::new(binary())
        .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|error| {
            panic!(
                "cannot start {} ({error}): install nats-server (Debian's package `nats-server`) or set NOVEL_EVENTS_NATS_SERVER",
                binary().display()
            )
        });
    let mut lines = BufReader::new(child.stderr.take().expect("piped")).lines();
    let (ready, mut is_ready) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        // Reads the log to its end, so that the server never blocks on a full pipe.
        while let Ok(Some(line)) = lines.next_line().await {
            if line.contains("Server is ready") {
                let _ = ready.send(());
            }
        }
    });
    support::next(&mut is_ready, "nats-server to be ready").await;
    child
}

/// Stops a server gracefully (SIGTERM) and waits for it to exit.
async fn stop(child: &mut Child) {
    let pid = child.id().expect("running");
    let status = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .await
        .unwrap();
    assert!(status.success());
    tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("nats-server stops within 10 s")
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_publish_is_delivered_across_a_server_restart() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = std::env::temp_dir().join(format!("novel-events-nats-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut server = start(port, &dir).await;

    let catalog = support::catalog();
    let options = support::options().with_outage(Outage::Wait(Duration::from_secs(15)));
    let options = novel_events_nats::BusOptions {
        ack_timeout: Duration::from_millis(500),
        ..options
    };
    let url = format!("nats://127.0.0.1:{port}");
    let bus: support::Bus = novel_events_nats::JetStreamBus::connect(&url, &catalog, options)
        .await
        .unwrap_or_else(|error| panic!("{}", support::how_to_start(&url, &error)));
    let (handler, mut received) = support::recorder();
    bus.subscribe(SubscriptionOptions::asynchronous("ledger"), handler)
        .await
        .unwrap();

    let (acked, mut acknowledged) = mpsc::unbounded_channel();
    let publisher = bus.clone();
    let publishing = tokio::spawn(async move {
        let mut failures = Vec::new();
        for level in 0..120 {
            let event = support::skill(Uuid::new_v4(), level);
            let id = event.event_id;
            match publisher.publish(event).await {
                Ok(()) => {
                    let _ = acked.send(id);
                }
                Err(error) => failures.push(error.to_string()),
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        failures
    });

    let mut published = HashSet::new();
    for _ in 0..30 {
        published.insert(support::next(&mut acknowledged, "an acknowledged publish").await);
    }
    stop(&mut server).await;
    // While the server is down, a publish that does not wait fails, and says why.
    let refused = bus
        .try_publish(support::skill(Uuid::new_v4(), 0))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, novel_events::PublishError::Unavailable { .. }),
        "{refused}"
    );
    let mut server = start(port, &dir).await;

    let failures = tokio::time::timeout(Duration::from_secs(20), publishing)
        .await
        .expect("publishing ends")
        .unwrap();
    assert!(
        failures.is_empty(),
        "publishes wait out the outage: {failures:?}"
    );
    while let Ok(id) = acknowledged.try_recv() {
        published.insert(id);
    }
    assert_eq!(published.len(), 120);
    let mut handled = HashSet::new();
    while !published.is_subset(&handled) {
        handled.insert(
            support::next(&mut received, "every acknowledged event")
                .await
                .event_id,
        );
    }
    bus.shutdown(Duration::from_secs(2)).await;
    stop(&mut server).await;
    let _ = std::fs::remove_dir_all(&dir);
}
