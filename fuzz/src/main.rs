//! A mutational fuzzer on stable Rust, with two targets:
//!
//! - `catalog` ([`catalog`]): mutated catalogs (byte flips, splices, YAML-aware changes such
//!   as deeper nesting, duplicated keys, non-ASCII names and repeated blocks) through
//!   `parse_catalog` and `generate`;
//! - `envelope` ([`envelope`]): mutated envelopes of the Novel Engine specification's events
//!   through the decoder of `Envelope<AnyEvent>`;
//! - `validate` ([`validate`]): streams of such envelopes through the core of
//!   `novel-events validate`, whose verdicts must be the compiled catalog's.
//!
//! Each input is checked by its target's oracles; a failing input is saved under the findings
//! folder and reported, and the exit status is 1.
//!
//! ```text
//! cargo run --release -p novel-events-fuzz -- [--target catalog|envelope|validate|all] [--seed N]
//!     [--runs N] [--seconds T] [--findings DIR] [SEED_FILE_OR_DIR ...]
//! ```
//!
//! `--check FILE` runs one file (a finding) through its target's oracles.
//!
//! `--target all` (the default) runs the three, one after the other: `--runs` is per target,
//! `--seconds` is shared between them. Seed files are given to the target of their extension
//! (`.yaml` catalogs, `.json` envelopes, which also seed the streams); without any, each
//! target reads its own folders
//! ([`Target::SEED_DIRS`]). See `docs/fuzzing.md`.

mod catalog;
mod current;
mod envelope;
mod rng;
mod target;
mod validate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use current::Current;
use rng::Rng;
use target::Target;

const USAGE: &str = "usage: novel-events-fuzz [--target catalog|envelope|validate|all] [--seed N] [--runs N] [--seconds T] [--findings DIR] [SEED_FILE_OR_DIR ...]\n       novel-events-fuzz --check FILE (a .yaml catalog, a .json envelope or a .jsonl stream through its target's oracles)";

/// The command line.
struct Args {
    targets: Vec<&'static str>,
    seed: u64,
    runs: Option<u64>,
    seconds: Option<u64>,
    findings: PathBuf,
    seeds: Vec<PathBuf>,
    /// A file to run through the oracles alone (a finding, to reproduce it).
    check: Option<PathBuf>,
}

fn number(name: &str, value: Option<String>) -> Result<u64, String> {
    value
        .ok_or(format!("{name} needs a value"))?
        .parse()
        .map_err(|error| format!("{name}: {error}"))
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        targets: vec![
            catalog::Catalogs::NAME,
            envelope::Envelopes::NAME,
            validate::Streams::NAME,
        ],
        seed: 1,
        runs: None,
        seconds: None,
        findings: PathBuf::from("fuzz/findings"),
        seeds: Vec::new(),
        check: None,
    };
    let mut items = std::env::args().skip(1);
    while let Some(item) = items.next() {
        match item.as_str() {
            "--target" => {
                args.targets = match items.next().as_deref() {
                    Some("all") => args.targets,
                    Some(name) if name == catalog::Catalogs::NAME => vec![catalog::Catalogs::NAME],
                    Some(name) if name == envelope::Envelopes::NAME => {
                        vec![envelope::Envelopes::NAME]
                    }
                    Some(name) if name == validate::Streams::NAME => {
                        vec![validate::Streams::NAME]
                    }
                    other => {
                        return Err(format!(
                            "--target: expected catalog, envelope, validate or all, found {other:?}\n{USAGE}"
                        ));
                    }
                }
            }
            "--seed" => args.seed = number("--seed", items.next())?,
            "--runs" => args.runs = Some(number("--runs", items.next())?),
            "--seconds" => args.seconds = Some(number("--seconds", items.next())?),
            "--findings" => {
                args.findings = PathBuf::from(items.next().ok_or("--findings needs a value")?)
            }
            "--check" => {
                args.check = Some(PathBuf::from(items.next().ok_or("--check needs a file")?))
            }
            "--help" | "-h" => return Err(USAGE.into()),
            path if path.starts_with("--") => {
                return Err(format!("unknown option {path}\n{USAGE}"));
            }
            path => args.seeds.push(PathBuf::from(path)),
        }
    }
    if args.runs.is_none() && args.seconds.is_none() {
        args.runs = Some(10_000);
    }
    Ok(args)
}

/// The files named with this extension, and those of the folders (one level deep), in a
/// stable order.
fn load_seeds(paths: &[PathBuf], extension: &str) -> Vec<String> {
    let mut files = Vec::new();
    let has_extension = |path: &Path| path.extension().is_some_and(|ext| ext == extension);
    for path in paths {
        if path.is_dir() {
            let Ok(entries) = std::fs::read_dir(path) else {
                continue;
            };
            let mut found: Vec<PathBuf> = entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| has_extension(path))
                .collect();
            found.sort();
            files.extend(found);
        } else if has_extension(path) {
            files.push(path.clone());
        }
    }
    files
        .into_iter()
        .filter_map(|path| std::fs::read_to_string(&path).ok())
        .collect()
}

/// What one target's run did.
struct Stats {
    runs: u64,
    accepted: u64,
    findings: u64,
}

