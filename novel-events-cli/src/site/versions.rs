//! The event types of a catalog with their versions, oldest first, and what changed at each
//! version: its compatibility mode, its change list (declared in the catalog's `changes:`, or
//! computed by `novel_events_codegen::evolution`) and the verdict, as `novel-events diff`
//! words them.

use std::collections::HashMap;

use novel_events::{CatalogInfo, EventInfo};
use novel_events_codegen::evolution::{self, ChangeKind, Lock, Verdict};
use novel_events_codegen::{Catalog, CompatibilityMode, DeclaredChange, Domain, EventDef};

/// One eventType and its versions.
pub(super) struct EventType<'a> {
    /// The domain it belongs to.
    pub domain: &'a Domain,
    /// Its versions in semver order, oldest first (never empty).
    pub versions: Vec<Version<'a>>,
}

impl EventType<'_> {
    /// The newest version.
    pub(super) fn latest(&self) -> &Version<'_> {
        self.versions
            .iter()
            .find(|version| version.info.is_latest)
            .or(self.versions.last())
            .expect("an event type has at least one version")
    }
}

/// One version of an eventType.
pub(super) struct Version<'a> {
    /// The catalog's definition (mode, change log, deprecation).
    pub def: &'a EventDef,
    /// The runtime's metadata (fields, subscribers, publisher).
    pub info: &'static EventInfo,
    /// What changed since the previous version (none for the first).
    pub step: Option<Step>,
}

/// What changed from the previous version to this one.
pub(super) struct Step {
    /// The previous version.
    pub previous: String,
    /// The `changes:` list, worded, when the catalog declares one (checked by `check`).
    pub declared: Option<Vec<String>>,
    /// The changes the comparison finds, worded, with what each breaks.
    pub computed: Vec<String>,
    /// Which readers read which events.
    pub verdict: Verdict,
    /// How the verdict stands against the version's mode.
    pub judgement: String,
}

/// Every eventType of `catalog` in order of first appearance, with its versions. `info` is the
/// runtime metadata of the same catalog (`metadata::catalog_info`).
pub(super) fn event_types<'a>(
    catalog: &'a Catalog,
    info: &'static CatalogInfo,
) -> Vec<EventType<'a>> {
    // The lock file lists versions in semver order: the codegen's own order, reused.
    let rank: HashMap<(String, String), usize> = Lock::of(catalog)
        .entries
        .into_iter()
        .enumerate()
        .map(|(rank, entry)| ((entry.event_type, entry.event_version), rank))
        .collect();
    let mut types: Vec<EventType<'a>> = Vec::new();
    let mut slots: HashMap<&str, usize> = HashMap::new();
    for domain in &catalog.domains {
        for def in &domain.events {
            let Some(event_info) = info.event(&def.event_type, &def.event_version) else {
                continue;
            };
            let slot = *slots.entry(&def.event_type).or_insert_with(|| {
                types.push(EventType {
                    domain,
                    versions: Vec::new(),
                });
                types.len() - 1
            });
            types[slot].versions.push(Version {
                def,
                info: event_info,
                step: None,
            });
        }
    }
    for event_type in &mut types {
        event_type.versions.sort_by_key(|version| {
            rank.get(&(
                version.def.event_type.clone(),
                version.def.event_version.clone(),
            ))
            .copied()
            .unwrap_or(usize::MAX)
        });
        for index in 1..event_type.versions.len() {
            let older = event_type.versions[index - 1].def;
            let newer = event_type.versions[index].def;
            event_type.versions[index].step = Some(step(catalog, older, newer));
        }
    }
    types
}

fn step(catalog: &Catalog, older: &EventDef, newer: &EventDef) -> Step {
    let changes = evolution::changes(catalog, older, newer);
    let verdict = Verdict::of(&changes);
    let computed = changes
        .iter()
        .map(|change| {
            let mut text = change.describe();
            for (direction, why) in [
                ("backward", &change.breaks_backward),
                ("forward", &change.breaks_forward),
            ] {
                if let Some(why) = why {
                    text.push_str(&format!("; breaks {direction}: {why}"));
                }
            }
            text
        })
        .collect();
    let major = |version: &str| version.split('.').next().unwrap_or_default().to_owned();
    let mode = newer.compatibility;
    let judgement = if mode == CompatibilityMode::None {
        "mode `none`: nothing is checked".to_owned()
    } else if major(&older.event_version) != major(&newer.event_version) {
        "a new major version: breaking changes allowed".to_owned()
    } else if verdict.satisfies(mode) {
        format!("keeps its mode `{mode}`")
    } else {
        format!("BREAKS its mode `{mode}`")
    };
    Step {
        previous: older.event_version.clone(),
        declared: newer
            .changes
            .as_ref()
            .map(|log| log.entries.iter().map(declared).collect()),
        computed,
        verdict,
        judgement,
    }
}

/// A declared change in the words of [`evolution::Change::describe`].
fn declared(change: &DeclaredChange) -> String {
    let mut text = match (&change.kind, &change.from) {
        (ChangeKind::FieldRenamed, Some(from)) => {
            format!("{} `{from}` → `{}`", change.kind, change.field)
        }
        _ => format!("{} `{}`", change.kind, change.field),
    };
    let mut details = Vec::new();
    if let Some(optional) = change.optional {
        details.push(if optional { "optional" } else { "required" }.to_owned());
    }
    if let Some(removal) = &change.removal_version {
        details.push(format!("removed in {removal}"));
    }
    if let Some(values) = &change.values {
        details.push(values.join(", "));
    }
    if !details.is_empty() {
        text.push_str(&format!(" ({})", details.join("; ")));
    }
    text
}

/// "backward and forward compatible", as `novel-events diff` says it.
pub(super) fn verdict_text(verdict: Verdict) -> &'static str {
    match (verdict.backward, verdict.forward) {
        (true, true) => "backward and forward compatible",
        (true, false) => "backward compatible, not forward",
        (false, true) => "forward compatible, not backward",
        (false, false) => "neither backward nor forward compatible",
    }
}
