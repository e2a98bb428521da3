//! A version's `changes:` list checked against the computed difference with the previous
//! version: a declared change that did not happen, or a change that is not declared, is an
//! error. A version without `changes:` is not checked (the list is optional, as in the Novel
//! Engine specification); a version that has one, even `changes: []`, must list every change.

use super::change::{Change, ChangeKind};
use super::compare::Comparer;
use super::history;
use crate::diagnostic::Diagnostics;
use crate::model::{Catalog, ChangeLog, DeclaredChange, EventDef};

/// Records every mismatch between the change logs of `catalog` and its versions.
pub(crate) fn check(catalog: &Catalog, diagnostics: &mut Diagnostics) {
    let mut comparer = Comparer::new(catalog, catalog);
    for versions in history::histories(catalog) {
        for (index, event) in versions.iter().enumerate() {
            let Some(log) = &event.changes else { continue };
            let Some(previous) = index.checked_sub(1).map(|i| versions[i]) else {
                if let Some(first) = log.entries.first() {
                    diagnostics.push(
                        &first.location,
                        format!(
                            "{} {} is the first version of `{}`: it has no earlier version to change from, so its `changes` must be empty",
                            event.name, event.event_version, event.event_type
                        ),
                    );
                }
                continue;
            };
            let computed = comparer.events(previous, event, &history::renames([*event]));
            compare(log, &computed, previous, event, diagnostics);
        }
    }
}

fn compare(
    log: &ChangeLog,
    computed: &[Change],
    previous: &EventDef,
    event: &EventDef,
    diagnostics: &mut Diagnostics,
) {
    let against = format!(
        "compared with version {} at {}",
        previous.event_version, previous.location
    );
    let mut listed = vec![false; computed.len()];
    for declared in &log.entries {
        let found = computed.iter().position(|change| {
            change.kind == declared.kind
                && change.path == declared.field
                && (declared.kind != ChangeKind::FieldRenamed
                    || change.renamed_from == declared.from)
        });
        let Some(index) = found else {
            let what = match &declared.from {
                Some(from) => format!("`{from}` → `{}`", declared.field),
                None => format!("`{}`", declared.field),
            };
            let happened: Vec<String> = computed
                .iter()
                .filter(|change| change.path == declared.field)
                .map(Change::describe)
                .collect();
            let instead = if let Some(from) = &declared.from {
                format!(
                    "a rename needs a field `{from}` in version {} and, instead of it, `{}` in version {}",
                    previous.event_version, declared.field, event.event_version
                )
            } else if happened.is_empty() {
                format!("no change of `{}` was found", declared.field)
            } else {
                format!("what changed there: {}", happened.join("; "))
            };
            diagnostics.push(
                &declared.location,
                format!(
                    "the change log of {} {} declares `{}` of {what}, which did not happen ({against}): {instead}",
                    event.name, event.event_version, declared.kind
                ),
            );
            continue;
        };
        listed[index] = true;
        details(declared, &computed[index], event, diagnostics);
    }
    for (change, _) in computed.iter().zip(listed).filter(|(_, listed)| !listed) {
        let entry = match &change.renamed_from {
            Some(from) => format!(
                "{{ type: {}, from: {from}, to: {} }}",
                change.kind, change.path
            ),
            None => format!("{{ type: {}, field: {} }}", change.kind, change.path),
        };
        diagnostics.push(
            &log.location,
            format!(
                "the change log of {} {} does not list {}, found {against}: add `- {entry}`",
                event.name,
                event.event_version,
                change.describe()
            ),
        );
    }
}

/// The details a declared change gives (`optional`, `removalVersion`, `values`) must be true.
fn details(
    declared: &DeclaredChange,
    change: &Change,
    event: &EventDef,
    diagnostics: &mut Diagnostics,
) {
    let head = format!(
        "the change log of {} {} declares `{}` of `{}`",
        event.name, event.event_version, declared.kind, declared.field
    );
    if let (Some(said), Some(is)) = (declared.optional, change.optional)
        && said != is
    {
        diagnostics.push(
            &declared.location,
            format!(
                "{head} with `optional: {said}`, but the field is {} ({})",
                if is {
                    "optional or defaulted"
                } else {
                    "required"
                },
                change.detail
            ),
        );
    }
    if let (Some(said), Some(is)) = (&declared.removal_version, &change.removal_version)
        && said != is
    {
        diagnostics.push(
            &declared.location,
            format!("{head} with `removalVersion: \"{said}\"`, but the field says {is}"),
        );
    }
    if let Some(said) = &declared.values {
        let mut said_sorted = said.clone();
        said_sorted.sort();
        let mut is = change.values.clone();
        is.sort();
        if said_sorted != is {
            diagnostics.push(
                &declared.location,
                format!(
                    "{head} with values [{}], but the values are [{}]",
                    said.join(", "),
                    change.values.join(", ")
                ),
            );
        }
    }
}
