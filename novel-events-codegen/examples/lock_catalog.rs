//! Writes the lock file of a catalog (`<stem>.lock.json` beside it) from
//! `evolution::Lock::of`, after checking the catalog and, when a lock exists, that no
//! released version was edited in place or deleted early. Until the `novel-events lock`
//! command exists, this is how a lock is written:
//!
//! ```text
//! cargo run -p novel-events-codegen --example lock_catalog -- novel-events/catalog/novel-engine.yaml
//! ```
//!
//! Exit code 0 when the lock was written, 1 with the errors on stderr otherwise.

use std::path::Path;
use std::process::ExitCode;

use novel_events_codegen::evolution::{Lock, check_lock};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: lock_catalog CATALOG.yaml");
        return ExitCode::FAILURE;
    };
    let path = Path::new(&path);
    let source = match std::fs::read_to_string(path) {
        Ok(source) => source,
        Err(error) => {
            eprintln!("{}: cannot read the catalog: {error}", path.display());
            return ExitCode::FAILURE;
        }
    };
    let display = path.display().to_string();
    let catalog = match novel_events_codegen::parse_catalog(&source, &display) {
        Ok(catalog) => catalog,
        Err(errors) => return report(&errors),
    };
    let lock_path = Lock::path_for(path);
    match Lock::read(&lock_path) {
        Ok(Some(lock)) => {
            let problems = check_lock(&catalog, &lock);
            if !problems.is_empty() {
                return report(&problems);
            }
        }
        Ok(None) => {}
        Err(error) => return report(&[error]),
    }
    if let Err(error) = Lock::of(&catalog).write(&lock_path) {
        eprintln!("{}: cannot write the lock: {error}", lock_path.display());
        return ExitCode::FAILURE;
    }
    println!("wrote {}", lock_path.display());
    ExitCode::SUCCESS
}

fn report(errors: &[novel_events_codegen::Diagnostic]) -> ExitCode {
    for error in errors {
        eprintln!("error: {error}");
    }
    ExitCode::FAILURE
}
