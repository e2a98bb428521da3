//! The macro's work on synthetic catalogs of 100 and 1,000 events, measured separately:
//! `parse_catalog` (YAML parsing and validation) and `generate` (the Rust tokens).
//!
//! The catalogs come from `examples/synthetic_catalog.rs`. Throughput is in events per second,
//! so linear growth shows as equal throughput at both sizes. After criterion, when run by
//! `cargo bench` (`--bench`), the bench times both sizes in interleaved rounds and prints the
//! per-event cost at each size and their ratio (1.0 = linear).
//!
//! `cargo bench -p novel-events-codegen --bench expand -- --warm-up-time 1 --measurement-time 5`

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use novel_events_codegen::{Catalog, Options, generate, parse_catalog};

#[allow(dead_code)]
#[path = "../examples/synthetic_catalog.rs"]
mod synthetic;

const SIZES: [usize; 2] = [100, 1_000];

fn parse(source: &str) -> Catalog {
    parse_catalog(source, "synthetic.yaml").unwrap_or_else(|diagnostics| {
        for diagnostic in &diagnostics {
            eprintln!("error: {diagnostic}");
        }
        panic!("the synthetic catalog is invalid");
    })
}

/// Generates, and counts the tokens so that nothing is optimized away.
fn expand(catalog: &Catalog, options: &Options) -> usize {
    let tokens = generate(catalog, options);
    black_box(tokens).into_iter().count()
}

fn bench(c: &mut Criterion, inputs: &[(usize, String, Catalog)]) {
    let options = Options::default();
    let mut group = c.benchmark_group("expand");
    group.sample_size(20);
    for (events, source, catalog) in inputs {
        group.throughput(Throughput::Elements(*events as u64));
        group.bench_function(format!("parse_validate/{events}"), |b| {
            b.iter(|| parse(black_box(source)))
        });
        group.bench_function(format!("generate/{events}"), |b| {
            b.iter(|| expand(black_box(catalog), &options))
        });
        group.bench_function(format!("parse_and_generate/{events}"), |b| {
            b.iter(|| expand(&parse(black_box(source)), &options))
        });
    }
    group.finish();
}

/// Every token of a stream, inside groups too (a group counts as its two delimiters).
fn count_tokens(tokens: proc_macro2::TokenStream) -> usize {
    tokens
        .into_iter()
        .map(|tree| match tree {
            proc_macro2::TokenTree::Group(group) => 2 + count_tokens(group.stream()),
            _ => 1,
        })
        .sum()
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// This thread's time on a CPU and time spent runnable but waiting for one, from
/// `/proc/thread-self/schedstat` (Linux); `None` elsewhere.
fn schedstat() -> Option<(Duration, Duration)> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut fields = text
        .split_whitespace()
        .map(|field| field.parse::<u64>().ok());
    let running = fields.next()??;
    let waiting = fields.next()??;
    Some((Duration::from_nanos(running), Duration::from_nanos(waiting)))
}

/// Wall-clock, on-CPU and waiting time of one call.
fn timed<T>(f: impl FnOnce() -> T) -> (T, [Duration; 3]) {
    let before = schedstat();
    let start = Instant::now();
    let value = f();
    let wall = start.elapsed();
    let (cpu, wait) = match (before, schedstat()) {
        (Some((cpu0, wait0)), Some((cpu1, wait1))) => (cpu1 - cpu0, wait1 - wait0),
        _ => (wall, Duration::ZERO),
    };
    (value, [wall, cpu, wait])
}

