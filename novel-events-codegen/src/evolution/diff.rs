//! The difference between two catalogs, event type by event type: what `novel-events diff OLD
//! NEW` prints.

use super::change::{Change, Verdict};
use super::compare::Comparer;
use super::history;
use super::version::Version;
use crate::model::{Catalog, CompatibilityMode};

/// How one event type differs between an older and a newer catalog: the newest version of
/// each compared.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct EventDiff {
    /// The event type (`characters.character.created`).
    pub event_type: String,
    /// The event's name, in the newer catalog when it has the event.
    pub name: String,
    /// The newest version in the older catalog; `None` when the event type is new.
    pub old_version: Option<String>,
    /// The newest version in the newer catalog; `None` when the event type was removed.
    pub new_version: Option<String>,
    /// The newer version's compatibility mode (the older one's when the event was removed).
    pub mode: CompatibilityMode,
    /// What changed, in field order. Renames declared by the newer catalog's change logs are
    /// applied.
    pub changes: Vec<Change>,
    /// Whether readers of each version read events of the other. A new event type breaks
    /// nothing; a removed one breaks backward (a newer reader does not know it).
    pub verdict: Verdict,
}

impl EventDiff {
    /// Whether the verdict keeps what the mode promises.
    pub fn keeps_mode(&self) -> bool {
        self.verdict.satisfies(self.mode)
    }
}

/// The difference between `old` and `new`, one entry per event type of either, in the older
/// catalog's order then the newer one's, comparing the newest version of each side. An event
/// type whose newest versions are equal has an entry with no changes.
///
/// ```
/// use novel_events_codegen::{evolution, parse_catalog};
/// let old = parse_catalog(r#"
/// catalog: demo
/// version: "1.0.0"
/// domains:
///   accounts:
///     events:
///       - name: AccountOpened
///         eventType: accounts.account.opened
///         eventVersion: "1.0.0"
///         aggregateType: Account
///         aggregateId: accountId
///         payload: { accountId: uuid, plan: "free|pro" }
/// "#, "old.yaml").unwrap();
/// let new = parse_catalog(r#"
/// catalog: demo
/// version: "1.1.0"
/// domains:
///   accounts:
///     events:
///       - name: AccountOpened
///         eventType: accounts.account.opened
///         eventVersion: "1.1.0"
///         aggregateType: Account
///         aggregateId: accountId
///         payload: { accountId: uuid, plan: "free|pro|team", referrer: string? }
/// "#, "new.yaml").unwrap();
/// let diff = evolution::diff(&old, &new);
/// let kinds: Vec<&str> = diff[0].changes.iter().map(|c| c.kind.as_str()).collect();
/// assert_eq!(kinds, ["enum-values-added", "field-added"]);
/// assert!(diff[0].verdict.backward && !diff[0].verdict.forward);
/// assert!(diff[0].keeps_mode()); // the default mode, backward
/// ```
pub fn diff(old: &Catalog, new: &Catalog) -> Vec<EventDiff> {
    let mut comparer = Comparer::new(old, new);
    let old_histories = history::histories(old);
    let new_histories = history::histories(new);
    let mut diffs = Vec::new();
    for versions in &old_histories {
        let Some(older) = versions.last() else {
            continue;
        };
        let newer_versions = new_histories
            .iter()
            .find(|history| history.first().map(|e| &e.event_type) == Some(&older.event_type));
        match newer_versions.and_then(|history| history.last().map(|newer| (history, newer))) {
            Some((history, newer)) => {
                let since = Version::new(&older.event_version);
                let renames = history::renames(
                    history
                        .iter()
                        .copied()
                        .filter(|event| Version::new(&event.event_version) > since),
                );
                let changes = comparer.events(older, newer, &renames);
                diffs.push(EventDiff {
                    event_type: newer.event_type.clone(),
                    name: newer.name.clone(),
                    old_version: Some(older.event_version.clone()),
                    new_version: Some(newer.event_version.clone()),
                    mode: newer.compatibility,
                    verdict: Verdict::of(&changes),
                    changes,
                });
            }
            None => diffs.push(EventDiff {
                event_type: older.event_type.clone(),
                name: older.name.clone(),
                old_version: Some(older.event_version.clone()),
                new_version: None,
                mode: older.compatibility,
                changes: Vec::new(),
                verdict: Verdict {
                    backward: false,
                    forward: true,
                },
            }),
        }
    }
    for versions in &new_histories {
        let Some(newer) = versions.last() else {
            continue;
        };
        if old
            .events()
            .any(|event| event.event_type == newer.event_type)
        {
            continue;
        }
        diffs.push(EventDiff {
            event_type: newer.event_type.clone(),
            name: newer.name.clone(),
            old_version: None,
            new_version: Some(newer.event_version.clone()),
            mode: newer.compatibility,
            changes: Vec::new(),
            verdict: Verdict {
                backward: true,
                forward: true,
            },
        });
    }
    diffs
}
