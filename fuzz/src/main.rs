//! A mutational fuzzer for catalogs, on stable Rust: it mutates seed catalogs (byte flips,
//! splices, YAML-aware changes such as deeper nesting, duplicated keys, non-ASCII names and
//! repeated blocks), runs `parse_catalog` and `generate` on each, and checks the oracles of
//! [`oracle`]. A failing input is saved under the findings folder and reported.
//!
//! ```text
//! cargo run --release -p novel-events-fuzz -- [--seed N] [--runs N] [--seconds T]
//!     [--findings DIR] [SEED_FILE_OR_DIR ...]
//! ```
//!
//! Without seed paths it reads `catalog/`, `tests/catalogs/` and `tests/ui/catalogs/`. See
//! `docs/fuzzing.md`.

mod mutate;
mod oracle;
mod rng;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use rng::Rng;

/// The command line.
struct Args {
    seed: u64,
    runs: Option<u64>,
    seconds: Option<u64>,
    findings: PathBuf,
    seeds: Vec<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        seed: 1,
        runs: None,
        seconds: None,
        findings: PathBuf::from("fuzz/findings"),
        seeds: Vec::new(),
    };
    let mut items = std::env::args().skip(1);
    while let Some(item) = items.next() {
        let mut value = |name: &str| items.next().ok_or(format!("{name} needs a value"));
        match item.as_str() {
            "--seed" => {
                args.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--runs" => {
                args.runs = Some(
                    value("--runs")?
                        .parse()
                        .map_err(|e| format!("--runs: {e}"))?,
                )
            }
            "--seconds" => {
                args.seconds = Some(
                    value("--seconds")?
                        .parse()
                        .map_err(|e| format!("--seconds: {e}"))?,
                )
            }
            "--findings" => args.findings = PathBuf::from(value("--findings")?),
            "--help" | "-h" => {
                return Err("usage: novel-events-fuzz [--seed N] [--runs N] [--seconds T] [--findings DIR] [SEED_FILE_OR_DIR ...]".into());
            }
            path => args.seeds.push(PathBuf::from(path)),
        }
    }
    if args.seeds.is_empty() {
        args.seeds = ["catalog", "tests/catalogs", "tests/ui/catalogs"]
            .into_iter()
            .map(PathBuf::from)
            .collect();
    }
    if args.runs.is_none() && args.seconds.is_none() {
        args.runs = Some(10_000);
    }
    Ok(args)
}

/// The `.yaml` files named, directories read one level deep, in a stable order.
fn load_seeds(paths: &[PathBuf]) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let Ok(entries) = std::fs::read_dir(path) else {
                continue;
            };
            let mut found: Vec<PathBuf> = entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    files
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            Some((path.display().to_string(), text))
        })
        .collect()
}

fn save(findings: &Path, name: &str, input: &str) -> PathBuf {
    let _ = std::fs::create_dir_all(findings);
    let path = findings.join(name);
    let _ = std::fs::write(&path, input);
    path
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let seeds = load_seeds(&args.seeds);
    if seeds.is_empty() {
        eprintln!("no seed catalogs found in {:?}", args.seeds);
        return ExitCode::from(2);
    }
    // Quiet the default hook: a panic is a finding, reported below.
    std::panic::set_hook(Box::new(|_| {}));
    let corpus: Vec<&str> = seeds.iter().map(|(_, text)| text.as_str()).collect();
    // Catalogs that are accepted as they are: mutated two times in three, so that most inputs
    // get past the reader to validation and code generation.
    let valid: Vec<&str> = corpus
        .iter()
        .copied()
        .filter(|text| novel_events_codegen::parse_catalog(text, "seed.yaml").is_ok())
        .collect();
    let mut rng = Rng::new(args.seed);
    let deadline = args
        .seconds
        .map(|seconds| Instant::now() + Duration::from_secs(seconds));
    let started = Instant::now();
    let (mut runs, mut accepted, mut findings) = (0u64, 0u64, 0u64);
    // The input being run, so that one that aborts the process (which no oracle can catch) is
    // still on disk.
    let current = args.findings.join("current.yaml");
    loop {
        if args.runs.is_some_and(|limit| runs >= limit)
            || deadline.is_some_and(|deadline| Instant::now() >= deadline)
        {
            break;
        }
        let base = if !valid.is_empty() && !rng.one_in(3) {
            valid[rng.below(valid.len())]
        } else {
            corpus[rng.below(corpus.len())]
        };
        let input = mutate::mutate(base, &corpus, &mut rng);
        if runs % 64 == 0 {
            let _ = std::fs::create_dir_all(&args.findings);
        }
        let _ = std::fs::write(&current, &input);
        runs += 1;
        match oracle::check(&input) {
            Ok(outcome) => accepted += u64::from(outcome.accepted),
            Err(failure) => {
                findings += 1;
                let name = format!("{}-{}-{runs}.yaml", failure.kind, args.seed);
                let path = save(&args.findings, &name, &input);
                eprintln!(
                    "finding {findings}: {} ({})",
                    failure.detail,
                    path.display()
                );
            }
        }
    }
    let _ = std::fs::remove_file(&current);
    let elapsed = started.elapsed();
    println!(
        "{runs} executions in {:.1} s ({:.0}/s) from seed {}, {} seed files; {accepted} accepted catalogs; {findings} findings",
        elapsed.as_secs_f64(),
        runs as f64 / elapsed.as_secs_f64().max(1e-9),
        args.seed,
        seeds.len()
    );
    if findings == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
