//! Event store throughput and latency (append, replay, load an aggregate), each figure against
//! raw SQLite measured in the same run; what each figure means and the results:
//! `docs/benchmarks.md`, "Event store".
//!
//! `cargo bench -p novel-events --bench store -- --warm-up-time 1 --measurement-time 3`
//! (`-- none` runs only the interleaved report; `STORE_BENCH_REPORT=appends` or `=reads` prints
//! only those figures, and `appends` builds none of the read benches' stores)

mod append;
#[path = "../common/mod.rs"]
mod common;
mod databases;
mod events;
mod reads;
mod rounds;

pub(crate) use append::*;
pub(crate) use databases::*;
pub(crate) use events::*;
pub(crate) use reads::*;
pub(crate) use rounds::*;

use common::{fixtures, quartiles, rounds};

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use novel_events::novel_engine::AnyEvent;
use novel_events::{
    AppendOutcome, CatchUp, Durability, Envelope, EventAppender, EventReader, ExpectedVersion,
    SqliteEventStore, StoreOptions, name_based_aggregate_id,
};
use rusqlite::{Connection, TransactionBehavior, params};
use tokio::runtime::Runtime;
use uuid::Uuid;

pub(crate) type Env = Envelope<AnyEvent>;
pub(crate) type Store = SqliteEventStore<AnyEvent>;

/// Events of the big store.
pub(crate) const BIG: u64 = 1_000_000;
/// Events of the small store.
pub(crate) const SMALL: u64 = 1_000;
/// Events of the stores aggregates are loaded from: the small one (built through `append`),
/// two middle ones and the big one (built with raw INSERTs, cached).
pub(crate) const SIZES: [u64; 4] = [SMALL, 10_000, 100_000, BIG];
/// Events per aggregate in both.
pub(crate) const STREAM: u64 = 10;
/// Events replayed.
pub(crate) const REPLAY_EVENTS: u64 = 100_000;
/// Events of one batch append.
pub(crate) const BATCH: usize = 100;
/// Aggregates per fixture in the append workloads.
pub(crate) const AGGREGATES: usize = 8;
/// Changes when the big store's contents would change, so that a stale cache is rebuilt.
pub(crate) const BIG_STORE_FORMAT: u32 = 2;

/// The statement the store appends with (`sqlite_store.rs`), for the raw INSERTs.
pub(crate) const INSERT: &str = "INSERT INTO events (stream_key, position, event_id, aggregate_id, aggregate_type, stream_version,
                                         event_type, event_version, correlation_id, causation_id, timestamp, envelope)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
/// A new stream's row (the store inserts `aggregate_id` and reads the slot SQLite gives it).
pub(crate) const INSERT_STREAM: &str = "INSERT INTO streams (slot, aggregate_id) VALUES (?1, ?2)";
/// The query of `read_all`, for the raw replay.
pub(crate) const SELECT_PAGE: &str = "SELECT position, stream_version, event_id, event_type, event_version, envelope FROM events WHERE position > ?1 ORDER BY position LIMIT ?2";
/// `read_stream`'s query without the store's memory of stream slots, for the raw loads: the
/// stream's slot from `streams`, then its rowid range.
pub(crate) const SELECT_STREAM: &str =
    "SELECT events.position, events.stream_version, events.event_id, events.event_type,
                                  events.event_version, events.envelope
                           FROM streams JOIN events
                             ON events.stream_key >= (streams.slot << 32) + ?2
                            AND events.stream_key < (streams.slot + 1) << 32
                           WHERE streams.aggregate_id = ?1
                           ORDER BY events.stream_key";

fn main() {
    let fixtures = fixtures();
    let templates = aggregates(&fixtures, (AGGREGATES * fixtures.len()) as u64);
    // Store calls run in tasks of a multi-thread runtime, as in an application's
    // `#[tokio::main]`; the current-thread runtime is for the interleaved append figures.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let current_thread = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let args: Vec<String> = std::env::args().collect();
    let report =
        args.iter().any(|arg| arg == "--bench") && !args.iter().any(|arg| arg == "--profile-time");
    // STORE_BENCH_REPORT=appends or =reads prints only those figures; `appends` also builds
    // none of the stores the reads need (the largest is 1.83 GB), and runs no read bench.
    let only = std::env::var("STORE_BENCH_REPORT").unwrap_or_default();
    let read_sizes: &[u64] = if only == "appends" { &[] } else { &SIZES };

    let stores = Stores {
        sizes: read_sizes
            .iter()
            .map(|&events| {
                let path = if events == SMALL {
                    small_store(&runtime, &fixtures)
                } else {
                    big_store(&fixtures, events)
                };
                let aggregates: Arc<[Uuid]> = aggregate_ids(&path, events).into();
                assert_eq!(aggregates.len() as u64, events / STREAM);
                Sized {
                    events,
                    store: Store::open_with(&path, options(Durability::ProcessCrash)).unwrap(),
                    path,
                    aggregates,
                }
            })
            .collect(),
    };

    let mut criterion = Criterion::default().configure_from_args();
    bench_append(&mut criterion, &runtime, &templates);
    if !read_sizes.is_empty() {
        bench_reads(&mut criterion, &runtime, &stores);
    }
    criterion.final_summary();
    if report {
        let rounds = 7;
        println!(
            "\nstore, interleaved: {rounds} rounds per figure (median [q1 .. q3] of the per-round ratio store/raw throughput); {} cores, load average {}",
            std::thread::available_parallelism().map_or(0, usize::from),
            std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .trim(),
        );
        if only != "reads" {
            interleaved_append(&runtime, &current_thread, &templates, rounds);
        }
        if only != "appends" {
            interleaved_reads(&runtime, &stores, rounds);
        }
    }
}
