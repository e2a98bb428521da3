//! `novel-events validate`'s core against the baseline: the same JSON Lines decoded
//! with `serde_json::from_str::<serde_json::Value>` in a plain loop. Figures and what they
//! mean: `docs/benchmarks.md`, "The novel-events command: validate".
//!
//! `cargo bench -p novel-events-cli --bench validate -- --warm-up-time 1 --measurement-time 5`

#[path = "../../novel-events/benches/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::io;
use std::time::Instant;

use criterion::{Criterion, Throughput};
use novel_events::Envelope;
use novel_events::catalog::DynamicPayload;
use novel_events::novel_engine::AnyEvent;
use novel_events_cli::envelopes::{Report, check_envelope, validate_stream};
use novel_events_cli::format::Format;
use novel_events_cli::loaded::Loaded;
use novel_events_cli::{catalog_file, loaded, metadata};

/// How many times the 26 fixtures are repeated in the stream.
const REPEAT: usize = 400;

/// The stream: the 26 Novel Engine fixtures, compact, one per line, repeated.
fn stream() -> String {
    let lines: Vec<String> = common::fixtures()
        .iter()
        .map(|(_, json)| {
            serde_json::from_str::<serde_json::Value>(json)
                .expect("a fixture is JSON")
                .to_string()
        })
        .collect();
    let mut stream = String::new();
    for _ in 0..REPEAT {
        for line in &lines {
            stream.push_str(line);
            stream.push('\n');
        }
    }
    stream
}

/// `novel-events validate` on the stream, its report written nowhere: the valid count.
fn validate(stream: &str) -> u64 {
    let mut report = Report::new(io::sink(), Format::Human, "bench");
    let summary = validate_stream(stream.as_bytes(), 1 << 24, &mut report).expect("in memory");
    black_box(summary.valid)
}

/// The baseline: each line parsed into a `serde_json::Value` in a plain loop.
fn value(stream: &str) -> u64 {
    stream
        .lines()
        .filter(|line| black_box(serde_json::from_str::<serde_json::Value>(line)).is_ok())
        .count() as u64
}

/// For reference: each line decoded keeping its payload (`DynamicPayload`, for the runtime).
fn dynamic(stream: &str) -> u64 {
    stream
        .lines()
        .filter(|line| {
            black_box(serde_json::from_str::<Envelope<DynamicPayload<Loaded>>>(
                line,
            ))
            .is_ok()
        })
        .count() as u64
}

/// For reference: each line decoded by the catalog's generated code (`Envelope<AnyEvent>`).
fn generated(stream: &str) -> u64 {
    stream
        .lines()
        .filter(|line| black_box(serde_json::from_str::<Envelope<AnyEvent>>(line)).is_ok())
        .count() as u64
}

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../novel-events/catalog/novel-engine.yaml"
    );
    let catalog = catalog_file::load(path.as_ref()).expect("the Novel Engine catalog is valid");
    loaded::install(metadata::catalog_info(&catalog)).expect("one catalog");
    let stream = stream();
    let lines = stream.lines().count() as u64;
    for line in stream.lines().take(26) {
        check_envelope(line.as_bytes()).expect("every fixture is valid");
    }
    type Way = (&'static str, fn(&str) -> u64);
    let ways: [Way; 4] = [
        ("validate (Envelope<CheckedPayload>)", validate),
        ("serde_json::Value (baseline)", value),
        ("Envelope<AnyEvent> (generated)", generated),
        ("Envelope<DynamicPayload> (kept)", dynamic),
    ];
    for (name, way) in ways {
        assert_eq!(way(&stream), lines, "{name} accepts every line");
    }

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("validate");
    group.throughput(Throughput::Elements(lines));
    for (name, way) in ways {
        group.bench_function(name, |b| b.iter(|| way(&stream)));
    }
    group.finish();
    criterion.final_summary();

    if std::env::args().any(|arg| arg == "--bench") {
        const ROUNDS: usize = 30;
        let times = common::rounds(ways.len(), ROUNDS, |index| {
            let start = Instant::now();
            black_box(ways[index].1(&stream));
            start.elapsed()
        });
        println!(
            "\ninterleaved: {ROUNDS} rounds of {lines} lines per way, wall-clock (median [q1 .. q3])"
        );
        for ((name, _), samples) in ways.iter().zip(&times) {
            let (q1, mid, q3) = common::quartiles(samples.clone());
            println!(
                "  {name:<38} {:>9.0} lines/s  [{:.0} .. {:.0}]",
                lines as f64 / mid,
                lines as f64 / q3,
                lines as f64 / q1
            );
        }
        for (label, a, b) in [
            ("validate / Value", 0, 1),
            ("validate / generated", 0, 2),
            ("kept / Value", 3, 1),
        ] {
            let ratios = times[b].iter().zip(&times[a]).map(|(x, y)| x / y).collect();
            let (q1, mid, q3) = common::quartiles(ratios);
            println!("  throughput ratio {label:<22} = {mid:.3}  [{q1:.3} .. {q3:.3}]");
        }
    }
}
