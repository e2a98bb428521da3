//! Our PostgreSQL store against postgres-es (cqrs-es), the same work on the same server in
//! the same run: each benchmark has an `ours` and a `postgres_es` side (see the crate's
//! documentation for what makes them comparable, and `docs/benchmarks.md`, "Against
//! postgres-es", for the figures).
//!
//! - `append_new`: one event to a new aggregate (ours `append` with `NoStream`; theirs
//!   `EventStore::commit` at sequence 0).
//! - `append_existing`: one event to an aggregate of one event, expecting its version (ours
//!   `Exactly(1)`; theirs `commit` at sequence 1). Each iteration gets a fresh aggregate,
//!   seeded untimed.
//! - `append_batch`: ten events to a new aggregate in one append / one commit.
//! - `append_new_4_writers`: `append_new` from four tasks at once (a pool of five
//!   connections each side).
//! - `execute_new`, `execute_existing`: one command that decides one event, through
//!   `Repository::execute` / `CqrsFramework::execute_with_metadata` (load, handle, append).
//! - `read/<n>`: the events of one aggregate of 10, 100 and 1,000 events, decoded (ours
//!   `read_stream`; theirs `load_events`).
//! - `load/<n>`: the same aggregate's state, its events applied (ours `Repository::load`;
//!   theirs `load_aggregate`), snapshots off.
//!
//! Before measuring, each side shows it refuses an append at a stale version, and that its
//! reads return every event appended, so that both do the work compared.
//!
//! `cargo bench --manifest-path benches/postgres-es/Cargo.toml` (NOVEL_EVENTS_POSTGRES_URL, by
//! default `postgres://postgres@127.0.0.1:5432/test`). Criterion's options follow `--`; the
//! defaults here are a warm-up of 1 s, 3 s of measurement and 30 samples, flat sampling.

use std::future::Future;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, Criterion, SamplingMode, Throughput};
use novel_events::{AppendOutcome, StoreError};
use novel_events_bench_postgres_es::ours::{self, Ours};
use novel_events_bench_postgres_es::theirs::{TheirError, Theirs};
use tokio::runtime::Runtime;
use uuid::Uuid;

/// Concurrent writers in `append_new_4_writers`.
const WRITERS: usize = 4;
/// Events per append in `append_batch`.
const BATCH: usize = 10;
/// The sizes of the aggregates read and loaded.
const AGGREGATES: [usize; 3] = [10, 100, 1_000];

/// Both sides can refuse a stale append and read back what they appended.
async fn check(ours: &Ours, theirs: &Theirs) {
    let character = ours.seed(3).await.expect("our seed");
    assert!(
        matches!(
            ours.append(character, 2, 1).await,
            Err(StoreError::Conflict { .. })
        ),
        "our store took an append at a stale version"
    );
    assert_eq!(ours.read(character).await.expect("our read"), 3);
    assert_eq!(ours.load(character).await.expect("our load"), 3);
    ours.execute(character).await.expect("our command");
    assert_eq!(ours.load(character).await.expect("our load"), 4);

    let character = theirs.seed(3).await.expect("their seed");
    assert!(
        matches!(
            theirs.append(character, 2, 1).await,
            Err(TheirError::Store(_))
        ),
        "postgres-es took an append at a stale sequence"
    );
    assert_eq!(theirs.read(character).await.expect("their read"), 3);
    assert_eq!(theirs.load(character).await.expect("their load"), 3);
    theirs.execute(character).await.expect("their command");
    assert_eq!(theirs.load(character).await.expect("their load"), 4);
}

