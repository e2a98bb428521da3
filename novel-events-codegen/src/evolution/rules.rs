//! The compatibility modes applied to the versions of each event of one catalog: each version
//! is compared with the previous one of its major version (with every earlier one of it when
//! its mode is transitive), and every change that breaks a direction its mode promises is an
//! error at the newer version's field. Also the deprecation timeline: a field leaves no
//! earlier than its `removalVersion`, and no later.

use std::collections::HashSet;

use super::change::{Change, ChangeKind};
use super::compare::Comparer;
use super::history;
use super::version::Version;
use crate::diagnostic::Diagnostics;
use crate::model::{Catalog, CompatibilityMode, EventDef, Field, TypeExpr};

/// Records every compatibility violation of `catalog`'s versions.
pub(crate) fn check(catalog: &Catalog, diagnostics: &mut Diagnostics) {
    let mut comparer = Comparer::new(catalog, catalog);
    for versions in history::histories(catalog) {
        for (index, newer) in versions.iter().enumerate() {
            let mode = newer.compatibility;
            if mode == CompatibilityMode::None {
                continue;
            }
            overdue_fields(newer, &newer.payload, "", diagnostics);
            if index == 0 {
                continue;
            }
            // The previous version: compared in every mode but `none`, for the deprecation
            // timeline (across major versions too) and, within the major, for compatibility.
            let previous = versions[index - 1];
            let consecutive = comparer.events(previous, newer, &history::renames([*newer]));
            for change in &consecutive {
                early_removal(change, previous, newer, diagnostics);
            }
            let major = Version::new(&newer.event_version).major();
            let earliest = if mode.is_transitive() { 0 } else { index - 1 };
            // A field that breaks a direction with several earlier versions is reported once,
            // with the nearest.
            let mut reported = HashSet::new();
            for older_index in (earliest..index).rev() {
                let older = versions[older_index];
                if Version::new(&older.event_version).major() != major {
                    break;
                }
                let earlier;
                let changes = if older_index == index - 1 {
                    &consecutive
                } else {
                    let renames =
                        history::renames(versions[older_index + 1..=index].iter().copied());
                    earlier = comparer.events(older, newer, &renames);
                    &earlier
                };
                for change in changes {
                    violations(change, older, newer, &mut reported, diagnostics);
                }
            }
        }
    }
}

fn violations(
    change: &Change,
    older: &EventDef,
    newer: &EventDef,
    reported: &mut HashSet<(String, &'static str)>,
    diagnostics: &mut Diagnostics,
) {
    let mode = newer.compatibility;
    let broken = [
        (
            mode.promises_backward(),
            &change.breaks_backward,
            "backward",
        ),
        (mode.promises_forward(), &change.breaks_forward, "forward"),
    ];
    for (promised, reason, direction) in broken {
        let (true, Some(reason)) = (promised, reason) else {
            continue;
        };
        if !reported.insert((change.path.clone(), direction)) {
            continue;
        }
        diagnostics.push(
            &change.new_location,
            format!(
                "{} in {} {} breaks {direction} compatibility, which its compatibility mode `{mode}` promises: {reason}; compared with version {} at {}. Keep the change compatible, or make it in a new major version (or declare `compatibilityMode: none` on this version)",
                change.describe(),
                newer.name,
                newer.event_version,
                older.event_version,
                change.old_location,
            ),
        );
    }
}

/// A field removed before the version its deprecation announced.
fn early_removal(
    change: &Change,
    older: &EventDef,
    newer: &EventDef,
    diagnostics: &mut Diagnostics,
) {
    let (ChangeKind::FieldRemoved, Some(removal)) = (change.kind, &change.removal_version) else {
        return;
    };
    if Version::new(&newer.event_version) < Version::new(removal) {
        diagnostics.push(
            &change.new_location,
            format!(
                "{} {} removes the deprecated field `{}` before its removalVersion {removal} (declared in version {} at {}): keep it until version {removal}",
                newer.name, newer.event_version, change.path, older.event_version, change.old_location
            ),
        );
    }
}

/// A deprecated field still present in the version that was to remove it, or later.
fn overdue_fields(event: &EventDef, fields: &[Field], prefix: &str, diagnostics: &mut Diagnostics) {
    for field in fields {
        let path = if prefix.is_empty() {
            field.name.clone()
        } else {
            format!("{prefix}.{}", field.name)
        };
        if let Some(deprecation) = &field.deprecated
            && Version::new(&event.event_version) >= Version::new(&deprecation.removal_version)
        {
            diagnostics.push(
                &field.location,
                format!(
                    "deprecated field `{path}` has removalVersion {}, but version {} of `{}` still has it: remove it from this version, or move its removalVersion past {}",
                    deprecation.removal_version, event.event_version, event.name, event.event_version
                ),
            );
        }
        let mut ty = &field.ty;
        while let TypeExpr::Array(item) = ty {
            ty = item;
        }
        if let TypeExpr::Struct(def) = ty {
            overdue_fields(event, &def.fields, &path, diagnostics);
        }
    }
}
