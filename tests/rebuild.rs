//! Cargo rebuilds a crate when its catalog changes, although no `.rs` file does.
//!
//! `include_catalog!` reads a YAML file that cargo knows nothing about; the expansion includes
//! the file (`include_str!`) so that rustc lists it in the crate's dep-info. This test proves it
//! end to end with a real `cargo check` of a scratch crate: a good catalog builds, a no-op check
//! is fresh, a broken catalog makes the next check fail with the catalog's error, and restoring
//! it makes the check pass again.
//!
//! The same holds for `#[derive(Event)]` with `catalog = "..."`: a catalog change that the
//! struct no longer matches breaks the next check.
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

const DERIVE_PACKAGE: &str = "novel-events-rebuild-derive-scratch";

const DERIVE_LIB_RS: &str = r#"//! A crate whose struct is checked against its catalog.

use serde::{Deserialize, Serialize};

/// The plans, as the catalog spells them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, novel_events::EventEnum)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    /// `free`
    Free,
    /// `pro`
    Pro,
}

/// An account was opened.
#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "accounts.account.opened", version = "1.0.0", catalog = "catalog/events.yaml")]
pub struct AccountOpened {
    /// The account.
    pub account_id: uuid::Uuid,
    /// Its plan.
    pub plan: Plan,
    /// Where to write.
    pub email: String,
}
"#;

/// A scratch crate directory, removed when dropped (also when the test fails).
struct Scratch {
    dir: PathBuf,
    package: &'static str,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Scratch {
    fn new() -> Self {
        Self::with(PACKAGE, LIB_RS, "")
    }

    /// A scratch crate named `package` with this `lib.rs` and these extra dependencies.
    fn with(package: &'static str, lib_rs: &str, dependencies: &str) -> Self {
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
        let scratch = Self { dir, package };

        // A TOML basic string, escaped like a Rust debug string (Windows backslashes).
        let novel_events = format!(
            "{:?}",
            workspace_dir().join("novel-events").display().to_string()
        );
        let manifest = format!(
            r#"[package]
name = "{package}"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
novel-events = {{ path = {novel_events} }}
{dependencies}

# Not a member of any enclosing workspace.
[workspace]
"#
        );
        scratch.write("Cargo.toml", &manifest);
        scratch.write("src/lib.rs", lib_rs);
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
    compiled(stderr, PACKAGE)
}

/// Whether cargo (re)compiled `package` in this run.
fn compiled(stderr: &str, package: &str) -> bool {
    stderr.lines().any(|line| {
        line.trim_start()
            .starts_with(&format!("Checking {package} "))
    })
}

/// The lines of `cargo check -v` about the scratch crate (not every `Fresh` dependency).
fn relevant_lines(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|line| {
            !line.trim_start().starts_with("Fresh ")
                || line.contains(PACKAGE)
                || line.contains(DERIVE_PACKAGE)
        })
        .filter(|line| !line.trim_start().starts_with("Running "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn cargo_rebuilds_a_crate_when_its_catalog_changes() {
    let _one_at_a_time = serial();
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

#[test]
fn cargo_rebuilds_a_derived_event_when_its_catalog_changes() {
    let _one_at_a_time = serial();
    let scratch = Scratch::with(
        DERIVE_PACKAGE,
        DERIVE_LIB_RS,
        "serde = { version = \"1\", features = [\"derive\"] }\nuuid = \"1\"",
    );
    let compiled = |stderr: &str| compiled(stderr, scratch.package);

    let (ok, stderr) = scratch.check();
    assert!(
        ok,
        "the struct matches the catalog and must build:\n{stderr}"
    );
    assert!(
        compiled(&stderr),
        "the first check compiles the crate:\n{stderr}"
    );

    // The catalog renames a field; no `.rs` file is touched.
    let renamed = CATALOG.replace("email: string", "emailAddress: string");
    scratch.write_catalog(&renamed);
    let (ok, stderr) = scratch.check();
    assert!(
        compiled(&stderr),
        "a changed catalog must make cargo recompile the crate:\n{stderr}"
    );
    assert!(
        !ok,
        "the struct no longer matches the catalog and must fail:\n{stderr}"
    );
    assert!(
        stderr.contains("missing field `emailAddress`"),
        "the error names the catalog's new field:\n{stderr}"
    );

    scratch.write_catalog(CATALOG);
    let (ok, stderr) = scratch.check();
    assert!(ok, "the restored catalog must build again:\n{stderr}");
}

/// The lock file beside the catalog (`catalog/events.lock.json`) is tracked like the catalog:
/// editing it alone makes cargo run `include_catalog!` again, which checks the catalog against
/// it.
#[test]
fn cargo_rebuilds_a_crate_when_its_lock_file_changes() {
    let _one_at_a_time = serial();
    use novel_events_codegen::evolution::Lock;
    let scratch = Scratch::new();
    let catalog = novel_events_codegen::parse_catalog(CATALOG, "events.yaml").unwrap();
    let lock = Lock::of(&catalog).to_string();
    let write_lock = |contents: &str| {
        scratch.write("catalog/events.lock.json", contents);
        std::fs::File::options()
            .write(true)
            .open(scratch.dir.join("catalog/events.lock.json"))
            .and_then(|file| file.set_modified(SystemTime::now() + Duration::from_secs(2)))
            .expect("set the lock's modification time");
    };
    write_lock(&lock);
    let (ok, stderr) = scratch.check();
    assert!(ok, "a catalog that agrees with its lock builds:\n{stderr}");

    // The lock alone changes: its fingerprint of AccountOpened 1.0.0 is no longer the catalog's.
    let at = lock.find("sha256:").unwrap() + "sha256:".len();
    let digit = if lock[at..].starts_with('0') {
        "1"
    } else {
        "0"
    };
    write_lock(&format!("{}{digit}{}", &lock[..at], &lock[at + 1..]));
    let (ok, stderr) = scratch.check();
    assert!(
        compiled_scratch(&stderr),
        "a changed lock must make cargo recompile the crate:\n{stderr}"
    );
    assert!(
        !ok,
        "a catalog that no longer matches its lock fails:\n{stderr}"
    );
    assert!(
        stderr.contains("catalog/events.yaml:8:23: AccountOpened 1.0.0 is released (locked at catalog/events.lock.json:6:5)"),
        "the error stands at the version and names the lock's line:\n{stderr}"
    );

    write_lock(&lock);
    let (ok, stderr) = scratch.check();
    assert!(ok, "the restored lock builds again:\n{stderr}");
}

/// The tests share one target directory, and two of them one package name: run one at a time,
/// so that one test's build never stands for another's.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