/// `iterations` runs of `work` spread over `WRITERS` concurrent tasks.
async fn concurrently<F, W>(iterations: u64, work: W) -> Duration
where
    W: Fn() -> F + Clone + Send + 'static,
    F: Future<Output = ()> + Send,
{
    let started = Instant::now();
    let per_writer = iterations.div_ceil(WRITERS as u64);
    let writers: Vec<_> = (0..WRITERS)
        .map(|_| {
            let work = work.clone();
            tokio::spawn(async move {
                for _ in 0..per_writer {
                    work().await;
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.expect("no writer panics");
    }
    started.elapsed()
}

fn appended(outcome: Result<AppendOutcome, StoreError>) {
    assert!(
        matches!(outcome, Ok(AppendOutcome::Appended { .. })),
        "our append: {outcome:?}"
    );
}

fn bench_appends(
    group: &mut BenchmarkGroup<'_, WallTime>,
    runtime: &Runtime,
    ours: &Ours,
    theirs: &Theirs,
    count: usize,
) {
    group.bench_function("ours", |bench| {
        bench.iter(|| appended(runtime.block_on(ours.append(Uuid::now_v7(), 0, count))));
    });
    group.bench_function("postgres_es", |bench| {
        bench.iter(|| {
            runtime
                .block_on(theirs.append(Uuid::now_v7(), 0, count))
                .expect("their commit")
        });
    });
}

fn main() {
    let runtime = Runtime::new().expect("a tokio runtime");
    let connections = WRITERS as u32 + 1;
    let ours = runtime.block_on(Ours::open(connections)).expect(
        "our store on the server (NOVEL_EVENTS_POSTGRES_URL, by default \
         postgres://postgres@127.0.0.1:5432/test)",
    );
    let leftovers = runtime
        .block_on(ours::drop_leftovers(&ours))
        .expect("the leftovers of an earlier run dropped");
    if leftovers > 0 {
        eprintln!("dropped {leftovers} schemas an interrupted run left");
    }
    let theirs = runtime
        .block_on(Theirs::open(connections))
        .expect("postgres-es's tables on the server");
    runtime.block_on(check(&ours, &theirs));

    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
        .configure_from_args();

    // Reads first, while both tables hold the same rows: the aggregates below, and `check`'s.
    let ours_ids: Vec<Uuid> = AGGREGATES
        .iter()
        .map(|&n| runtime.block_on(ours.seed(n as u64)).expect("our seed"))
        .collect();
    let their_ids: Vec<Uuid> = AGGREGATES
        .iter()
        .map(|&n| runtime.block_on(theirs.seed(n)).expect("their seed"))
        .collect();
    for (what, applied) in [("read", false), ("load", true)] {
        for ((&n, &our_id), &their_id) in AGGREGATES.iter().zip(&ours_ids).zip(&their_ids) {
            let mut group = criterion.benchmark_group(format!("{what}/{n}_events"));
            group.sampling_mode(SamplingMode::Flat);
            group.throughput(Throughput::Elements(n as u64));
            group.bench_function("ours", |bench| {
                bench.iter(|| {
                    let got = if applied {
                        runtime.block_on(ours.load(our_id)).expect("our load")
                    } else {
                        runtime.block_on(ours.read(our_id)).expect("our read") as u64
                    };
                    assert_eq!(got, n as u64);
                });
            });
            group.bench_function("postgres_es", |bench| {
                bench.iter(|| {
                    let got = if applied {
                        runtime.block_on(theirs.load(their_id)).expect("their load")
                    } else {
                        runtime.block_on(theirs.read(their_id)).expect("their read") as u64
                    };
                    assert_eq!(got, n as u64);
                });
            });
            group.finish();
        }
    }

    let mut group = criterion.benchmark_group("append_new");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(1));
    bench_appends(&mut group, &runtime, &ours, &theirs, 1);
    group.finish();

    let mut group = criterion.benchmark_group("append_batch");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(BATCH as u64));
    bench_appends(&mut group, &runtime, &ours, &theirs, BATCH);
    group.finish();

    let mut group = criterion.benchmark_group("append_existing");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(1));
    group.bench_function("ours", |bench| {
        bench.iter_batched(
            || runtime.block_on(ours.seed(1)).expect("our seed"),
            |character| appended(runtime.block_on(ours.append(character, 1, 1))),
            BatchSize::SmallInput,
        );
    });
    group.bench_function("postgres_es", |bench| {
        bench.iter_batched(
            || runtime.block_on(theirs.seed(1)).expect("their seed"),
            |character| {
                runtime
                    .block_on(theirs.append(character, 1, 1))
                    .expect("their commit")
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();

    let mut group = criterion.benchmark_group("execute_new");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(1));
    group.bench_function("ours", |bench| {
        bench.iter(|| {
            runtime
                .block_on(ours.execute(Uuid::now_v7()))
                .expect("our command")
        });
    });
    group.bench_function("postgres_es", |bench| {
        bench.iter(|| {
            runtime
                .block_on(theirs.execute(Uuid::now_v7()))
                .expect("their command")
        });
    });
    group.finish();

    let mut group = criterion.benchmark_group("execute_existing");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(1));
    group.bench_function("ours", |bench| {
        bench.iter_batched(
            || runtime.block_on(ours.seed(1)).expect("our seed"),
            |character| {
                runtime
                    .block_on(ours.execute(character))
                    .expect("our command")
            },
            BatchSize::SmallInput,
        );
    });
    group.bench_function("postgres_es", |bench| {
        bench.iter_batched(
            || runtime.block_on(theirs.seed(1)).expect("their seed"),
            |character| {
                runtime
                    .block_on(theirs.execute(character))
                    .expect("their command")
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();

    let ours = std::sync::Arc::new(ours);
    let theirs = std::sync::Arc::new(theirs);
    let mut group = criterion.benchmark_group("append_new_4_writers");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(1));
    group.bench_function("ours", |bench| {
        bench.iter_custom(|iterations| {
            let ours = ours.clone();
            runtime.block_on(concurrently(iterations, move || {
                let ours = ours.clone();
                async move { appended(ours.append(Uuid::now_v7(), 0, 1).await) }
            }))
        });
    });
    group.bench_function("postgres_es", |bench| {
        bench.iter_custom(|iterations| {
            let theirs = theirs.clone();
            runtime.block_on(concurrently(iterations, move || {
                let theirs = theirs.clone();
                async move {
                    theirs
                        .append(Uuid::now_v7(), 0, 1)
                        .await
                        .expect("their commit");
                }
            }))
        });
    });
    group.finish();

    criterion.final_summary();
    runtime.block_on(async {
        ours.drop_schema().await.expect("our schema dropped");
        theirs.drop_schema().await.expect("their schema dropped");
    });
}
