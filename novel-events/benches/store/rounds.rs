//! Interleaved rounds of every measure, store and raw alternating, and the printed report.

use super::*;

/// The median round trip of an empty `spawn_blocking`, the hop every store call makes to run
/// SQLite off the async threads.
pub(crate) fn blocking_hop(runtime: &Runtime) -> Duration {
    runtime.block_on(async {
        let mut times = Vec::with_capacity(2_000);
        for _ in 0..2_000 {
            let started = Instant::now();
            tokio::task::spawn_blocking(|| ()).await.unwrap();
            times.push(started.elapsed());
        }
        times.sort();
        times[times.len() / 2]
    })
}

/// The median time of an empty `block_in_place` in a task of a multi-thread runtime, the
/// store's way there.
pub(crate) fn in_place_hop(runtime: &Runtime) -> Duration {
    run(runtime, async {
        let mut times = Vec::with_capacity(2_000);
        for _ in 0..2_000 {
            let started = Instant::now();
            tokio::task::block_in_place(|| ());
            times.push(started.elapsed());
            tokio::task::yield_now().await;
        }
        times.sort();
        times[times.len() / 2]
    })
}

/// The interleaved append figures, on the multi-thread runtime (the store works in place)
/// and on the current-thread one (the store hops to the blocking pool).
pub(crate) fn interleaved_append(
    multi_thread: &Runtime,
    current_thread: &Runtime,
    templates: &[Env],
    count: usize,
) {
    println!(
        "  spawn_blocking round trip (median, current-thread runtime): {:.1?}; block_in_place in a task (median, multi-thread runtime): {:.1?}",
        blocking_hop(current_thread),
        in_place_hop(multi_thread),
    );
    for (runtime_name, runtime) in [
        ("multi-thread", multi_thread),
        ("current-thread", current_thread),
    ] {
        println!("  {runtime_name} runtime:");
        interleaved_append_on(runtime, templates, count);
    }
}

pub(crate) fn interleaved_append_on(runtime: &Runtime, templates: &[Env], count: usize) {
    for (mode, durability) in APPEND_CASES {
        let events = round_events(mode, durability);
        let appends = events / mode.per_append();
        let mut times: [Vec<f64>; APPEND_WAYS] = Default::default();
        for round in 0..=count {
            let measured = time_paired(
                runtime,
                durability,
                Workload::new(templates, appends, mode.per_append()),
            );
            if round > 0 {
                for (way, time) in measured.iter().enumerate() {
                    times[way].push(time.as_secs_f64());
                }
            }
        }
        let events = events as f64;
        let [raw, serializing, pooled, store] =
            [0, 1, 2, 3].map(|way| quartiles(times[way].clone()).1 / events * 1e6);
        // The median of the per-round throughput ratios store / way.
        let ratio = |baseline: usize| {
            let ratios: Vec<f64> = times[baseline]
                .iter()
                .zip(&times[3])
                .map(|(baseline, store)| baseline / store)
                .collect();
            quartiles(ratios)
        };
        let (r1, ratio_raw, r3) = ratio(0);
        println!(
            "  append {:<14} {:<14} us/event: raw {raw:>7.1}  raw+serialize {serializing:>7.1}  raw on the blocking pool {pooled:>7.1}  store {store:>7.1} ({:>6.0} events/s)",
            mode.name(),
            durability_name(durability),
            1e6 / store,
        );
        println!(
            "  {:<37} store/raw {ratio_raw:.3} [{r1:.3} .. {r3:.3}] {}   store/raw+serialize {:.3}   store/raw on the blocking pool {:.3}",
            "",
            if ratio_raw >= 0.7 {
                "(target 0.7 met)"
            } else {
                "(target 0.7 MISSED)"
            },
            ratio(1).1,
            ratio(2).1,
        );
    }
}

