//! A version's `changes:` list: the Novel Engine specification's change log
//! (`- { type: field-added, field: mood, optional: true }`), checked later against the computed
//! difference by `evolution`.

use super::nodes::{boolean, check_keys, check_semver, get, mapping, require, sequence, string};
use crate::diagnostic::{Diagnostics, did_you_mean, shorten};
use crate::evolution::ChangeKind;
use crate::model::{ChangeLog, DeclaredChange};
use crate::yaml::Node;

const CHANGE_KEYS: &[&str] = &[
    "type",
    "field",
    "from",
    "to",
    "optional",
    "removalVersion",
    "values",
    "description",
];

/// The `changes` value of an event version: a sequence of changes.
pub(super) fn change_log(node: &Node, diagnostics: &mut Diagnostics) -> ChangeLog {
    let entries = sequence(
        node,
        "`changes` (a list of `{ type: field-added, field: ... }`)",
        diagnostics,
    )
    .map(|items| {
        items
            .iter()
            .filter_map(|item| change(item, diagnostics))
            .collect()
    })
    .unwrap_or_default();
    ChangeLog {
        location: node.location.clone(),
        entries,
    }
}

fn change(node: &Node, diagnostics: &mut Diagnostics) -> Option<DeclaredChange> {
    let body = mapping(node, "a change", diagnostics)?;
    check_keys(body, CHANGE_KEYS, "a change", diagnostics);
    require(body, &node.location, &["type"], "a change", diagnostics);
    let type_node = get(body, "type")?;
    let text = string(type_node, "the change `type`", diagnostics)?;
    let Some(kind) = ChangeKind::parse(&text) else {
        let names: Vec<&str> = ChangeKind::ALL.iter().map(|(name, _)| *name).collect();
        diagnostics.push(
            &type_node.location,
            format!(
                "unknown change type `{}`: expected one of {}{}",
                shorten(&text),
                names.join(", "),
                did_you_mean(&text, names.iter().copied())
            ),
        );
        return None;
    };
    let context = format!("a `{kind}` change");
    // Which keys each kind takes besides `type` and `description`.
    let allowed: &[&str] = match kind {
        ChangeKind::FieldRenamed => &["from", "to"],
        ChangeKind::FieldAdded => &["field", "optional"],
        ChangeKind::FieldDeprecated => &["field", "removalVersion"],
        ChangeKind::EnumValuesAdded | ChangeKind::EnumValuesRemoved => &["field", "values"],
        _ => &["field"],
    };
    for entry in body {
        if !matches!(entry.key.as_str(), "type" | "description")
            && CHANGE_KEYS.contains(&entry.key.as_str())
            && !allowed.contains(&entry.key.as_str())
        {
            diagnostics.push(
                &entry.key_location,
                format!(
                    "`{}` does not apply to {context}; it takes {}",
                    entry.key,
                    allowed
                        .iter()
                        .map(|key| format!("`{key}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    let required: &[&str] = match kind {
        ChangeKind::FieldRenamed => &["from", "to"],
        _ => &["field"],
    };
    require(body, &node.location, required, &context, diagnostics);
    let text_of = |key: &str, diagnostics: &mut Diagnostics| {
        get(body, key).and_then(|n| string(n, &format!("`{key}`"), diagnostics))
    };
    let (field, from) = match kind {
        ChangeKind::FieldRenamed => (
            text_of("to", diagnostics)?,
            Some(text_of("from", diagnostics)?),
        ),
        _ => (text_of("field", diagnostics)?, None),
    };
    let optional = get(body, "optional").and_then(|n| boolean(n, "`optional`", diagnostics));
    let removal_version = text_of("removalVersion", diagnostics);
    if let (Some(version), Some(n)) = (&removal_version, get(body, "removalVersion")) {
        check_semver(version, &n.location, "`removalVersion`", diagnostics);
    }
    let values = get(body, "values").and_then(|n| {
        sequence(n, "`values` (a list of enum values)", diagnostics).map(|items| {
            items
                .iter()
                .filter_map(|item| string(item, "an enum value", diagnostics))
                .collect()
        })
    });
    Some(DeclaredChange {
        kind,
        location: node.location.clone(),
        field,
        from,
        optional: if kind == ChangeKind::FieldAdded {
            optional
        } else {
            None
        },
        removal_version,
        values,
    })
}
