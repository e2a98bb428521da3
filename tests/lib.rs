//! Shared helpers of the workspace's integration tests: the hand-written fixtures of
//! `tests/fixtures/`.

use std::path::{Path, PathBuf};

/// The directory of hand-written envelopes of the Novel Engine catalog.
pub fn novel_engine_fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/novel-engine")
}

/// Every hand-written Novel Engine envelope: (event name, JSON text), sorted by name.
pub fn novel_engine_fixtures() -> Vec<(String, String)> {
    let mut fixtures: Vec<(String, String)> = std::fs::read_dir(novel_engine_fixtures_dir())
        .expect("tests/fixtures/novel-engine exists")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .map(|path| {
            let name = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path).expect("fixture is readable");
            (name, text)
        })
        .collect();
    fixtures.sort();
    fixtures
}

/// One hand-written Novel Engine envelope by event name, parsed.
pub fn novel_engine_fixture(name: &str) -> serde_json::Value {
    let path = novel_engine_fixtures_dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Complete lines (ending in a newline) of a child process's stdout, sent as they come; an
/// incomplete last line (the child died writing it) is dropped.
pub fn child_stdout_lines(
    stdout: impl std::io::Read + Send + 'static,
) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead as _;
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = std::io::BufReader::new(stdout);
        loop {
            let mut line = Vec::new();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) if line.ends_with(b"\n") => {
                    let line = String::from_utf8_lossy(&line).trim_end().to_owned();
                    if sender.send(line).is_err() {
                        return;
                    }
                }
                Ok(_) => return,
            }
        }
    });
    receiver
}

/// A new, empty directory under the system temp dir, named after `name`, this process and the
/// time.
pub fn unique_temp_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!(
        "novel-events-{name}-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
    dir
}

/// The runtime of a crash test's child for its `run`-th life: odd runs on a current-thread
/// runtime (the store works on tokio's blocking pool), even runs on a multi-thread one (the
/// store works in place), so the kills hit both ways of working.
pub fn crash_child_runtime(run: u64) -> tokio::runtime::Runtime {
    if run.is_multiple_of(2) {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    }
    .enable_all()
    .build()
    .expect("a runtime")
}

/// splitmix64: a small, fast PRNG, good enough to vary kill points, batches and delays in the
/// crash tests, and reproducible from its seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The generator of a crash test's `run`-th child, from the test's seed.
    pub fn for_run(seed: u64, run: u64) -> Self {
        Self(seed ^ run.wrapping_mul(0xA24B_AED4_963E_E407))
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0; the modulo bias is irrelevant here).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// A crash test's seed: the number in the environment variable `seed_env` (to replay a failing
/// run), else one from the clock. Printed with how to replay it.
pub fn crash_test_seed(test: &str, seed_env: &str) -> u64 {
    let seed = std::env::var(seed_env).ok().map_or_else(
        || {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("a clock after 1970")
                .as_nanos() as u64
        },
        |seed| {
            seed.parse()
                .unwrap_or_else(|_| panic!("{seed_env} is a number, not {seed:?}"))
        },
    );
    eprintln!("{test}: seed {seed} (replay with {seed_env}={seed})");
    seed
}