pub(crate) fn interleaved_reads(runtime: &Runtime, stores: &Stores, count: usize) {
    let raw = raw_connection(&stores.big().path, Durability::ProcessCrash);
    for page in [1000, CatchUp::<Store, AnyEvent>::BATCH] {
        let times = rounds(2, count, |way| {
            if way == 0 {
                time_raw_replay(&raw, REPLAY_EVENTS, page)
            } else {
                time_replay(runtime, &stores.big().store, REPLAY_EVENTS, page)
            }
        });
        let (_, raw, _) = quartiles(times[0].clone());
        let (_, store, _) = quartiles(times[1].clone());
        let ratios: Vec<f64> = times[0]
            .iter()
            .zip(&times[1])
            .map(|(raw, store)| raw / store)
            .collect();
        let (r1, ratio, r3) = quartiles(ratios);
        let events = REPLAY_EVENTS as f64;
        println!(
            "  replay {REPLAY_EVENTS} events, pages of {page:<5} read_all {:>8.0} events/s ({:.2} s)   raw SELECT + from_str {:>8.0} events/s   ratio {ratio:.3} [{r1:.3} .. {r3:.3}]",
            events / store,
            store,
            events / raw,
        );
    }

    const LOADS: usize = 2_000;
    // Per store of `SIZES`, three ways: through the store, by a raw SELECT + `from_str`, and by
    // the raw SELECT alone (SQLite's share). Way 3k + w is way w on the store `SIZES[k]`.
    const WAYS: [&str; 3] = ["read_stream", "raw SELECT + from_str", "raw SELECT alone"];
    let raws: Vec<Connection> = stores
        .sizes
        .iter()
        .map(|sized| raw_connection(&sized.path, Durability::ProcessCrash))
        .collect();
    // The steady state of a process that has been serving loads: every aggregate loaded once
    // (the store then knows every stream's slot, and every page of the files is mapped).
    let started = Instant::now();
    for (sized, raw) in stores.sizes.iter().zip(&raws) {
        let store = sized.store.clone();
        let aggregates = Arc::clone(&sized.aggregates);
        run(runtime, async move {
            for aggregate in aggregates.iter() {
                std::hint::black_box(store.read_stream(*aggregate, 1).await.unwrap());
            }
        });
        let mut statement = raw.prepare_cached(SELECT_STREAM).unwrap();
        for aggregate in sized.aggregates.iter() {
            let mut rows = statement.query(params![aggregate.to_string(), 1]).unwrap();
            while rows.next().unwrap().is_some() {}
        }
    }
    println!(
        "  loads, after loading every aggregate of each store once ({:.1?}):",
        started.elapsed()
    );
    let ways = WAYS.len() * stores.sizes.len();
    let mut seed = 7;
    let mut samples = vec![Vec::new(); ways];
    let mut faults = vec![0u64; ways];
    rounds(ways, count, |way| {
        let sized = &stores.sizes[way / WAYS.len()];
        let faults_before = minor_faults();
        let times = match way % WAYS.len() {
            0 => time_loads(runtime, &sized.store, &sized.aggregates, LOADS, &mut seed),
            w => time_raw_loads(
                &raws[way / WAYS.len()],
                &sized.aggregates,
                LOADS,
                &mut seed,
                w == 1,
            ),
        };
        faults[way] += minor_faults() - faults_before;
        let total = times.iter().sum();
        samples[way].extend(times.into_iter().map(|time| time.as_secs_f64()));
        total
    });
    let mut medians = vec![0.0; ways];
    for (way, values) in samples.iter_mut().enumerate() {
        values.sort_by(f64::total_cmp);
        let n = values.len();
        medians[way] = values[n / 2];
        println!(
            "  load a 10-event aggregate, {:<22} store of {:>9} events: median {:>6.1} us   p99 {:>7.1} us   minor page faults {:>5.2} per load   ({n} loads)",
            WAYS[way % WAYS.len()],
            stores.sizes[way / WAYS.len()].events,
            values[n / 2] * 1e6,
            values[n * 99 / 100] * 1e6,
            faults[way] as f64 / n as f64,
        );
    }
    for (w, name) in WAYS.iter().enumerate() {
        let ratios: Vec<String> = stores.sizes[1..]
            .iter()
            .enumerate()
            .map(|(k, sized)| {
                format!(
                    "{}: {:.2} (+{:.1} us)",
                    sized.events,
                    medians[WAYS.len() * (k + 1) + w] / medians[w],
                    (medians[WAYS.len() * (k + 1) + w] - medians[w]) * 1e6
                )
            })
            .collect();
        println!(
            "  load time / the store of {SMALL} events, {name}: {}",
            ratios.join(", ")
        );
    }
    let raw = &raws[raws.len() - 1];
    for (name, query, parameters) in [
        ("read_stream's slot lookup", SELECT_SLOT, params!["x"]),
        ("read_stream's rows", SELECT_RANGE, params![1, 2]),
        ("the raw loads", SELECT_STREAM, params!["x", 1]),
    ] {
        let plan: Vec<String> = raw
            .prepare(&format!("EXPLAIN QUERY PLAN {query}"))
            .unwrap()
            .query_map(parameters, |row| row.get(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        println!("  plan of {name}: {}", plan.join("; "));
    }
}

/// The minor page faults of this process so far (`/proc/self/stat`; 0 where there is none).
pub(crate) fn minor_faults() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's closing parenthesis, from the third (`state`); `minflt`
    // is the tenth.
    stat.rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().nth(7))
        .and_then(|field| field.parse().ok())
        .unwrap_or(0)
}
