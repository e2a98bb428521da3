//! `novel-events diff OLD NEW`: what changed between two catalog files, event type by event
//! type, with the compatibility verdict of each; or, with a lock file as OLD, which released
//! versions the catalog NEW edited, added or deleted.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use novel_events_codegen::evolution::{self, EventDiff, Lock};
use novel_events_codegen::{Catalog, CatalogError};
use serde_json::{Value, json};

use super::write_failure;
use crate::catalog_file;
use crate::format::Format;
use crate::outcome::{Failure, Outcome};

/// Arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older catalog (YAML), or a lock file (`*.lock.json`) to compare NEW with.
    pub old: PathBuf,
    /// The newer catalog (YAML).
    pub new: PathBuf,
    /// `human`: a block per event type that changed; `json`: one JSON document.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub(super) fn run(args: &DiffArgs, out: &mut dyn Write) -> Result<Outcome, Failure> {
    let new = load(&args.new)?;
    let (outcome, text) = if is_lock(&args.old) {
        let lock = Lock::read(&args.old)
            .map_err(|diagnostic| Failure(diagnostic.to_string()))?
            .ok_or_else(|| {
                Failure(format!(
                    "cannot read the lock file `{}`: it does not exist",
                    args.old.display()
                ))
            })?;
        against_lock(&lock, &new, args.format)
    } else {
        let old = load(&args.old)?;
        between(&evolution::diff(&old, &new), args.format)
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|error| write_failure(&error))?;
    Ok(outcome)
}

fn is_lock(path: &Path) -> bool {
    path.to_string_lossy().ends_with(".lock.json")
}

fn load(path: &Path) -> Result<Catalog, Failure> {
    catalog_file::parse(path).map_err(|error: CatalogError| super::unusable_catalog(error))
}

/// Whether a difference breaks what its mode promises. A new major version may break
/// anything (versions are compared within one major version).
fn breaks(diff: &EventDiff) -> bool {
    let major = |version: &Option<String>| {
        version
            .as_deref()
            .and_then(|text| text.split('.').next())
            .map(str::to_owned)
    };
    let same_major = major(&diff.old_version) == major(&diff.new_version);
    !diff.keeps_mode() && (same_major || diff.new_version.is_none())
}

