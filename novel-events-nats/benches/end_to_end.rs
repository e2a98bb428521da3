//! The JetStream bus end to end (publish with the stream's ack, pull, decode, handle,
//! acknowledge) against raw async-nats doing the same on the same server in the same run:
//! a stream of its own, a durable pull consumer, each message published with its
//! `Nats-Msg-Id` and awaited ack, pulled, decoded into `Envelope<AnyEvent>` and acknowledged
//! with a confirmed ack (`double_ack`, as the bus does).
//!
//! Throughput: a burst of events published one after the other, timed until the handler saw
//! the last. The bus runs twice: with idempotency off (the same work as raw) and on (the
//! default: each event claimed in the idempotency stream before its handler runs and marked
//! after, two more round trips). Latency: 1,000 events one at a time, each from publish to
//! its handler, p50 and p99 for each side (printed after criterion's figures).
//!
//! Needs nats-server with JetStream at `NOVEL_EVENTS_NATS_URL` (default
//! `nats://127.0.0.1:4222`); each run uses streams of its own, deleted at the end.
//!
//! `cargo bench -p novel-events-nats --bench end_to_end -- --warm-up-time 1 --measurement-time 5`

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_nats::jetstream::{self, consumer, stream};
use criterion::{Criterion, Throughput};
use futures_util::StreamExt;
use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::CharacterDeleted;
use novel_events::{Envelope, EventBus, HandlerResult, SubscriptionOptions, handler_fn};
use novel_events_nats::{BusOptions, JetStreamBus};
use tokio::runtime::Runtime;
use tokio::sync::Notify;
use uuid::Uuid;

type Env = Envelope<AnyEvent>;

/// Events of one throughput burst.
const BURST: u64 = 500;
/// Events of the latency runs.
const LATENCY_EVENTS: usize = 1_000;

fn url() -> String {
    std::env::var("NOVEL_EVENTS_NATS_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".to_owned())
}

fn event() -> Env {
    Envelope::new(
        AnyEvent::from(CharacterDeleted {
            character_id: Uuid::new_v4(),
            name: "Oren".into(),
            deletion_reason: "retired".into(),
            deleted_by: Uuid::new_v4(),
        }),
        "bench",
    )
}

/// How many events a side's handler has seen, and a wake-up for each.
#[derive(Default)]
struct Seen {
    count: AtomicU64,
    notify: Notify,
}

