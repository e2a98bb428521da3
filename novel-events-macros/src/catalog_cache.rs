//! Catalog files read once per compilation, not once per macro that names them, and the
//! record of where a broken catalog was reported in full (see
//! `novel_events_codegen::CatalogError`): its first use in the compilation gets every
//! problem, the others one short error pointing there.
//!
//! The proc-macro server of rust-analyzer lives across edits, so the cache is keyed on the
//! file's path *and* the modification time and length of the file and of its lock file
//! (`novel_events_codegen::evolution::Lock::path_for`): an edited catalog or lock is read
//! again, and its problems are reported in full again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use novel_events_codegen::CatalogError;
use novel_events_codegen::derive::LoadedCatalog;
use syn::LitStr;

/// One file as last read: its stamp, and the catalog or its problems with the use they were
/// reported on.
struct Entry {
    stamp: Stamp,
    result: Result<Arc<LoadedCatalog>, Invalid>,
}

/// The problems of a broken catalog, and the use (`file:line:column`) that reported them.
struct Invalid {
    diagnostics: Vec<novel_events_codegen::Diagnostic>,
    reported_at: Option<String>,
}

/// The modification time and length of the catalog, and of its lock file when there is one.
#[derive(Clone, Copy, PartialEq)]
struct Stamp {
    catalog: (Option<SystemTime>, u64),
    lock: Option<(Option<SystemTime>, u64)>,
}

impl Stamp {
    /// Whether the times could be read, so that an equal stamp means an unchanged file.
    fn is_reliable(&self) -> bool {
        self.catalog.0.is_some() && self.lock.is_none_or(|(modified, _)| modified.is_some())
    }
}

fn cache() -> &'static Mutex<HashMap<PathBuf, Entry>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Entry>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Loads the catalog named by `literal` (relative to the crate's directory), reusing the parse
/// of an unchanged file.
pub fn load(literal: &LitStr) -> Result<Arc<LoadedCatalog>, CatalogError> {
    let Some(base) = crate::base_dir() else {
        return Err(CatalogError::Unreadable("CARGO_MANIFEST_DIR is not set: catalog paths are relative to the crate's directory, so build with cargo (or set NOVEL_EVENTS_MANIFEST_DIR)".to_owned()));
    };
    load_from(&base, &literal.value(), &location(literal))
}

/// `file:line:column` of the literal, which names this use of the catalog.
fn location(literal: &LitStr) -> String {
    let span = literal.span().unwrap();
    format!("{}:{}:{}", span.file(), span.line(), span.column())
}