fn between(diffs: &[EventDiff], format: Format) -> (Outcome, String) {
    let changed: Vec<&EventDiff> = diffs
        .iter()
        .filter(|diff| {
            !diff.changes.is_empty() || diff.old_version.is_none() || diff.new_version.is_none()
        })
        .collect();
    let broken = changed.iter().filter(|diff| breaks(diff)).count();
    let outcome = if broken == 0 {
        Outcome::Clean
    } else {
        Outcome::Findings
    };
    let text = match format {
        Format::Human => {
            let mut text = String::new();
            for diff in &changed {
                let versions = match (&diff.old_version, &diff.new_version) {
                    (Some(old), Some(new)) => format!("{old} → {new}"),
                    (None, Some(new)) => format!("new, {new}"),
                    (Some(old), None) => format!("removed, was {old}"),
                    (None, None) => String::new(),
                };
                let verdict = match (diff.verdict.backward, diff.verdict.forward) {
                    (true, true) => "backward and forward compatible",
                    (true, false) => "backward compatible, not forward",
                    (false, true) => "forward compatible, not backward",
                    (false, false) => "neither backward nor forward compatible",
                };
                let judgement = if breaks(diff) {
                    format!("BREAKS its mode `{}`", diff.mode)
                } else if diff.keeps_mode() {
                    format!("keeps its mode `{}`", diff.mode)
                } else {
                    "a new major version: breaking changes allowed".to_owned()
                };
                text.push_str(&format!(
                    "{} ({}, {versions}): {verdict}; {judgement}\n",
                    diff.event_type, diff.name
                ));
                for change in &diff.changes {
                    text.push_str(&format!("  {}", change.describe()));
                    for (direction, why) in [
                        ("backward", &change.breaks_backward),
                        ("forward", &change.breaks_forward),
                    ] {
                        if let Some(why) = why {
                            text.push_str(&format!("; breaks {direction}: {why}"));
                        }
                    }
                    text.push('\n');
                }
            }
            text.push_str(&format!(
                "{} compared, {} changed, {} breaking {}\n",
                count(diffs.len(), "event type"),
                changed.len(),
                broken,
                if broken == 1 {
                    "its mode"
                } else {
                    "their modes"
                }
            ));
            text
        }
        Format::Json => {
            let events: Vec<Value> = changed
                .iter()
                .map(|diff| {
                    json!({
                        "eventType": diff.event_type,
                        "name": diff.name,
                        "oldVersion": diff.old_version,
                        "newVersion": diff.new_version,
                        "mode": diff.mode.as_str(),
                        "backward": diff.verdict.backward,
                        "forward": diff.verdict.forward,
                        "keepsMode": !breaks(diff),
                        "changes": diff.changes.iter().map(|change| json!({
                            "type": change.kind.as_str(),
                            "field": change.path,
                            "renamedFrom": change.renamed_from,
                            "detail": change.detail,
                            "breaksBackward": change.breaks_backward,
                            "breaksForward": change.breaks_forward,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            format!(
                "{:#}\n",
                json!({ "compared": diffs.len(), "breaking": broken, "events": events })
            )
        }
    };
    (outcome, text)
}

/// A lock against a catalog: the versions edited in place (fingerprints differ), added, and
/// deleted. An edit in place is a finding (exit 1), as it is for the compiler.
fn against_lock(lock: &Lock, catalog: &Catalog, format: Format) -> (Outcome, String) {
    let now = Lock::of(catalog);
    let find = |lock: &Lock, event_type: &str, version: &str| {
        lock.entries
            .iter()
            .find(|entry| entry.event_type == event_type && entry.event_version == version)
            .map(|entry| entry.fingerprint.clone())
    };
    let mut rows: Vec<(&'static str, String, String)> = Vec::new();
    for entry in &now.entries {
        match find(lock, &entry.event_type, &entry.event_version) {
            None => rows.push((
                "added",
                entry.event_type.clone(),
                entry.event_version.clone(),
            )),
            Some(fingerprint) if fingerprint != entry.fingerprint => rows.push((
                "edited",
                entry.event_type.clone(),
                entry.event_version.clone(),
            )),
            Some(_) => {}
        }
    }
    for entry in &lock.entries {
        if find(&now, &entry.event_type, &entry.event_version).is_none() {
            rows.push((
                "deleted",
                entry.event_type.clone(),
                entry.event_version.clone(),
            ));
        }
    }
    let edited = rows.iter().filter(|(what, ..)| *what == "edited").count();
    let outcome = if edited == 0 {
        Outcome::Clean
    } else {
        Outcome::Findings
    };
    let text = match format {
        Format::Human => {
            let mut text = String::new();
            for (what, event_type, version) in &rows {
                let note = match *what {
                    "edited" => " (a released version changed in place: bump its eventVersion)",
                    "added" => " (not locked yet: `novel-events lock` locks it)",
                    _ => "",
                };
                text.push_str(&format!("{what} {event_type} {version}{note}\n"));
            }
            text.push_str(&format!(
                "{} locked, {} in the catalog: {} edited, {} added, {} deleted\n",
                count(lock.entries.len(), "version"),
                now.entries.len(),
                edited,
                rows.iter().filter(|(what, ..)| *what == "added").count(),
                rows.iter().filter(|(what, ..)| *what == "deleted").count(),
            ));
            text
        }
        Format::Json => format!(
            "{:#}\n",
            json!({
                "locked": lock.entries.len(),
                "inCatalog": now.entries.len(),
                "versions": rows.iter().map(|(what, event_type, version)| json!({
                    "change": what, "eventType": event_type, "eventVersion": version,
                })).collect::<Vec<_>>(),
            })
        ),
    };
    (outcome, text)
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
