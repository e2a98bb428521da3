//! Cargo rebuilds a crate when its catalog changes, although no `.rs` file does.
//!
//! `include_catalog!` reads a YAML file that cargo knows nothing about; the expansion includes
//! the file (`include_str!`) so that rustc lists it in the crate's dep-info. This test proves it
//! end to end with a real `cargo check` of a scratch crate: a good catalog builds, a no-op check
//! is fresh, a broken catalog makes the next check fail with the catalog's error, and restoring
//! it makes the check pass again.
//!
//! The scratch crate lives in the system temp dir and depends on `novel-events` by path. Its
//! target dir persists under cargo's `CARGO_TARGET_TMPDIR` (not the workspace's own target dir,
//! whose lock `cargo test` holds), so only the first run compiles the dependencies.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The scratch crate's package name, as cargo prints it in `Checking rebuild-scratch ...`.
const PACKAGE: &str = "novel-events-rebuild-scratch";

const CATALOG: &str = r#"catalog: rebuild
version: "1.0.0"
domains:
  accounts:
    events:
      - name: AccountOpened
        eventType: accounts.account.opened
        eventVersion: "1.0.0"
        aggregateType: Account
        aggregateId: accountId
        payload:
          accountId: uuid
          plan: "free|pro"
          email: string
"#;

const LIB_RS: &str = r#"//! A crate whose only source of types is its catalog.

mod events {
    novel_events::include_catalog!("catalog/events.yaml");
}

pub use events::accounts::{AccountOpened, Plan};

/// Uses the generated types, so that the check really needs them.
pub fn event_type(opened: &AccountOpened) -> &'static str {
    let _ = (&opened.email, opened.plan == Plan::Pro);
    <AccountOpened as novel_events::Event>::EVENT_TYPE
}
"#;

/// A scratch crate directory, removed when dropped (also when the test fails).
struct Scratch {
    dir: PathBuf,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Scratch {
    fn new() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "novel-events-rebuild-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(dir.join("src")).expect("create the scratch crate");
        std::fs::create_dir_all(dir.join("catalog")).expect("create the scratch crate");
        let scratch = Self { dir };

        // A TOML basic string, escaped like a Rust debug string (Windows backslashes).
        let novel_events = format!(
            "{:?}",
            workspace_dir().join("novel-events").display().to_string()
        );
        let manifest = format!(
            r#"[package]
name = "{PACKAGE}"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
novel-events = {{ path = {novel_events} }}

# Not a member of any enclosing workspace.
[workspace]
"#
        );
        scratch.write("Cargo.toml", &manifest);
        scratch.write("src/lib.rs", LIB_RS);
        scratch.write("catalog/events.yaml", CATALOG);
        // The workspace's lock file pins the same versions the workspace was built with, so
        // `--offline` resolution succeeds; cargo drops the entries the scratch crate does not use.
        std::fs::copy(
            workspace_dir().join("Cargo.lock"),
            scratch.dir.join("Cargo.lock"),
        )
        .expect("copy the workspace's Cargo.lock");
        scratch
    }

    fn write(&self, relative: &str, contents: &str) {
        let path = self.dir.join(relative);
        std::fs::write(&path, contents)
            .unwrap_or_else(|error| panic!("write {}: {error}", path.display()));
    }

    /// Rewrites the catalog. Its modification time is pushed a little into the future so that
    /// the change is seen even on a file system with coarse timestamps.
    fn write_catalog(&self, contents: &str) {
        self.write("catalog/events.yaml", contents);
        let file = std::fs::File::options()
            .write(true)
            .open(self.dir.join("catalog/events.yaml"))
            .expect("open the catalog");
        file.set_modified(SystemTime::now() + Duration::from_secs(2))
            .expect("set the catalog's modification time");
    }

    /// `cargo check` of the scratch crate: (success, stderr).
    fn check(&self) -> (bool, String) {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let started = Instant::now();
        let Output { status, stderr, .. } = Command::new(cargo)
            // `-v` prints a `Fresh` or `Checking` line for every package.
            .args(["check", "--offline", "-v"])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", target_dir())
            .env("CARGO_TERM_COLOR", "never")
            // The base dir of catalog paths must be the scratch crate's own directory.
            .env_remove("NOVEL_EVENTS_MANIFEST_DIR")
            .output()
            .expect("run cargo");
        let stderr = String::from_utf8_lossy(&stderr).into_owned();
        eprintln!(
            "cargo check: {status} in {:.1?}\n{}",
            started.elapsed(),
            relevant_lines(&stderr)
        );
        (status.success(), stderr)
    }
}

/// The workspace root: this package's parent directory.
fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests package is inside the workspace")
        .to_path_buf()
}

/// A target dir kept between runs, so that only the first run compiles the dependencies.
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("rebuild-test")
}

/// Whether cargo (re)compiled the scratch crate in this run, from `cargo check -v`'s output.
fn compiled_scratch(stderr: &str) -> bool {
    stderr.lines().any(|line| {
        line.trim_start()
            .starts_with(&format!("Checking {PACKAGE} "))
    })
}

/// The lines of `cargo check -v` about the scratch crate (not every `Fresh` dependency).
fn relevant_lines(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|line| !line.trim_start().starts_with("Fresh ") || line.contains(PACKAGE))
        .filter(|line| !line.trim_start().starts_with("Running "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn cargo_rebuilds_a_crate_when_its_catalog_changes() {
    let scratch = Scratch::new();

    // A good catalog builds.
    let (ok, stderr) = scratch.check();
    assert!(ok, "the good catalog must build:\n{stderr}");
    assert!(
        compiled_scratch(&stderr),
        "the first check compiles the scratch crate:\n{stderr}"
    );

    // Nothing changed: the crate is fresh, so a later rebuild is due to the catalog alone.
    let (ok, stderr) = scratch.check();
    assert!(ok, "an unchanged crate still builds:\n{stderr}");
    assert!(
        !compiled_scratch(&stderr),
        "nothing changed, the scratch crate must be fresh:\n{stderr}"
    );

    // Break the catalog only: no `.rs` file is touched.
    let broken = CATALOG.replace("email: string", "email: strng");
    assert_ne!(broken, CATALOG);
    scratch.write_catalog(&broken);
    let (ok, stderr) = scratch.check();
    assert!(
        compiled_scratch(&stderr),
        "a changed catalog must make cargo recompile the crate:\n{stderr}"
    );
    assert!(!ok, "the broken catalog must fail the build:\n{stderr}");
    assert!(
        stderr.contains("catalog/events.yaml:14:18: unknown field type `strng`"),
        "the failure must be the catalog's error, with its file:line:column:\n{stderr}"
    );
    assert!(
        stderr.contains("did you mean `string`?"),
        "the error suggests the nearest type:\n{stderr}"
    );

    // Restore it: the crate builds again.
    scratch.write_catalog(CATALOG);
    let (ok, stderr) = scratch.check();
    assert!(ok, "the restored catalog must build again:\n{stderr}");
    assert!(
        compiled_scratch(&stderr),
        "the restored catalog is compiled again:\n{stderr}"
    );
}
