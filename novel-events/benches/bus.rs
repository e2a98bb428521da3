//! Event bus overhead (asynchronous publish-to-handle throughput, the immediate strategy), each
//! figure against a baseline measured in the same run; what each figure means and the results:
//! `docs/benchmarks.md`, "Event bus".
//!
//! `cargo bench -p novel-events --bench bus -- --warm-up-time 1 --measurement-time 5`

mod common;

use common::{fixtures, quartiles, rounds};

use std::future::{Ready, ready};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use novel_events::novel_engine::AnyEvent;
use novel_events::{
    Envelope, EventBus, Handler, HandlerResult, IdempotencyStore, InMemoryBus, InMemoryIdempotency,
    SubscriptionOptions, handler_fn, name_based_aggregate_id,
};
use tokio::runtime::Runtime;
use tokio::sync::{Notify, mpsc};
use uuid::Uuid;

/// Events per asynchronous run.
const EVENTS: usize = 10_000;
/// Queue capacity of the channel and of the subscriber's worker.
const CAPACITY: usize = 1024;
const _: () = assert!(CAPACITY == SubscriptionOptions::DEFAULT_QUEUE_CAPACITY);
const _: () = assert!(SubscriptionOptions::DEFAULT_WORKERS == 1);
/// Aggregates per fixture in the stream.
const AGGREGATES: usize = 40;
/// Worker threads of the multi-thread runtime.
const RUNTIME_WORKERS: usize = 2;
/// Events prepared at a time for the immediate benches.
const CHUNK: usize = 4096;

type Env = Envelope<AnyEvent>;

// --- the stream -----------------------------------------------------------------------------

/// The fixtures, decoded once, each in `AGGREGATES` variants with another aggregate id (and the
/// payload's id field to match, so that each variant still decodes).
fn templates() -> Vec<Env> {
    let fixtures = fixtures();
    let mut templates = Vec::with_capacity(AGGREGATES * fixtures.len());
    for k in 0..AGGREGATES {
        for (name, json) in &fixtures {
            templates.push(variant(name, json, k));
        }
    }
    let aggregates: std::collections::HashSet<Uuid> = templates
        .iter()
        .map(|envelope| envelope.aggregate_id)
        .collect();
    assert!(aggregates.len() >= 9 * AGGREGATES, "{}", aggregates.len());
    templates
}

/// Fixture `json` with its aggregate replaced by aggregate number `k` of the same kind.
fn variant(name: &str, json: &str, k: usize) -> Env {
    let original: Env =
        serde_json::from_str(json).unwrap_or_else(|error| panic!("{name}: {error}"));
    let old = original.aggregate_id;
    let new = Uuid::new_v5(&old, k.to_string().as_bytes());
    if let Ok(envelope) =
        serde_json::from_str::<Env>(&json.replace(&old.to_string(), &new.to_string()))
    {
        assert_eq!(envelope.aggregate_id, new, "{name}");
        return envelope;
    }
    // A name-based aggregate (SystemComponent: the id is derived from `payload.component`).
    let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
    let component = value["payload"]["component"]
        .as_str()
        .unwrap_or_else(|| panic!("{name}: no variant of its aggregate"));
    let component = format!("{component}-{k}");
    value["aggregateId"] = name_based_aggregate_id(&component).to_string().into();
    value["payload"]["component"] = component.into();
    serde_json::from_value(value).unwrap_or_else(|error| panic!("{name} #{k}: {error}"))
}

/// `count` owned envelopes cycling through the templates, with eventIds `(tag, 0..count)`.
fn stream(templates: &[Env], count: usize, tag: u64) -> Vec<Env> {
    templates
        .iter()
        .cycle()
        .take(count)
        .enumerate()
        .map(|(seq, template)| {
            let mut envelope = template.clone();
            envelope.event_id = Uuid::from_u64_pair(tag, seq as u64);
            envelope
        })
        .collect()
}

/// A tag never used before, so that eventIds are unique within the process.
fn fresh_tag() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

// --- the handler ----------------------------------------------------------------------------

/// What the handler does: counts, signals the last event, and (optionally) stamps the time.
struct Sink {
    handled: AtomicUsize,
    target: usize,
    all_handled: Notify,
    latency: Option<Latency>,
}

/// Publish and handle times (ns since `base`), indexed by the low half of the eventId.
struct Latency {
    base: Instant,
    published: Vec<AtomicU64>,
    handled: Vec<AtomicU64>,
}

