//! The lock file: the schema fingerprint of every released (eventType, eventVersion), so that a
//! released version is never edited in place nor deleted before its removal version.
//!
//! It stands beside the catalog, named after it: `novel-engine.yaml` → `novel-engine.lock.json`
//! ([`Lock::path_for`]). It is JSON, one event version a line, written by `novel-events lock`
//! (or [`Lock::of`] and [`Lock::write`]) and committed with the catalog; `include_catalog!`
//! reads it when it exists and reports [`check_lock`]'s errors as compile errors.

use crate::json_string::json_string;
use std::fmt;
use std::path::{Path, PathBuf};

use super::fingerprint::{Memo, fingerprint};
use super::version::Version;
use crate::diagnostic::{Diagnostic, Location, shorten};
use crate::model::{Catalog, EventDef};
use crate::yaml::{self, Entry, Node, Value};

/// What the `format` key of a lock file says.
pub const LOCK_FORMAT: &str = "novel-events-lock";
/// The version of the lock format this crate reads and writes (`formatVersion`).
pub const LOCK_FORMAT_VERSION: u32 = 1;

/// The released versions of a catalog's events.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Lock {
    /// The catalog's name (its `catalog:` key).
    pub catalog: String,
    /// Where the lock file writes the catalog's name; `None` for a lock built by [`Lock::of`].
    pub catalog_location: Option<Location>,
    /// One entry per released version, sorted by eventType then version.
    pub entries: Vec<LockEntry>,
}

/// One released event version.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LockEntry {
    /// The event type.
    pub event_type: String,
    /// The released version.
    pub event_version: String,
    /// `sha256:…` of the version's canonical schema.
    pub fingerprint: String,
    /// The version's removal version, when it is deprecated: once the catalog holds a version
    /// of the event at or past it, this version may be deleted.
    pub removal_version: Option<String>,
    /// Where the entry is written in the lock file (`lock:1:1` for a lock built in memory).
    pub location: Location,
}

impl Lock {
    /// The lock file of the catalog at `catalog`: beside it, `<stem>.lock.json`.
    pub fn path_for(catalog: &Path) -> PathBuf {
        let stem = catalog
            .file_stem()
            .map_or_else(|| "catalog".into(), |stem| stem.to_string_lossy());
        catalog.with_file_name(format!("{stem}.lock.json"))
    }

    /// The lock of every version `catalog` declares now.
    pub fn of(catalog: &Catalog) -> Lock {
        let mut memo = Memo::new();
        let mut entries: Vec<LockEntry> = catalog
            .events()
            .map(|event| LockEntry {
                event_type: event.event_type.clone(),
                event_version: event.event_version.clone(),
                fingerprint: fingerprint(catalog, event, &mut memo),
                removal_version: event
                    .deprecated
                    .as_ref()
                    .map(|deprecation| deprecation.removal_version.clone()),
                location: Location::new("lock", 1, 1),
            })
            .collect();
        entries.sort_by_cached_key(|entry| {
            (entry.event_type.clone(), Version::new(&entry.event_version))
        });
        Lock {
            catalog: catalog.name.clone(),
            catalog_location: None,
            entries,
        }
    }

    /// Reads the lock file at `path`: `Ok(None)` when there is none, an error (with
    /// `file:line:column`) when it cannot be read, is not a lock file, or is damaged.
    pub fn read(path: &Path) -> Result<Option<Lock>, Diagnostic> {
        Self::read_as(path, &path.display().to_string())
    }

