//! Catalog files read once per compilation, not once per derived struct.
//!
//! The proc-macro server of rust-analyzer lives across edits, so the cache is keyed on the
//! file's path *and* its modification time and length: an edited file is read again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use novel_events_codegen::derive::LoadedCatalog;

type Entry = (Option<SystemTime>, u64, Result<Arc<LoadedCatalog>, String>);

fn cache() -> &'static Mutex<HashMap<PathBuf, Entry>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Entry>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Loads `relative` (relative to the crate's directory), reusing the parse of an unchanged file.
pub fn load(relative: &str) -> Result<Arc<LoadedCatalog>, String> {
    let Some(base) = crate::base_dir() else {
        return Err("CARGO_MANIFEST_DIR is not set: catalog paths are relative to the crate's directory, so build with cargo (or set NOVEL_EVENTS_MANIFEST_DIR)".to_owned());
    };
    load_from(&base, relative)
}

fn load_from(base: &Path, relative: &str) -> Result<Arc<LoadedCatalog>, String> {
    let path = base.join(relative);
    let metadata = std::fs::metadata(&path).map_err(|error| {
        format!(
            "cannot read the catalog `{relative}` ({error}); the path is relative to the crate's directory, {}",
            base.display()
        )
    })?;
    let stamp = (metadata.modified().ok(), metadata.len());
    let mut cache = cache()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((modified, len, result)) = cache.get(&path)
        && (*modified, *len) == stamp
        && modified.is_some()
    {
        return result.clone();
    }
    let result = read(&path, relative);
    cache.insert(path, (stamp.0, stamp.1, result.clone()));
    result
}

fn read(path: &Path, relative: &str) -> Result<Arc<LoadedCatalog>, String> {
    novel_events_codegen::load_catalog(path, relative)
        .map(|catalog| {
            Arc::new(LoadedCatalog {
                catalog,
                path: path.to_path_buf(),
            })
        })
        .map_err(|diagnostics| {
            let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
            format!("the catalog has errors:\n{}", lines.join("\n"))
        })
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

        let first = load_from(&dir, "c.yaml").unwrap();
        let second = load_from(&dir, "c.yaml").unwrap();
        assert!(
            Arc::ptr_eq(&first, &second),
            "an unchanged file is parsed once"
        );

        let changed = CATALOG.replace(
            "          id: uuid\n",
            "          id: uuid\n          label: string\n",
        );
        std::fs::write(dir.join("c.yaml"), changed).unwrap();
        let third = load_from(&dir, "c.yaml").unwrap();
        assert!(!Arc::ptr_eq(&first, &third), "a changed file is read again");
        assert_eq!(third.catalog.events().next().unwrap().payload.len(), 2);

        std::fs::write(dir.join("c.yaml"), "catalog: [").unwrap();
        let error = load_from(&dir, "c.yaml").unwrap_err();
        assert!(error.contains("c.yaml:"), "{error}");
        assert!(
            load_from(&dir, "missing.yaml")
                .unwrap_err()
                .contains("cannot read the catalog")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
