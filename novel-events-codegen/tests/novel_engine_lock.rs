//! The Novel Engine catalog's committed lock file is the lock of the catalog as it is: every
//! released version is recorded, with its fingerprint, and nothing else. After a release, write
//! it again with `cargo run -p novel-events-cli -- lock novel-events/catalog/novel-engine.yaml`,
//! and review the diff.

use std::path::Path;

use novel_events_codegen::evolution::{Lock, check_lock};
use novel_events_codegen::{CompatibilityMode, load_catalog};

const CATALOG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../novel-events/catalog/novel-engine.yaml"
);

#[test]
fn the_committed_lock_is_the_lock_of_the_catalog() {
    let path = Path::new(CATALOG);
    let catalog = load_catalog(path, "catalog/novel-engine.yaml")
        .unwrap_or_else(|errors| panic!("the catalog and its lock agree: {errors:#?}"));
    let lock_path = Lock::path_for(path);
    assert!(lock_path.ends_with("novel-engine.lock.json"));
    let committed = std::fs::read_to_string(&lock_path).expect("the lock file is committed");
    assert_eq!(
        committed,
        Lock::of(&catalog).to_string(),
        "novel-engine.lock.json is not the lock of novel-engine.yaml: write it again (see this file's docs)"
    );
    let lock = Lock::read(&lock_path).unwrap().unwrap();
    assert_eq!(lock.entries.len(), catalog.events().count());
    assert_eq!(check_lock(&catalog, &lock), Vec::new());
}

#[test]
fn the_catalog_declares_the_specifications_mode() {
    let catalog = load_catalog(Path::new(CATALOG), "catalog/novel-engine.yaml").unwrap();
    assert_eq!(catalog.compatibility, CompatibilityMode::Backward);
    assert!(
        catalog
            .events()
            .all(|event| event.compatibility == CompatibilityMode::Backward)
    );
}

#[test]
fn an_edit_in_place_of_a_released_event_is_refused() {
    let source = std::fs::read_to_string(CATALOG).unwrap();
    let edited = source.replacen("          name: string\n", "          name: string?\n", 1);
    assert_ne!(
        edited, source,
        "the catalog has a `name: string` field to edit"
    );
    let catalog = novel_events_codegen::parse_catalog(&edited, "novel-engine.yaml").unwrap();
    let lock = Lock::read(&Lock::path_for(Path::new(CATALOG)))
        .unwrap()
        .unwrap();
    let problems = check_lock(&catalog, &lock);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].message.contains("is released (locked at"),
        "{}",
        problems[0]
    );
}