    /// [`Lock::read`], naming the file `display` in errors.
    pub fn read_as(path: &Path, display: &str) -> Result<Option<Lock>, Diagnostic> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, display).map(Some),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(Diagnostic::new(
                Location::new(display, 1, 1),
                format!("cannot read the lock file `{}`: {error}", path.display()),
            )),
        }
    }

    /// Reads a lock file's text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Lock, Diagnostic> {
        let not_ours = |location: &Location, what: String| {
            Diagnostic::new(
                location.clone(),
                format!(
                    "{what}: this is not a novel-events lock file (expected a JSON object with \"format\": \"{LOCK_FORMAT}\", \"formatVersion\": {LOCK_FORMAT_VERSION}, \"catalog\" and \"events\"; write it with `novel-events lock`)"
                ),
            )
        };
        if text.trim().is_empty() {
            return Err(not_ours(
                &Location::new(file, 1, 1),
                "the lock file is empty".into(),
            ));
        }
        let root = yaml::parse(text, file).map_err(|error| {
            Diagnostic::new(
                error.location,
                format!(
                    "the lock file is damaged: {}; restore it from version control or write it again with `novel-events lock`",
                    error.message.replace("YAML syntax error", "syntax error")
                ),
            )
        })?;
        let Value::Mapping(entries) = &root.value else {
            return Err(not_ours(&root.location, format!("found {}", root.kind())));
        };
        let format = get(entries, "format");
        match format {
            Some(node) if text_of(node) == Some(LOCK_FORMAT) => {}
            Some(node) => {
                return Err(not_ours(
                    &node.location,
                    format!("`format` is {}", describe(node)),
                ));
            }
            None => return Err(not_ours(&root.location, "no `format` key".into())),
        }
        let version = required(entries, "formatVersion", &root.location)?;
        if text_of(version) != Some(&LOCK_FORMAT_VERSION.to_string()) {
            return Err(Diagnostic::new(
                version.location.clone(),
                format!(
                    "lock format version {} is not one this novel-events reads (it reads version {LOCK_FORMAT_VERSION}); update novel-events, or write the lock again with `novel-events lock`",
                    describe(version)
                ),
            ));
        }
        for entry in entries {
            if !["format", "formatVersion", "catalog", "events"].contains(&entry.key.as_str()) {
                return Err(damaged(
                    &entry.key_location,
                    format!("unknown key `{}` at the top level", shorten(&entry.key)),
                ));
            }
        }
        let catalog_node = required(entries, "catalog", &root.location)?;
        let catalog = string(catalog_node, "`catalog`")?;
        let events = required(entries, "events", &root.location)?;
        let Value::Sequence(items) = &events.value else {
            return Err(damaged(
                &events.location,
                format!("`events` is {}, expected a list", events.kind()),
            ));
        };
        let mut lock = Lock {
            catalog,
            catalog_location: Some(catalog_node.location.clone()),
            entries: Vec::with_capacity(items.len()),
        };
        let mut seen = std::collections::HashMap::new();
        for item in items {
            let entry = lock_entry(item)?;
            if let Some(first) = seen.insert(
                (entry.event_type.clone(), entry.event_version.clone()),
                entry.location.clone(),
            ) {
                return Err(damaged(
                    &entry.location,
                    format!(
                        "{} {} is locked twice (first at {first})",
                        entry.event_type, entry.event_version
                    ),
                ));
            }
            lock.entries.push(entry);
        }
        Ok(lock)
    }

    /// Writes the lock to `path`, atomically: to a temporary file beside it, then renamed over
    /// it, so that a build reading the lock meanwhile (or an interrupted write) never sees
    /// half a file.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(format!(".{}.tmp", std::process::id()));
        let temporary = std::path::PathBuf::from(temporary);
        std::fs::write(&temporary, self.to_string())?;
        std::fs::rename(&temporary, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
    }
}