impl Sink {
    fn new(target: usize, with_latency: bool) -> Arc<Self> {
        let stamps = || (0..target).map(|_| AtomicU64::new(0)).collect();
        Arc::new(Self {
            handled: AtomicUsize::new(0),
            target,
            all_handled: Notify::new(),
            latency: with_latency.then(|| Latency {
                base: Instant::now(),
                published: stamps(),
                handled: stamps(),
            }),
        })
    }

    fn record(&self, envelope: &Env) {
        if let Some(latency) = &self.latency {
            let (_, seq) = envelope.event_id.as_u64_pair();
            latency.handled[seq as usize].store(nanos_since(latency.base), Ordering::Relaxed);
        }
        if self.handled.fetch_add(1, Ordering::AcqRel) + 1 == self.target {
            self.all_handled.notify_one();
        }
    }

    fn publishing(&self, seq: usize) {
        if let Some(latency) = &self.latency {
            latency.published[seq].store(nanos_since(latency.base), Ordering::Relaxed);
        }
    }

    /// The publish-to-handle latencies (ns), sorted.
    fn latencies(&self) -> Vec<u64> {
        let latency = self.latency.as_ref().expect("a latency sink");
        let mut values: Vec<u64> = latency
            .published
            .iter()
            .zip(&latency.handled)
            .map(|(published, handled)| {
                handled.load(Ordering::Relaxed) - published.load(Ordering::Relaxed)
            })
            .collect();
        values.sort_unstable();
        values
    }
}

fn nanos_since(base: Instant) -> u64 {
    u64::try_from(base.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// The handler function: counts the event, which it gets as the bus's shared `Arc`.
fn counting(
    sink: Arc<Sink>,
) -> impl Fn(Arc<Env>) -> Ready<HandlerResult> + Clone + Send + Sync + 'static {
    move |envelope: Arc<Env>| {
        sink.record(&envelope);
        ready(Ok(()))
    }
}

/// The same counting on an owned envelope: the direct call's function, and (through
/// `handler_fn`) a handler that gets its own clone of every envelope.
fn counting_owned(
    sink: Arc<Sink>,
) -> impl Fn(Env) -> Ready<HandlerResult> + Clone + Send + Sync + 'static {
    move |envelope: Env| {
        sink.record(&envelope);
        ready(Ok(()))
    }
}

// --- 1. asynchronous strategy ---------------------------------------------------------------

/// One way of getting events from a producer task to a consumer.
#[derive(Debug, Clone, Copy)]
enum Way {
    /// A bounded mpsc channel of `CAPACITY` to one consumer task.
    Channel,
    /// An `InMemoryBus` with one asynchronous subscriber.
    Bus {
        idempotent: bool,
        /// The idempotency store starts at its full window (`DEFAULT_WINDOW` other eventIds of
        /// this subscriber), as on a bus that has been running for a while.
        full_window: bool,
        /// `handler_fn(counting_owned(..))` (a clone per delivery) instead of
        /// `handler_fn(counting(..))`.
        owned: bool,
        /// Workers of `CAPACITY` each; `None`: the defaults of
        /// `SubscriptionOptions::asynchronous` (one worker, a queue of `CAPACITY`).
        workers: Option<usize>,
    },
}

const ASYNC_WAYS: [(&str, Way); 6] = [
    ("raw_mpsc", Way::Channel),
    (
        "bus_idempotent",
        Way::Bus {
            idempotent: true,
            full_window: false,
            owned: false,
            workers: None,
        },
    ),
    (
        "bus_idempotent_full_window",
        Way::Bus {
            idempotent: true,
            full_window: true,
            owned: false,
            workers: Some(1),
        },
    ),
    (
        "bus_not_idempotent",
        Way::Bus {
            idempotent: false,
            full_window: false,
            owned: false,
            workers: Some(1),
        },
    ),
    (
        "bus_idempotent_owned_envelope",
        Way::Bus {
            idempotent: true,
            full_window: false,
            owned: true,
            workers: Some(1),
        },
    ),
    (
        "bus_4_workers",
        Way::Bus {
            idempotent: true,
            full_window: false,
            owned: false,
            workers: Some(4),
        },
    ),
];

enum Sender {
    Channel(mpsc::Sender<Arc<Env>>),
    Bus(InMemoryBus<AnyEvent>),
}

