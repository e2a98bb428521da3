//! The hand-written envelopes of the Novel Engine catalog, under `tests/fixtures/novel-engine/`.

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