/// The lock file's text: JSON, one event version a line, ending with a newline.
impl fmt::Display for Lock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{{")?;
        writeln!(f, "  \"format\": {},", json_string(LOCK_FORMAT))?;
        writeln!(f, "  \"formatVersion\": {LOCK_FORMAT_VERSION},")?;
        writeln!(f, "  \"catalog\": {},", json_string(&self.catalog))?;
        if self.entries.is_empty() {
            writeln!(f, "  \"events\": []")?;
        } else {
            writeln!(f, "  \"events\": [")?;
            for (index, entry) in self.entries.iter().enumerate() {
                write!(
                    f,
                    "    {{ \"eventType\": {}, \"eventVersion\": {}, \"fingerprint\": {}",
                    json_string(&entry.event_type),
                    json_string(&entry.event_version),
                    json_string(&entry.fingerprint)
                )?;
                if let Some(removal) = &entry.removal_version {
                    write!(f, ", \"removalVersion\": {}", json_string(removal))?;
                }
                let comma = if index + 1 < self.entries.len() {
                    ","
                } else {
                    ""
                };
                writeln!(f, " }}{comma}")?;
            }
            writeln!(f, "  ]")?;
        }
        writeln!(f, "}}")
    }
}

/// Checks `catalog` against its lock: every locked version still declared has the locked
/// fingerprint, and every locked version no longer declared was deprecated and is past its
/// removal version. Versions the lock does not hold are unreleased and free to change.
pub fn check_lock(catalog: &Catalog, lock: &Lock) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if lock.catalog != catalog.name {
        let at = lock
            .catalog_location
            .clone()
            .unwrap_or_else(|| Location::new("lock", 1, 1));
        problems.push(Diagnostic::new(
            at,
            format!(
                "this lock file belongs to the catalog `{}`, not `{}`: each catalog has its own lock beside it, `<catalog file stem>.lock.json`",
                shorten(&lock.catalog),
                shorten(&catalog.name)
            ),
        ));
        return problems;
    }
    let mut memo = Memo::new();
    let mut by_type: std::collections::HashMap<&str, Vec<&EventDef>> =
        std::collections::HashMap::new();
    for event in catalog.events() {
        by_type.entry(&event.event_type).or_default().push(event);
    }
    for entry in &lock.entries {
        let versions = by_type
            .get(entry.event_type.as_str())
            .map_or(&[][..], Vec::as_slice);
        match versions
            .iter()
            .find(|event| event.event_version == entry.event_version)
        {
            Some(event) => {
                if fingerprint(catalog, event, &mut memo) != entry.fingerprint {
                    let next =
                        next_minor(versions.iter().map(|event| event.event_version.as_str()));
                    problems.push(Diagnostic::new(
                        event.spans.event_version.clone(),
                        format!(
                            "{} {} is released (locked at {}), and its schema is no longer the locked one: a released version cannot be edited in place. Undo the edit here, and make it in a new version of the event: bump `eventVersion` (to {next}, for example) in a copy of this entry, then run `novel-events lock`",
                            event.name, event.event_version, entry.location
                        ),
                    ));
                }
            }
            None => {
                let newest = versions
                    .iter()
                    .map(|event| Version::new(&event.event_version))
                    .max();
                let past = match (&entry.removal_version, &newest) {
                    (Some(removal), Some(newest)) => *newest >= Version::new(removal),
                    _ => false,
                };
                if !past {
                    let why = match &entry.removal_version {
                        Some(removal) => format!(
                            "it may leave once the catalog holds version {removal} of `{}` (its removal version)",
                            entry.event_type
                        ),
                        None => "it is not deprecated: restore it, mark it `deprecated: true` with a `removalVersion`, and delete it once the event has reached that version".to_owned(),
                    };
                    problems.push(Diagnostic::new(
                        entry.location.clone(),
                        format!(
                            "{} {} is released (locked here) but the catalog no longer declares it: {why}. Keep the released version, and bump `eventVersion` for a new one",
                            entry.event_type, entry.event_version
                        ),
                    ));
                }
            }
        }
    }
    problems
}