fn load_from(base: &Path, relative: &str, here: &str) -> Result<Arc<LoadedCatalog>, CatalogError> {
    let path = base.join(relative);
    let metadata = match std::fs::metadata(&path) {
        Ok(metadata) if metadata.is_file() => metadata,
        _ => {
            return Err(CatalogError::not_found(
                relative,
                &path.display().to_string(),
                if crate::manifest_dir_override().is_some() {
                    "NOVEL_EVENTS_MANIFEST_DIR, which is set"
                } else {
                    "the directory of the crate's Cargo.toml, CARGO_MANIFEST_DIR"
                },
            ));
        }
    };
    let lock = std::fs::metadata(novel_events_codegen::evolution::Lock::path_for(&path))
        .ok()
        .map(|lock| (lock.modified().ok(), lock.len()));
    let stamp = Stamp {
        catalog: (metadata.modified().ok(), metadata.len()),
        lock,
    };
    let mut cache = cache()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let fresh = cache
        .get(&path)
        .is_some_and(|entry| entry.stamp.is_reliable() && entry.stamp == stamp);
    if !fresh {
        let result = novel_events_codegen::load_catalog(&path, relative)
            .map(|catalog| {
                Arc::new(LoadedCatalog {
                    catalog,
                    path: path.clone(),
                })
            })
            .map_err(|diagnostics| Invalid {
                diagnostics,
                reported_at: None,
            });
        cache.insert(path.clone(), Entry { stamp, result });
    }
    let Some(entry) = cache.get_mut(&path) else {
        return Err(CatalogError::Unreadable(format!(
            "cannot read the catalog `{relative}`"
        )));
    };
    match &mut entry.result {
        Ok(loaded) => Ok(Arc::clone(loaded)),
        Err(invalid) => match &invalid.reported_at {
            Some(at) if at != here => Err(CatalogError::ReportedElsewhere {
                catalog: relative.to_owned(),
                count: invalid.diagnostics.len(),
                at: at.clone(),
            }),
            _ => {
                invalid.reported_at = Some(here.to_owned());
                Err(CatalogError::Invalid(invalid.diagnostics.clone()))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOG: &str = "catalog: t\nversion: \"1.0.0\"\ndomains:\n  things:\n    events:\n      - name: ThingMade\n        eventType: things.thing.made\n        eventVersion: \"1.0.0\"\n        aggregateType: Thing\n        aggregateId: id\n        payload:\n          id: uuid\n";

    #[test]
    fn reads_once_and_again_after_a_change() {
        let dir = std::env::temp_dir().join(format!("novel-events-cache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("c.yaml"), CATALOG).unwrap();

        let first = load_from(&dir, "c.yaml", "a.rs:1:1").unwrap();
        let second = load_from(&dir, "c.yaml", "b.rs:1:1").unwrap();
        assert!(
            Arc::ptr_eq(&first, &second),
            "an unchanged file is parsed once"
        );

        let changed = CATALOG.replace(
            "          id: uuid\n",
            "          id: uuid\n          label: string\n",
        );
        std::fs::write(dir.join("c.yaml"), changed).unwrap();
        let third = load_from(&dir, "c.yaml", "a.rs:1:1").unwrap();
        assert!(!Arc::ptr_eq(&first, &third), "a changed file is read again");
        assert_eq!(third.catalog.events().next().unwrap().payload.len(), 2);

        std::fs::write(dir.join("c.yaml"), "catalog: [").unwrap();
        let Err(CatalogError::Invalid(diagnostics)) = load_from(&dir, "c.yaml", "a.rs:1:1") else {
            panic!("the first use of a broken catalog gets its problems");
        };
        assert!(diagnostics[0].to_string().starts_with("c.yaml:"));
        assert_eq!(
            load_from(&dir, "c.yaml", "b.rs:2:2").unwrap_err(),
            CatalogError::ReportedElsewhere {
                catalog: "c.yaml".into(),
                count: diagnostics.len(),
                at: "a.rs:1:1".into(),
            },
            "another use points to the first"
        );
        assert!(
            matches!(
                load_from(&dir, "c.yaml", "a.rs:1:1"),
                Err(CatalogError::Invalid(_))
            ),
            "the first use, expanded again, gets the problems again"
        );
        let Err(CatalogError::Unreadable(message)) = load_from(&dir, "missing.yaml", "a.rs:1:1")
        else {
            panic!("a missing file is unreadable");
        };
        assert!(
            message.contains("catalog file not found: `missing.yaml`"),
            "{message}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_lock_beside_the_catalog_is_checked_and_its_edits_seen() {
        use novel_events_codegen::evolution::Lock;
        let dir = std::env::temp_dir().join(format!("novel-events-lock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("c.yaml"), CATALOG).unwrap();
        let loaded = load_from(&dir, "c.yaml", "a.rs:1:1").unwrap();
        let lock = Lock::of(&loaded.catalog).to_string();
        std::fs::write(dir.join("c.lock.json"), &lock).unwrap();
        assert!(
            load_from(&dir, "c.yaml", "a.rs:1:1").is_ok(),
            "a lock that agrees"
        );

        // The same length, another fingerprint: the file is told apart by its time.
        let at = lock.find("sha256:").unwrap() + "sha256:".len();
        let digit = if lock[at..].starts_with('0') {
            "1"
        } else {
            "0"
        };
        let tampered = format!("{}{digit}{}", &lock[..at], &lock[at + 1..]);
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.join("c.lock.json"), &tampered).unwrap();
        let Err(CatalogError::Invalid(diagnostics)) = load_from(&dir, "c.yaml", "a.rs:1:1") else {
            panic!("an edited lock is read again, and a catalog that no longer matches it refused");
        };
        assert!(
            diagnostics[0].to_string().starts_with(
                "c.yaml:8:23: ThingMade 1.0.0 is released (locked at c.lock.json:6:5)"
            ),
            "{diagnostics:?}"
        );
        std::fs::write(dir.join("c.lock.json"), "{}").unwrap();
        let Err(CatalogError::Invalid(diagnostics)) = load_from(&dir, "c.yaml", "a.rs:1:1") else {
            panic!("a lock that is not ours is an error");
        };
        assert!(
            diagnostics[0]
                .to_string()
                .starts_with("c.lock.json:1:1: no `format` key")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
