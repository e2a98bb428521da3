//! Schema evolution: how the versions of an event may differ, checked at compile time.
//!
//! Contract:
//! - `check` runs inside [`crate::parse_catalog`] on a catalog that passed every other
//!   check. It compares the versions of each event as their `compatibilityMode` says
//!   (`rules`), checks each version's `changes:` list against the computed difference
//!   (`changelog`), and records every problem as a [`crate::Diagnostic`] at the newer
//!   version's field, naming the mode, the rule and the older version's place.
//! - The rules are those of the runtime's wire format (`compare` states them) and are listed
//!   as a table in `novel-events/catalog/README.md`, section "Evolution"; a change to one is a
//!   change to both.
//! - [`changes`] compares two versions of one event (for generators: an upcaster bridges
//!   them); [`diff`] compares two catalogs for tools (`novel-events diff`); [`Lock`] and
//!   [`check_lock`] keep released versions from being edited in place or deleted early.
//! - Everything here is linear in the catalog: named types are compared once per pair of
//!   names, and nothing is compared with more than the versions of its own event.

mod change;
mod changelog;
mod compare;
mod diff;
mod fingerprint;
mod history;
mod lock;
mod rules;
mod version;

#[cfg(test)]
mod tests;

pub use change::{Change, ChangeKind, Verdict};
pub use diff::{EventDiff, diff};
pub use lock::{LOCK_FORMAT, LOCK_FORMAT_VERSION, Lock, LockEntry, check_lock};
pub(crate) use version::Version;

use crate::diagnostic::Diagnostics;
use crate::model::{Catalog, EventDef};

/// The changes from `older` to `newer`, two versions of one event of `catalog`, with the
/// renames declared by the change logs of the versions after `older` up to `newer` applied:
/// what the compatibility check sees (and what an upcaster between them must bridge).
///
/// ```
/// use novel_events_codegen::{evolution::{self, ChangeKind}, parse_catalog};
/// let catalog = parse_catalog(r#"
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
///         payload: { accountId: uuid }
///       - name: AccountOpened
///         eventType: accounts.account.opened
///         eventVersion: "1.1.0"
///         aggregateType: Account
///         aggregateId: accountId
///         payload: { accountId: uuid, plan: { type: "free|pro", default: free } }
/// "#, "demo.yaml").unwrap();
/// let versions: Vec<_> = catalog.events().collect();
/// let changes = evolution::changes(&catalog, versions[0], versions[1]);
/// assert_eq!(changes[0].kind, ChangeKind::FieldAdded);
/// assert_eq!(changes[0].optional, Some(true));
/// assert!(evolution::Verdict::of(&changes).forward);
/// ```
pub fn changes(catalog: &Catalog, older: &EventDef, newer: &EventDef) -> Vec<Change> {
    let (from, to) = (
        Version::new(&older.event_version),
        Version::new(&newer.event_version),
    );
    let renames = history::renames(
        history::histories(catalog)
            .into_iter()
            .filter(|versions| versions.first().map(|e| &e.event_type) == Some(&newer.event_type))
            .flatten()
            .filter(|event| {
                let version = Version::new(&event.event_version);
                version > from && version <= to
            }),
    );
    compare::Comparer::new(catalog, catalog).events(older, newer, &renames)
}

/// Records the compatibility violations and change-log mismatches of a valid catalog.
pub(crate) fn check(catalog: &Catalog, diagnostics: &mut Diagnostics) {
    rules::check(catalog, diagnostics);
    changelog::check(catalog, diagnostics);
}