/// The version after the newest of `versions`, one minor up: `1.2.0` → `1.3.0`.
fn next_minor<'v>(versions: impl Iterator<Item = &'v str>) -> String {
    let newest = versions
        .max_by_key(|version| Version::new(version))
        .unwrap_or("1.0.0");
    let core = newest.split(['-', '+']).next().unwrap_or(newest);
    let mut parts = core.split('.').map(|part| part.parse::<u64>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    format!("{major}.{}.0", minor + 1)
}

fn lock_entry(item: &Node) -> Result<LockEntry, Diagnostic> {
    let Value::Mapping(entries) = &item.value else {
        return Err(damaged(
            &item.location,
            format!(
                "an entry of `events` is {}, expected an object",
                item.kind()
            ),
        ));
    };
    for entry in entries {
        if !["eventType", "eventVersion", "fingerprint", "removalVersion"]
            .contains(&entry.key.as_str())
        {
            return Err(damaged(
                &entry.key_location,
                format!(
                    "unknown key `{}` in an entry of `events`",
                    shorten(&entry.key)
                ),
            ));
        }
    }
    let event_type = string(
        required(entries, "eventType", &item.location)?,
        "`eventType`",
    )?;
    let event_version = string(
        required(entries, "eventVersion", &item.location)?,
        "`eventVersion`",
    )?;
    let fingerprint_node = required(entries, "fingerprint", &item.location)?;
    let fingerprint = string(fingerprint_node, "`fingerprint`")?;
    let well_formed = fingerprint
        .strip_prefix("sha256:")
        .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
    if !well_formed {
        return Err(damaged(
            &fingerprint_node.location,
            format!(
                "the fingerprint `{}` is not `sha256:` and 64 hex digits",
                shorten(&fingerprint)
            ),
        ));
    }
    let removal_version = get(entries, "removalVersion")
        .map(|node| string(node, "`removalVersion`"))
        .transpose()?;
    Ok(LockEntry {
        event_type,
        event_version,
        fingerprint,
        removal_version,
        location: item.location.clone(),
    })
}

fn damaged(location: &Location, what: String) -> Diagnostic {
    Diagnostic::new(
        location.clone(),
        format!(
            "the lock file is damaged: {what}; restore it from version control or write it again with `novel-events lock`"
        ),
    )
}

fn get<'a>(entries: &'a [Entry], key: &str) -> Option<&'a Node> {
    entries
        .iter()
        .find(|entry| entry.key == key)
        .map(|entry| &entry.value)
}

fn required<'a>(entries: &'a [Entry], key: &str, at: &Location) -> Result<&'a Node, Diagnostic> {
    get(entries, key).ok_or_else(|| damaged(at, format!("the key `{key}` is missing")))
}

fn text_of(node: &Node) -> Option<&str> {
    match &node.value {
        Value::Scalar { text, .. } => Some(text),
        _ => None,
    }
}

fn string(node: &Node, what: &str) -> Result<String, Diagnostic> {
    match &node.value {
        Value::Scalar { text, quoted: true } => Ok(text.clone()),
        _ => Err(damaged(
            &node.location,
            format!("{what} is {}, expected a string", describe(node)),
        )),
    }
}

