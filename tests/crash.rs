//! What the crash tests share: the child's runtime, its piped stdout, a scratch directory and
//! the seed that replays a run. A crash test re-runs its own binary as the child, so no test
//! compiles anything at run time.

use std::path::PathBuf;

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
