//! `novel-events lock CATALOG`: write (or update) the catalog's lock file, the registry of its
//! released versions, after checking that none was edited in place or deleted too early.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use novel_events_codegen::evolution::{Lock, check_lock};
use novel_events_codegen::{CatalogError, Diagnostic};
use serde_json::json;

use super::write_failure;
use crate::catalog_file;
use crate::format::Format;
use crate::outcome::{Failure, Outcome};

/// Arguments of `lock`.
#[derive(Debug, Args)]
pub struct LockArgs {
    /// The catalog file (YAML); its lock is `<stem>.lock.json` beside it.
    pub catalog: PathBuf,
    /// Write nothing: exit 1 if the lock file is missing or does not hold every version of
    /// the catalog as it is (for CI: a version released without its lock).
    #[arg(long)]
    pub check: bool,
    /// `human`: a line per problem, then what was done; `json`: one JSON document.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub(super) fn run(args: &LockArgs, out: &mut dyn Write) -> Result<Outcome, Failure> {
    let catalog = match catalog_file::parse(&args.catalog) {
        Ok(catalog) => catalog,
        Err(CatalogError::Invalid(diagnostics)) => {
            return report(args, out, &diagnostics);
        }
        Err(error) => return Err(super::unusable_catalog(error)),
    };
    let path = Lock::path_for(&args.catalog);
    let existing = Lock::read(&path).map_err(|diagnostic| Failure(diagnostic.to_string()))?;
    if let Some(lock) = &existing {
        let problems = check_lock(&catalog, lock);
        if !problems.is_empty() {
            return report(args, out, &problems);
        }
    }
    let lock = Lock::of(&catalog);
    let keys = |lock: &Lock| {
        let mut keys: Vec<(String, String, String, Option<String>)> = lock
            .entries
            .iter()
            .map(|entry| {
                (
                    entry.event_type.clone(),
                    entry.event_version.clone(),
                    entry.fingerprint.clone(),
                    entry.removal_version.clone(),
                )
            })
            .collect();
        keys.sort();
        keys
    };
    let up_to_date = existing
        .as_ref()
        .is_some_and(|old| keys(old) == keys(&lock));
    let added = lock
        .entries
        .iter()
        .filter(|entry| {
            !existing.as_ref().is_some_and(|old| {
                old.entries.iter().any(|kept| {
                    kept.event_type == entry.event_type && kept.event_version == entry.event_version
                })
            })
        })
        .count();
    let shown = path.display().to_string();
    if args.check {
        let outcome = if up_to_date {
            Outcome::Clean
        } else {
            Outcome::Findings
        };
        let message = if up_to_date {
            format!(
                "{shown}: up to date ({} locked)",
                versions(lock.entries.len())
            )
        } else if existing.is_none() {
            format!(
                "{shown}: missing; `novel-events lock {}` writes it",
                args.catalog.display()
            )
        } else {
            format!(
                "{shown}: out of date ({added} new, or locked entries that changed or went); `novel-events lock {}` updates it",
                args.catalog.display()
            )
        };
        write(args, out, &message, up_to_date, lock.entries.len(), 0)?;
        return Ok(outcome);
    }
    if !up_to_date {
        lock.write(&path)
            .map_err(|error| Failure(format!("cannot write the lock file `{shown}`: {error}")))?;
    }
    let message = if up_to_date {
        format!(
            "{shown}: up to date ({} locked)",
            versions(lock.entries.len())
        )
    } else {
        format!(
            "{shown}: wrote {} ({} new)",
            versions(lock.entries.len()),
            added
        )
    };
    write(args, out, &message, true, lock.entries.len(), added)?;
    Ok(Outcome::Clean)
}

fn versions(count: usize) -> String {
    if count == 1 {
        "1 version".to_owned()
    } else {
        format!("{count} versions")
    }
}

fn write(
    args: &LockArgs,
    out: &mut dyn Write,
    message: &str,
    ok: bool,
    locked: usize,
    added: usize,
) -> Result<(), Failure> {
    let text = match args.format {
        Format::Human => format!("{message}\n"),
        Format::Json => format!(
            "{:#}\n",
            json!({
                "catalog": args.catalog.display().to_string(),
                "lock": Lock::path_for(&args.catalog).display().to_string(),
                "ok": ok,
                "locked": locked,
                "added": added,
                "message": message,
                "problems": [],
            })
        ),
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|error| write_failure(&error))
}

/// The catalog's (or its lock's) problems: nothing is written; exit 1.
fn report(
    args: &LockArgs,
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
) -> Result<Outcome, Failure> {
    let file = args.catalog.display().to_string();
    let text = super::check::invalid(
        &file,
        diagnostics,
        args.format,
        "; the lock file was not written",
    );
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|error| write_failure(&error))?;
    Ok(Outcome::Findings)
}