impl Sender {
    async fn send(&self, envelope: Env) {
        match self {
            Sender::Channel(sender) => sender.send(Arc::new(envelope)).await.unwrap(),
            Sender::Bus(bus) => bus.publish(envelope).await.unwrap(),
        }
    }
}

/// The producer: publishes every envelope, in order (waiting for each to be handled first if
/// `one_at_a_time`), and returns the emptied vector, so that freeing it is not timed.
async fn produce(
    sender: Sender,
    mut envelopes: Vec<Env>,
    sink: Arc<Sink>,
    one_at_a_time: bool,
) -> Vec<Env> {
    for (seq, envelope) in envelopes.drain(..).enumerate() {
        sink.publishing(seq);
        sender.send(envelope).await;
        if one_at_a_time {
            while sink.handled.load(Ordering::Acquire) <= seq {
                tokio::task::yield_now().await;
            }
        }
    }
    envelopes
}

/// Publishes `envelopes` one way; returns the time from the first publish until the handler
/// has seen the last one (setup and shutdown excluded).
fn run(
    runtime: &Runtime,
    way: Way,
    envelopes: Vec<Env>,
    sink: &Arc<Sink>,
    one_at_a_time: bool,
) -> Duration {
    assert_eq!(envelopes.len(), sink.target);
    runtime.block_on(async {
        let (sender, consumer) = match way {
            Way::Channel => {
                let (sender, mut receiver) = mpsc::channel::<Arc<Env>>(CAPACITY);
                let sink = Arc::clone(sink);
                let consumer = tokio::spawn(async move {
                    while let Some(envelope) = receiver.recv().await {
                        sink.record(&envelope);
                    }
                });
                (Sender::Channel(sender), Some(consumer))
            }
            Way::Bus {
                idempotent,
                full_window,
                owned,
                workers,
            } => {
                let store = InMemoryIdempotency::default();
                if full_window {
                    for seq in 0..InMemoryIdempotency::DEFAULT_WINDOW {
                        store.mark_handled("bench", Uuid::from_u64_pair(u64::MAX, seq as u64));
                    }
                }
                let bus = InMemoryBus::<AnyEvent>::with_idempotency(store);
                let mut options = SubscriptionOptions::asynchronous("bench");
                if let Some(workers) = workers {
                    options = options.with_queue(workers, CAPACITY);
                }
                if !idempotent {
                    options = options.not_idempotent();
                }
                let sink = Arc::clone(sink);
                if owned {
                    bus.subscribe(options, handler_fn(counting_owned(sink)))
                        .await
                        .unwrap();
                } else {
                    bus.subscribe(options, handler_fn(counting(sink)))
                        .await
                        .unwrap();
                }
                (Sender::Bus(bus), None)
            }
        };
        let bus = match &sender {
            Sender::Bus(bus) => Some(bus.clone()),
            Sender::Channel(_) => None,
        };
        let start = Instant::now();
        let producer = tokio::spawn(produce(sender, envelopes, Arc::clone(sink), one_at_a_time));
        tokio::time::timeout(Duration::from_secs(60), sink.all_handled.notified())
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "{way:?}: {} of {} events handled after 60 s",
                    sink.handled.load(Ordering::SeqCst),
                    sink.target
                )
            });
        let elapsed = start.elapsed();
        let emptied = producer.await.unwrap();
        drop(emptied);
        if let Some(consumer) = consumer {
            consumer.await.unwrap();
        }
        if let Some(bus) = bus {
            let report = bus.shutdown(Duration::from_secs(10)).await;
            assert_eq!(report.abandoned, 0);
        }
        elapsed
    })
}

/// One throughput run of `EVENTS` events.
fn throughput_run(runtime: &Runtime, way: Way, templates: &[Env]) -> Duration {
    let sink = Sink::new(EVENTS, false);
    run(runtime, way, stream(templates, EVENTS, 0), &sink, false)
}

fn bench_async(criterion: &mut Criterion, runtime: &Runtime, templates: &[Env]) {
    let mut group = criterion.benchmark_group("async_publish_to_handle");
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.sample_size(20);
    for (name, way) in ASYNC_WAYS {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| throughput_run(runtime, way, templates))
                    .sum()
            });
        });
    }
    group.finish();
}

// --- 2. immediate strategy ------------------------------------------------------------------

