//! Schema evolution: how the versions of an event may differ, checked at compile time.
//!
//! Contract:
//! - [`check`] runs inside [`crate::parse_catalog`] on a catalog that passed every other
//!   check. It compares the versions of each event as their `compatibilityMode` says
//!   (`rules`), checks each version's `changes:` list against the computed difference
//!   (`changelog`), and records every problem as a [`crate::Diagnostic`] at the newer
//!   version's field, naming the mode, the rule and the older version's place.
//! - The rules are those of the runtime's wire format (`compare` states them) and are listed
//!   as a table in `novel-events/catalog/README.md`, section "Evolution"; a change to one is a
//!   change to both.
//! - [`diff`] compares two catalogs for tools (`novel-events diff`); [`Lock`] and
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

use crate::diagnostic::Diagnostics;
use crate::model::Catalog;

/// Records the compatibility violations and change-log mismatches of a valid catalog.
pub(crate) fn check(catalog: &Catalog, diagnostics: &mut Diagnostics) {
    rules::check(catalog, diagnostics);
    changelog::check(catalog, diagnostics);
}