/// Runs `target` until `runs` inputs or `deadline`, saving and reporting findings.
fn run<T: Target>(target: &T, args: &Args, seeds: usize, deadline: Option<Instant>) -> Stats {
    let mut rng = Rng::new(args.seed);
    let started = Instant::now();
    let mut stats = Stats {
        runs: 0,
        accepted: 0,
        findings: 0,
    };
    let mut current = Current::new(args.findings.join(format!("current.{}", T::EXTENSION)));
    loop {
        if args.runs.is_some_and(|limit| stats.runs >= limit)
            || deadline.is_some_and(|deadline| Instant::now() >= deadline)
        {
            break;
        }
        let input = target.next_input(&mut rng);
        current.write(&input);
        stats.runs += 1;
        match target.check(&input) {
            Ok(outcome) => stats.accepted += u64::from(outcome.accepted),
            Err(failure) => {
                stats.findings += 1;
                let name = format!(
                    "{}-{}-{}-{}.{}",
                    T::NAME,
                    failure.kind,
                    args.seed,
                    stats.runs,
                    T::EXTENSION
                );
                let _ = std::fs::create_dir_all(&args.findings);
                let path = args.findings.join(name);
                let _ = std::fs::write(&path, &input);
                eprintln!(
                    "{} finding {}: {} ({})",
                    T::NAME,
                    stats.findings,
                    failure.detail,
                    path.display()
                );
            }
        }
    }
    current.remove();
    let elapsed = started.elapsed();
    println!(
        "{}: {} executions in {:.1} s ({:.0}/s) from seed {}, {seeds} seed files; {} accepted; {} findings",
        T::NAME,
        stats.runs,
        elapsed.as_secs_f64(),
        stats.runs as f64 / elapsed.as_secs_f64().max(1e-9),
        args.seed,
        stats.accepted,
        stats.findings,
    );
    stats
}

/// The seed paths for a target: those given, else its own folders.
fn seed_paths<T: Target>(args: &Args) -> Vec<PathBuf> {
    if args.seeds.is_empty() {
        T::SEED_DIRS.iter().map(PathBuf::from).collect()
    } else {
        args.seeds.clone()
    }
}

/// Runs one file through the oracles of the target of its extension.
fn check_one(path: &Path) -> ExitCode {
    let Ok(input) = std::fs::read_to_string(path) else {
        eprintln!("cannot read {}", path.display());
        return ExitCode::from(2);
    };
    let result = if path.extension().is_some_and(|ext| ext == "json") {
        envelope::Envelopes::new(&[]).check(&input)
    } else if path.extension().is_some_and(|ext| ext == "jsonl") {
        validate::Streams::new(&[]).check(&input)
    } else {
        catalog::Catalogs::new(Vec::new()).check(&input)
    };
    match result {
        Ok(outcome) => {
            println!(
                "{}: passes the oracles ({})",
                path.display(),
                if outcome.accepted {
                    "accepted"
                } else {
                    "refused"
                }
            );
            ExitCode::SUCCESS
        }
        Err(failure) => {
            println!("{}: {}: {}", path.display(), failure.kind, failure.detail);
            ExitCode::FAILURE
        }
    }
}

/// Whether a target without seeds is skipped: several targets run and the seeds given are
/// all of another's kind.
fn skippable(args: &Args) -> bool {
    args.targets.len() > 1 && !args.seeds.is_empty()
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    // Quiet the default hook: a panic is a finding, reported by the target's oracle.
    std::panic::set_hook(Box::new(|_| {}));
    if let Some(path) = &args.check {
        return check_one(path);
    }
    let started = Instant::now();
    let mut findings = 0;
    for (index, name) in args.targets.iter().enumerate() {
        // `--seconds` is shared: each target gets an equal part of what is left.
        let deadline = args.seconds.map(|seconds| {
            let end = started + Duration::from_secs(seconds);
            let left = end.saturating_duration_since(Instant::now());
            let share = u32::try_from(args.targets.len() - index).unwrap_or(1);
            Instant::now() + left / share
        });
        let stats = if *name == catalog::Catalogs::NAME {
            let seeds = load_seeds(&seed_paths::<catalog::Catalogs>(&args), "yaml");
            if seeds.is_empty() {
                if skippable(&args) {
                    continue;
                }
                eprintln!("catalog: no seed catalogs found");
                return ExitCode::from(2);
            }
            let count = seeds.len();
            run(&catalog::Catalogs::new(seeds), &args, count, deadline)
        } else if *name == validate::Streams::NAME {
            let seeds = load_seeds(&seed_paths::<validate::Streams>(&args), "json");
            let target = validate::Streams::new(&seeds);
            if target.is_empty() {
                if skippable(&args) {
                    continue;
                }
                eprintln!("validate: no seed envelopes found");
                return ExitCode::from(2);
            }
            run(&target, &args, seeds.len(), deadline)
        } else {
            let seeds = load_seeds(&seed_paths::<envelope::Envelopes>(&args), "json");
            let target = envelope::Envelopes::new(&seeds);
            if target.is_empty() {
                if skippable(&args) {
                    continue;
                }
                eprintln!("envelope: no seed envelopes found");
                return ExitCode::from(2);
            }
            run(&target, &args, seeds.len(), deadline)
        };
        findings += stats.findings;
    }
    if findings == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