/// Times `each` on `iters` fresh envelopes (prepared in chunks, outside the timing).
fn chunked<F>(runtime: &Runtime, templates: &[Env], iters: u64, each: F) -> Duration
where
    F: AsyncFn(Env),
{
    let mut left = usize::try_from(iters).unwrap();
    let mut total = Duration::ZERO;
    while left > 0 {
        let count = left.min(CHUNK);
        let mut envelopes = stream(templates, count, fresh_tag());
        total += runtime.block_on(async {
            let start = Instant::now();
            for envelope in envelopes.drain(..) {
                each(envelope).await;
            }
            start.elapsed()
        });
        // Freeing the emptied vector is not timed.
        drop(envelopes);
        left -= count;
    }
    total
}

/// The ways of the immediate benchmark, and what they need.
struct Immediate {
    runtime: Runtime,
    sink: Arc<Sink>,
    idempotent: InMemoryBus<AnyEvent>,
    not_idempotent: InMemoryBus<AnyEvent>,
}

const IMMEDIATE_WAYS: [&str; 4] = [
    "direct_call",
    "handler_trait",
    "bus_idempotent",
    "bus_not_idempotent",
];

impl Immediate {
    fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let sink = Sink::new(usize::MAX, false);
        let _context = runtime.enter();
        let bus = |options: SubscriptionOptions| {
            let bus = InMemoryBus::<AnyEvent>::new();
            // The in-memory bus subscribes without waiting: its future is ready at once.
            futures_util::FutureExt::now_or_never(
                bus.subscribe(options, handler_fn(counting(Arc::clone(&sink)))),
            )
            .expect("the in-memory bus subscribes without waiting")
            .unwrap();
            bus
        };
        let idempotent = bus(SubscriptionOptions::immediate("bench"));
        let not_idempotent = bus(SubscriptionOptions::immediate("bench").not_idempotent());
        drop(_context);
        Self {
            runtime,
            sink,
            idempotent,
            not_idempotent,
        }
    }

    /// Handles `iters` events the way `name`; returns the time.
    fn time(&self, name: &str, templates: &[Env], iters: u64) -> Duration {
        let runtime = &self.runtime;
        match name {
            "direct_call" => {
                let handle = counting_owned(Arc::clone(&self.sink));
                chunked(runtime, templates, iters, async |envelope| {
                    handle(envelope).await.unwrap();
                })
            }
            "handler_trait" => {
                let handler = handler_fn(counting(Arc::clone(&self.sink)));
                chunked(runtime, templates, iters, async |envelope| {
                    Handler::<AnyEvent>::handle_shared(&handler, &Arc::new(envelope))
                        .await
                        .unwrap();
                })
            }
            "bus_idempotent" => chunked(runtime, templates, iters, async |envelope| {
                self.idempotent.publish(envelope).await.unwrap();
            }),
            "bus_not_idempotent" => chunked(runtime, templates, iters, async |envelope| {
                self.not_idempotent.publish(envelope).await.unwrap();
            }),
            other => unreachable!("{other}"),
        }
    }
}

fn bench_immediate(criterion: &mut Criterion, immediate: &Immediate, templates: &[Env]) {
    let mut group = criterion.benchmark_group("immediate");
    group.throughput(Throughput::Elements(1));
    for name in IMMEDIATE_WAYS {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| immediate.time(name, templates, iters));
        });
    }
    group.finish();
}

// --- interleaved rounds and latency ---------------------------------------------------------

/// Prints each way's rate and its time ratio to way 0, medians of the interleaved rounds.
fn print_rounds(names: &[&str], times: &[Vec<f64>], events: usize, unit: &str) {
    let events = events as f64;
    for (index, (name, samples)) in names.iter().zip(times).enumerate() {
        let (q1, mid, q3) = quartiles(samples.clone());
        let ratio: Vec<f64> = samples.iter().zip(&times[0]).map(|(x, y)| y / x).collect();
        let (r1, ratio, r3) = quartiles(ratio);
        let per = if unit == "ns" {
            format!("{:>8.1} ns/event", mid / events * 1e9)
        } else {
            format!("{:>10.0} events/s", events / mid)
        };
        let spread = format!("[{:.0} .. {:.0} events/s]", events / q3, events / q1);
        if index == 0 {
            println!("  {name:<38} {per}  {spread}  (baseline)");
        } else {
            println!(
                "  {name:<38} {per}  {spread}  throughput ratio to baseline {ratio:.3} [{r1:.3} .. {r3:.3}]"
            );
        }
    }
}