fn describe(node: &Node) -> String {
    match &node.value {
        Value::Scalar { text, .. } => format!("`{}`", shorten(text)),
        _ => node.kind().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_catalog;

    const CATALOG: &str = "catalog: t\nversion: \"1.0.0\"\ntypes:\n  Mood: { enum: [calm, sad] }\ndomains:\n  things:\n    events:\n      - name: ThingDone\n        eventType: things.thing.done\n        eventVersion: \"1.0.0\"\n        aggregateType: Thing\n        aggregateId: id\n        deprecated: true\n        removalVersion: \"2.0.0\"\n        payload:\n          id: uuid\n          mood: Mood\n          note: { type: string, description: a note }\n      - name: ThingDone\n        eventType: things.thing.done\n        eventVersion: \"1.1.0\"\n        aggregateType: Thing\n        aggregateId: id\n        payload:\n          id: uuid\n          mood: Mood\n          note: string\n          extra: string?\n";

    fn catalog(text: &str) -> Catalog {
        parse_catalog(text, "t.yaml").unwrap()
    }

    fn problems(text: &str, lock: &Lock) -> Vec<String> {
        check_lock(&catalog(text), lock)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn written_and_read_back() {
        let lock = Lock::of(&catalog(CATALOG));
        let text = lock.to_string();
        assert!(text.starts_with("{\n  \"format\": \"novel-events-lock\",\n  \"formatVersion\": 1,\n  \"catalog\": \"t\",\n  \"events\": [\n    { \"eventType\": \"things.thing.done\", \"eventVersion\": \"1.0.0\", \"fingerprint\": \"sha256:"), "{text}");
        assert!(
            text.contains("\"removalVersion\": \"2.0.0\" },\n"),
            "{text}"
        );
        let read = Lock::parse(&text, "t.lock.json").unwrap();
        assert_eq!(read.catalog, "t");
        assert_eq!(read.entries.len(), 2);
        assert_eq!(read.entries[1].location, Location::new("t.lock.json", 7, 5));
        for (read, made) in read.entries.iter().zip(&lock.entries) {
            assert_eq!(
                (
                    &read.event_type,
                    &read.event_version,
                    &read.fingerprint,
                    &read.removal_version
                ),
                (
                    &made.event_type,
                    &made.event_version,
                    &made.fingerprint,
                    &made.removal_version
                )
            );
        }
        assert_eq!(problems(CATALOG, &read), Vec::<String>::new());
        assert_eq!(
            Lock::path_for(Path::new("catalog/novel-engine.yaml")),
            Path::new("catalog/novel-engine.lock.json")
        );
    }

    #[test]
    fn the_fingerprint_is_of_the_schema_not_of_the_text() {
        let lock = Lock::of(&catalog(CATALOG));
        // Order of fields and of enum values, descriptions, quoting, a named type's name.
        let same = CATALOG
            .replace("Mood: { enum: [calm, sad] }", "Feeling: { enum: [sad, calm], description: how }")
            .replace("mood: Mood", "mood: Feeling")
            .replace("note: { type: string, description: a note }", "note: \"string\"")
            .replace("          id: uuid\n          mood: Feeling\n          note: \"string\"\n      - name", "          note: \"string\"\n          mood: Feeling\n          id: uuid\n      - name");
        assert_eq!(Lock::of(&catalog(&same)).entries, lock.entries);
        // The version's own deprecation is not part of its schema.
        let undeprecated = CATALOG.replace(
            "        deprecated: true\n        removalVersion: \"2.0.0\"\n",
            "",
        );
        assert_eq!(problems(&undeprecated, &lock), Vec::<String>::new());
        // A named type's structure is.
        let edited = CATALOG.replace("[calm, sad]", "[calm, sad, angry]");
        let errors = problems(&edited, &lock);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with("t.yaml:10:23: ThingDone 1.0.0 is released (locked at lock:1:1), and its schema is no longer the locked one: a released version cannot be edited in place")
                && errors[0].contains("bump `eventVersion` (to 1.2.0, for example)"),
            "{errors:?}"
        );
    }

    #[test]
    fn released_versions_leave_only_past_their_removal_version() {
        let lock = Lock::parse(&Lock::of(&catalog(CATALOG)).to_string(), "t.lock.json").unwrap();
        let without_1_0 = {
            let start = CATALOG.find("      - name").unwrap();
            let second = CATALOG[start + 1..].find("      - name").unwrap() + start + 1;
            format!("{}{}", &CATALOG[..start], &CATALOG[second..])
        };
        // 1.0.0 is deprecated until 2.0.0, and the catalog's newest is 1.1.0.
        let errors = problems(&without_1_0, &lock);
        assert_eq!(
            errors,
            [
                "t.lock.json:6:5: things.thing.done 1.0.0 is released (locked here) but the catalog no longer declares it: it may leave once the catalog holds version 2.0.0 of `things.thing.done` (its removal version). Keep the released version, and bump `eventVersion` for a new one"
            ]
        );
        let at_2_0 = without_1_0.replace("eventVersion: \"1.1.0\"", "eventVersion: \"2.0.0\"");
        assert_eq!(
            problems(&at_2_0, &lock).len(),
            1,
            "2.0.0 is not locked, 1.1.0 is: {:?}",
            problems(&at_2_0, &lock)
        );
        assert!(problems(&at_2_0, &lock)[0].contains("things.thing.done 1.1.0 is released (locked here) but the catalog no longer declares it: it is not deprecated"));
        // A version the lock does not hold is free.
        let partial = Lock {
            entries: lock.entries[..1].to_vec(),
            ..lock.clone()
        };
        let edited_unreleased = CATALOG.replace("extra: string?", "extra: integer?");
        assert_eq!(problems(&edited_unreleased, &partial), Vec::<String>::new());
        let other = Lock {
            catalog: "other".into(),
            ..lock
        };
        assert!(problems(CATALOG, &other)[0].starts_with(
            "t.lock.json:4:14: this lock file belongs to the catalog `other`, not `t`"
        ));
    }

    #[test]
    fn a_lock_that_is_not_ours_or_damaged_is_a_clear_error() {
        let error = |text: &str| Lock::parse(text, "t.lock.json").unwrap_err().to_string();
        assert!(error("").starts_with(
            "t.lock.json:1:1: the lock file is empty: this is not a novel-events lock file"
        ));
        assert!(
            error("{\"name\": \"x\", \"lockfileVersion\": 3}").starts_with(
                "t.lock.json:1:1: no `format` key: this is not a novel-events lock file"
            )
        );
        assert!(error("{\"format\": \"cargo\"}").starts_with(
            "t.lock.json:1:12: `format` is `cargo`: this is not a novel-events lock file"
        ));
        assert!(error("[1, 2]").starts_with("t.lock.json:1:1: found a sequence: this is not"));
        assert!(error("{\"format\": \"novel-events-lock\", \"formatVersion\": 2, \"catalog\": \"t\", \"events\": []}").contains("lock format version `2` is not one this novel-events reads"));
        let damaged = error(
            "{\"format\": \"novel-events-lock\",\n \"formatVersion\": 1, \"catalog\": \"t\",\n \"events\": [ { \"eventType\": \"a.b.c\", ",
        );
        assert!(
            damaged.starts_with("t.lock.json:4:1:")
                && damaged.contains("the lock file is damaged: syntax error"),
            "{damaged}"
        );
        let bad_hash = error(
            "{\"format\": \"novel-events-lock\", \"formatVersion\": 1, \"catalog\": \"t\",\n\"events\": [ { \"eventType\": \"a.b.c\", \"eventVersion\": \"1.0.0\", \"fingerprint\": \"sha256:12\" } ]}",
        );
        assert!(bad_hash.starts_with("t.lock.json:2:77: the lock file is damaged: the fingerprint `sha256:12` is not `sha256:` and 64 hex digits"), "{bad_hash}");
        let hash = format!("sha256:{}", "0".repeat(64));
        let twice = error(&format!(
            "{{\"format\": \"novel-events-lock\", \"formatVersion\": 1, \"catalog\": \"t\", \"events\": [\n{{ \"eventType\": \"a.b.c\", \"eventVersion\": \"1.0.0\", \"fingerprint\": \"{hash}\" }},\n{{ \"eventType\": \"a.b.c\", \"eventVersion\": \"1.0.0\", \"fingerprint\": \"{hash}\" }}]}}"
        ));
        assert!(twice.starts_with("t.lock.json:3:1: the lock file is damaged: a.b.c 1.0.0 is locked twice (first at t.lock.json:2:1)"), "{twice}");
        let extra = error(
            "{\"format\": \"novel-events-lock\", \"formatVersion\": 1, \"catalog\": \"t\", \"events\": [], \"x\": 1}",
        );
        assert!(
            extra.contains("unknown key `x` at the top level"),
            "{extra}"
        );
        assert_eq!(Lock::read(Path::new("/nonexistent/t.lock.json")), Ok(None));
    }
}
