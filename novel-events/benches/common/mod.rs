//! Helpers shared by the benchmarks: the Novel Engine fixtures, interleaved rounds against a
//! baseline in the same run, and their quartiles.

#![allow(dead_code)] // Each benchmark uses the part it needs.

use std::time::Duration;

/// The quartiles (q1, median, q3) of `values`.
pub fn quartiles(mut values: Vec<f64>) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    (values[n / 4], values[n / 2], values[(3 * n) / 4])
}

/// Runs every way once per round (after one warm-up round), rotating the order, so that a
/// change in machine load hits every way alike; returns each way's times in seconds.
pub fn rounds(
    ways: usize,
    rounds: usize,
    mut time: impl FnMut(usize) -> Duration,
) -> Vec<Vec<f64>> {
    let mut times = vec![Vec::with_capacity(rounds); ways];
    for round in 0..=rounds {
        for offset in 0..ways {
            let way = (round + offset) % ways;
            let elapsed = time(way).as_secs_f64();
            if round > 0 {
                times[way].push(elapsed);
            }
        }
    }
    times
}

/// The 26 Novel Engine fixtures of `tests/fixtures/novel-engine` (name, JSON text), sorted by
/// name.
pub fn fixtures() -> Vec<(String, String)> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/novel-engine");
    let mut fixtures: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    fixtures.sort();
    assert_eq!(fixtures.len(), 26, "expected the 26 Novel Engine fixtures");
    fixtures
}