fn interleaved_async(runtime: &Runtime, flavour: &str, templates: &[Env], count: usize) {
    let names: Vec<&str> = ASYNC_WAYS.iter().map(|(name, _)| *name).collect();
    let times = rounds(ASYNC_WAYS.len(), count, |way| {
        throughput_run(runtime, ASYNC_WAYS[way].1, templates)
    });
    println!(
        "\nasynchronous, {flavour} runtime, interleaved: {count} rounds of {EVENTS} events per way (median [q1 .. q3])"
    );
    print_rounds(&names, &times, EVENTS, "events/s");
}

fn interleaved_immediate(immediate: &Immediate, templates: &[Env], count: usize) {
    const EVENTS_PER_ROUND: u64 = 20_000;
    let times = rounds(IMMEDIATE_WAYS.len(), count, |way| {
        immediate.time(IMMEDIATE_WAYS[way], templates, EVENTS_PER_ROUND)
    });
    println!(
        "\nimmediate, interleaved: {count} rounds of {EVENTS_PER_ROUND} events per way (median [q1 .. q3]); time ratio = 1 / throughput ratio"
    );
    print_rounds(&IMMEDIATE_WAYS, &times, EVENTS_PER_ROUND as usize, "ns");
}

/// p50 and p99 publish-to-handle latency of the asynchronous ways, median of `count` rounds.
fn latency(runtime: &Runtime, templates: &[Env], count: usize) {
    let ways: Vec<(&str, Way)> = ASYNC_WAYS[..4].to_vec();
    for (mode, events, one_at_a_time) in [
        ("flood (back to back, queue full)", 5_000, false),
        ("unloaded (one event in flight)", 2_000, true),
    ] {
        let mut p50 = vec![Vec::new(); ways.len()];
        let mut p99 = vec![Vec::new(); ways.len()];
        rounds(ways.len(), count, |way| {
            let sink = Sink::new(events, true);
            let elapsed = run(
                runtime,
                ways[way].1,
                stream(templates, events, 0),
                &sink,
                one_at_a_time,
            );
            let latencies = sink.latencies();
            p50[way].push(latencies[latencies.len() / 2] as f64);
            p99[way].push(latencies[latencies.len() * 99 / 100] as f64);
            elapsed
        });
        println!("\nlatency, {mode}: {events} events per run, median of {count} runs (p50 / p99)");
        for (index, (name, _)) in ways.iter().enumerate() {
            let (_, p50, _) = quartiles(p50[index].clone());
            let (_, p99, _) = quartiles(p99[index].clone());
            println!(
                "  {name:<38} p50 {:>9.1} us   p99 {:>9.1} us",
                p50 / 1e3,
                p99 / 1e3
            );
        }
    }
}

fn main() {
    let templates = templates();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(RUNTIME_WORKERS)
        .enable_time()
        .build()
        .unwrap();
    // Every way delivers every event (a run panics after 60 s otherwise).
    for (_, way) in ASYNC_WAYS {
        let sink = Sink::new(3 * templates.len(), false);
        run(
            &runtime,
            way,
            stream(&templates, sink.target, 0),
            &sink,
            false,
        );
    }
    let immediate = Immediate::new();
    for name in IMMEDIATE_WAYS {
        let before = immediate.sink.handled.load(Ordering::SeqCst);
        immediate.time(name, &templates, 100);
        assert_eq!(
            immediate.sink.handled.load(Ordering::SeqCst),
            before + 100,
            "{name}"
        );
    }

    let mut criterion = Criterion::default().configure_from_args();
    bench_async(&mut criterion, &runtime, &templates);
    bench_immediate(&mut criterion, &immediate, &templates);
    criterion.final_summary();
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|arg| arg == "--bench") && !args.iter().any(|arg| arg == "--profile-time") {
        interleaved_async(&runtime, "multi-thread (2 workers)", &templates, 21);
        // The same on one thread: no cross-thread hand-off, so the ratio is one of CPU time
        // per event (producer and consumer together), steadier on a busy machine.
        let current_thread = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        interleaved_async(&current_thread, "current-thread", &templates, 21);
        interleaved_immediate(&immediate, &templates, 21);
        latency(&runtime, &templates, 5);
    }
}