/// Per-event cost at each size, from rounds that alternate the sizes.
fn interleaved(inputs: &[(usize, String, Catalog)], rounds: usize) {
    let options = Options::default();
    // [size][wall, cpu, wait][round]
    let mut parse_times = vec![[Vec::new(), Vec::new(), Vec::new()]; inputs.len()];
    let mut generate_times = parse_times.clone();
    for round in 0..rounds + 1 {
        for (index, (_, source, _)) in inputs.iter().enumerate() {
            let (catalog, parsed) = timed(|| parse(source));
            let (_, generated) = timed(|| expand(&catalog, &options));
            if round > 0 {
                for kind in 0..3 {
                    parse_times[index][kind].push(parsed[kind]);
                    generate_times[index][kind].push(generated[kind]);
                }
            }
        }
    }
    println!(
        "\ninterleaved: {rounds} rounds, medians; wall-clock (on-CPU time of this thread, time waiting for a CPU)"
    );
    let ms = |duration: Duration| duration.as_secs_f64() * 1e3;
    let mut per_event = Vec::new();
    for (index, (events, source, catalog)) in inputs.iter().enumerate() {
        let parse = parse_times[index].clone().map(median);
        let generate = generate_times[index].clone().map(median);
        let tokens = count_tokens(novel_events_codegen::generate(catalog, &options));
        let n = *events as f64;
        println!(
            "  {events:>5} events: {:>7} bytes of YAML, {tokens:>8} tokens ({} per event)",
            source.len(),
            tokens / events,
        );
        println!(
            "        parse+validate {:>8.1} ms ({:.1} cpu, {:.1} waiting) = {:.1} us/event",
            ms(parse[0]),
            ms(parse[1]),
            ms(parse[2]),
            parse[0].as_secs_f64() / n * 1e6,
        );
        println!(
            "        generate       {:>8.1} ms ({:.1} cpu, {:.1} waiting) = {:.1} us/event",
            ms(generate[0]),
            ms(generate[1]),
            ms(generate[2]),
            generate[0].as_secs_f64() / n * 1e6,
        );
        println!(
            "        total          {:>8.1} ms ({:.1} cpu)",
            ms(parse[0] + generate[0]),
            ms(parse[1] + generate[1]),
        );
        per_event.push((
            parse[0].as_secs_f64() / n,
            generate[0].as_secs_f64() / n,
            parse[1].as_secs_f64() / n,
            generate[1].as_secs_f64() / n,
        ));
    }
    if let [small, large] = per_event[..] {
        println!(
            "  per-event cost at {} / at {} events: parse+validate x{:.2} (cpu x{:.2}), generate x{:.2} (cpu x{:.2}); 1.00 = linear",
            inputs[1].0,
            inputs[0].0,
            large.0 / small.0,
            large.2 / small.2,
            large.1 / small.1,
            large.3 / small.3,
        );
    }
}

/// `source` with every event in three versions: 1.0.0 as generated, 1.1.0 adding an optional
/// field, 1.2.0 adding a defaulted one too (backward and forward compatible steps, so the
/// catalog's evolution check compares every field of every pair and finds nothing wrong).
fn three_versions(source: &str) -> String {
    const EVENT: &str = "\n      - name: ";
    let mut parts = source.split(EVENT);
    let mut out = parts.next().unwrap_or_default().to_owned();
    for chunk in parts {
        // The last event of a domain runs into the next domain's header: that goes once, after
        // the three versions.
        let end = chunk
            .match_indices("\n  ")
            .find(|(at, _)| !chunk[at + 3..].starts_with(' '))
            .map_or(chunk.len(), |(at, _)| at);
        let (event, next_domain) = chunk.split_at(end);
        out.push_str(EVENT);
        out.push_str(event);
        for (version, added) in [
            ("1.1.0", "          tag: string?\n"),
            (
                "1.2.0",
                "          tag: string?\n          channel: { type: string, default: web }\n",
            ),
        ] {
            let newer = event
                .replacen(
                    "eventVersion: \"1.0.0\"",
                    &format!("eventVersion: \"{version}\""),
                    1,
                )
                .replacen(
                    "          note: string?\n",
                    &format!("          note: string?\n{added}"),
                    1,
                );
            out.push_str(EVENT);
            out.push_str(&newer);
        }
        out.push_str(next_domain);
    }
    out
}

/// The cost of the evolution checks at compile time: `parse_catalog` of the 1,000-event
/// catalog in three versions each, with the default mode (every consecutive pair compared)
/// against the same catalog under `compatibilityMode: none` (nothing compared), interleaved.
fn evolution_cost(rounds: usize) {
    let checked = three_versions(&synthetic::synthetic_catalog(1_000));
    let unchecked = checked.replacen("domains:\n", "compatibilityMode: none\ndomains:\n", 1);
    assert_eq!(parse(&checked).events().count(), 3_000);
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        with.push(timed(|| parse(&checked)).1[1]);
        without.push(timed(|| parse(&unchecked)).1[1]);
    }
    let (with, without) = (median(with), median(without));
    println!(
        "\nevolution checks, 1,000 events x 3 versions ({} KB of YAML), parse_catalog on-CPU median of {rounds}: \
         {:.1} ms checked (backward), {:.1} ms with compatibilityMode none: the checks cost {:.1} ms ({:.2}x)",
        checked.len() / 1024,
        with.as_secs_f64() * 1e3,
        without.as_secs_f64() * 1e3,
        (with.as_secs_f64() - without.as_secs_f64()) * 1e3,
        with.as_secs_f64() / without.as_secs_f64(),
    );
}

fn main() {
    let inputs: Vec<(usize, String, Catalog)> = SIZES
        .iter()
        .map(|&events| {
            let source = synthetic::synthetic_catalog(events);
            let catalog = parse(&source);
            assert_eq!(catalog.events().count(), events);
            (events, source, catalog)
        })
        .collect();
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion, &inputs);
    criterion.final_summary();
    if std::env::args().any(|arg| arg == "--bench") {
        interleaved(&inputs, 15);
        evolution_cost(9);
    }
}