impl Seen {
    fn saw(&self) {
        self.count.fetch_add(1, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    async fn until(&self, target: u64) {
        loop {
            let notified = self.notify.notified();
            if self.count.load(Ordering::SeqCst) >= target {
                return;
            }
            notified.await;
        }
    }
}

/// One side of the comparison: publishes an event and counts what its consumer handled.
enum Side {
    Bus {
        bus: JetStreamBus<AnyEvent>,
        seen: Arc<Seen>,
    },
    Raw {
        jetstream: Box<jetstream::Context>,
        subject: String,
        stream: String,
        seen: Arc<Seen>,
    },
}

impl Side {
    async fn bus(idempotent: bool) -> Self {
        let catalog = format!("bench{}", Uuid::new_v4().simple());
        let bus = JetStreamBus::connect(&url(), &catalog, BusOptions::default())
            .await
            .expect("nats-server with JetStream: start it with `bash scripts/services.sh`");
        let seen = Arc::new(Seen::default());
        let counted = Arc::clone(&seen);
        let mut options = SubscriptionOptions::asynchronous("bench-consumer");
        options.idempotent = idempotent;
        bus.subscribe(
            options,
            handler_fn(move |envelope: Arc<Env>| {
                std::hint::black_box(&envelope);
                counted.saw();
                async { HandlerResult::Ok(()) }
            }),
        )
        .await
        .expect("subscribed");
        Side::Bus { bus, seen }
    }

    async fn raw() -> Self {
        let client = async_nats::connect(url()).await.expect("nats-server");
        let jetstream = jetstream::new(client);
        let stream = format!("raw{}", Uuid::new_v4().simple());
        let subject = format!("{stream}.characters.character.deleted");
        let created = jetstream
            .get_or_create_stream(stream::Config {
                name: stream.clone(),
                subjects: vec![format!("{stream}.>")],
                storage: stream::StorageType::File,
                duplicate_window: Duration::from_secs(120),
                ..stream::Config::default()
            })
            .await
            .expect("a stream");
        let consumer: consumer::PullConsumer = created
            .get_or_create_consumer(
                "bench-consumer",
                consumer::pull::Config {
                    durable_name: Some("bench-consumer".into()),
                    ack_policy: consumer::AckPolicy::Explicit,
                    ..consumer::pull::Config::default()
                },
            )
            .await
            .expect("a consumer");
        let seen = Arc::new(Seen::default());
        let counted = Arc::clone(&seen);
        tokio::spawn(async move {
            let mut messages = consumer.messages().await.expect("pulling");
            while let Some(Ok(message)) = messages.next().await {
                let envelope: Env = serde_json::from_slice(&message.payload).expect("an envelope");
                std::hint::black_box(&envelope);
                counted.saw();
                message.double_ack().await.expect("acknowledged");
            }
        });
        Side::Raw {
            jetstream: Box::new(jetstream),
            subject,
            stream,
            seen,
        }
    }

    fn seen(&self) -> &Seen {
        match self {
            Side::Bus { seen, .. } | Side::Raw { seen, .. } => seen,
        }
    }

    async fn publish(&self, envelope: Env) {
        match self {
            Side::Bus { bus, .. } => bus.publish(envelope).await.expect("published"),
            Side::Raw {
                jetstream, subject, ..
            } => {
                let mut headers = async_nats::HeaderMap::new();
                headers.insert(
                    async_nats::header::NATS_MESSAGE_ID,
                    envelope.event_id.to_string().as_str(),
                );
                let payload = serde_json::to_vec(&envelope).expect("JSON");
                jetstream
                    .publish_with_headers(subject.clone(), headers, payload.into())
                    .await
                    .expect("published")
                    .await
                    .expect("acknowledged by the stream");
            }
        }
    }

    /// Publishes `events` one after the other and waits until the handler saw the last.
    async fn burst(&self, events: u64) -> Duration {
        let target = self.seen().count.load(Ordering::SeqCst) + events;
        let started = Instant::now();
        for _ in 0..events {
            self.publish(event()).await;
        }
        self.seen().until(target).await;
        started.elapsed()
    }

    /// Publish-to-handler latency of `events` events sent one at a time.
    async fn latencies(&self, events: usize) -> Vec<Duration> {
        let mut latencies = Vec::with_capacity(events);
        for _ in 0..events {
            let target = self.seen().count.load(Ordering::SeqCst) + 1;
            let started = Instant::now();
            self.publish(event()).await;
            self.seen().until(target).await;
            latencies.push(started.elapsed());
        }
        latencies
    }

    async fn clean_up(self) {
        match self {
            Side::Bus { bus, .. } => {
                bus.shutdown(Duration::from_secs(1)).await;
                let jetstream = jetstream::new(bus.client().clone());
                let names: Vec<String> = jetstream
                    .stream_names()
                    .filter_map(|name| async move { name.ok() })
                    .collect()
                    .await;
                let catalog = bus.catalog().to_owned();
                for name in names.into_iter().filter(|name| name.starts_with(&catalog)) {
                    let _ = jetstream.delete_stream(name).await;
                }
            }
            Side::Raw {
                jetstream, stream, ..
            } => {
                let _ = jetstream.delete_stream(stream).await;
            }
        }
    }
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() {
    let runtime = Runtime::new().expect("a runtime");
    let sides = runtime.block_on(async {
        [
            ("raw async-nats", Side::raw().await),
            ("bus", Side::bus(false).await),
            ("bus, idempotent", Side::bus(true).await),
        ]
    });
    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("jetstream end to end");
    group.throughput(Throughput::Elements(BURST));
    group.sample_size(10);
    for (name, side) in &sides {
        group.bench_function(*name, |bencher| {
            bencher.iter_custom(|iterations| {
                runtime.block_on(async {
                    let mut total = Duration::ZERO;
                    for _ in 0..iterations {
                        total += side.burst(BURST).await;
                    }
                    total
                })
            });
        });
    }
    group.finish();
    criterion.final_summary();

    println!("\npublish-to-handler latency, {LATENCY_EVENTS} events one at a time:");
    for (name, side) in &sides {
        let mut latencies = runtime.block_on(side.latencies(LATENCY_EVENTS));
        latencies.sort();
        println!(
            "  {name:<16} p50 {:>8.1?}  p99 {:>8.1?}",
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.99)
        );
    }
    runtime.block_on(async {
        for (_, side) in sides {
            side.clean_up().await;
        }
    });
}
