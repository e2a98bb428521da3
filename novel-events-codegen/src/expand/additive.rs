//! Whether the change from one version of an event to the next is additive, so that the
//! expansion writes the `Upcast` step between them itself; otherwise the user writes it.
//!
//! The one decision of this file is [`is_additive`]; the compatibility engine may take its
//! place (its verdict "backward compatible" implies this one's), as long as what it accepts
//! stays within what [`super::upcast`] can convert: kept fields of the same shape, new fields
//! optional or defaulted.

use crate::model::{EventDef, Field, TypeExpr};

/// Whether every field of `newer` can be built from `older` without user code: it is in
/// `older` under the same name with the same type (inline enums may gain values, inline
/// objects follow the same rule, bounds may only widen, and an optional field stays optional
/// unless the newer one has a default), or it is optional or defaulted. Fields `older` has and
/// `newer` lacks are dropped.
pub(super) fn is_additive(older: &EventDef, newer: &EventDef) -> bool {
    fields_fit(&older.payload, &newer.payload)
}

fn fields_fit(older: &[Field], newer: &[Field]) -> bool {
    newer
        .iter()
        .all(|new| match older.iter().find(|old| old.name == new.name) {
            Some(old) => field_fits(old, new),
            None => new.optional || new.default.is_some(),
        })
}

fn field_fits(old: &Field, new: &Field) -> bool {
    let old_option = old.optional && old.default.is_none();
    let new_option = new.optional && new.default.is_none();
    let widens = |old_bound: Option<f64>, new_bound: Option<f64>, lower: bool| match (
        old_bound, new_bound,
    ) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(old), Some(new)) => {
            if lower {
                new <= old
            } else {
                new >= old
            }
        }
    };
    (!old_option || new_option || new.default.is_some())
        && widens(old.min, new.min, true)
        && widens(old.max, new.max, false)
        && type_fits(&old.ty, &new.ty)
}

fn type_fits(old: &TypeExpr, new: &TypeExpr) -> bool {
    match (old, new) {
        (TypeExpr::Array(old), TypeExpr::Array(new)) => type_fits(old, new),
        (TypeExpr::Enum(old), TypeExpr::Enum(new)) => {
            old.values.iter().all(|value| new.values.contains(value))
        }
        (TypeExpr::Struct(old), TypeExpr::Struct(new)) => fields_fit(&old.fields, &new.fields),
        (TypeExpr::Named(old), TypeExpr::Named(new)) => old == new,
        (TypeExpr::Array(_) | TypeExpr::Enum(_) | TypeExpr::Struct(_) | TypeExpr::Named(_), _)
        | (_, TypeExpr::Array(_) | TypeExpr::Enum(_) | TypeExpr::Struct(_) | TypeExpr::Named(_)) => {
            false
        }
        (old, new) => old == new,
    }
}

#[cfg(test)]
mod tests {
    use super::is_additive;
    use crate::parse_catalog;

    /// Whether version 1.0.0 → 2.0.0 of `E` is additive, for these two payloads.
    fn additive(older: &str, newer: &str) -> bool {
        let event = |version: &str, payload: &str| {
            format!(
                "      - name: E\n        eventType: d.thing.happened\n        eventVersion: \"{version}\"\n        aggregateType: Thing\n        aggregateId: id\n        payload:\n          id: uuid\n{payload}"
            )
        };
        let text = format!(
            "catalog: c\nversion: \"1.0.0\"\ndomains:\n  d:\n    events:\n{}{}",
            event("1.0.0", older),
            event("2.0.0", newer)
        );
        let catalog = parse_catalog(&text, "c.yaml").expect("a valid catalog");
        let events: Vec<_> = catalog.events().collect();
        is_additive(events[0], events[1])
    }

    #[test]
    fn new_optional_or_defaulted_fields_are_additive() {
        assert!(additive("", "          note: string?\n"));
        assert!(additive(
            "",
            "          level: { type: integer, default: 1 }\n"
        ));
        assert!(additive("          gone: string\n", ""));
        assert!(additive(
            "          note: string?\n",
            "          note: { type: string, default: \"\" }\n"
        ));
        assert!(additive(
            "          kind: \"a|b\"\n",
            "          kind: \"a|b|c\"\n"
        ));
        assert!(additive(
            "          at: { fields: { x: integer } }\n",
            "          at: { fields: { x: integer, y: integer? } }\n"
        ));
        assert!(additive(
            "          n: { type: integer, min: 1, max: 5 }\n",
            "          n: { type: integer, min: 0 }\n"
        ));
    }

    #[test]
    fn other_changes_are_not() {
        assert!(!additive("", "          note: string\n"));
        assert!(!additive(
            "          note: string?\n",
            "          note: string\n"
        ));
        assert!(!additive("          n: integer\n", "          n: string\n"));
        assert!(!additive(
            "          kind: \"a|b\"\n",
            "          kind: { enum: [a] }\n"
        ));
        assert!(!additive(
            "          n: { type: integer, min: 0 }\n",
            "          n: { type: integer, min: 1 }\n"
        ));
        assert!(!additive(
            "          n: integer\n",
            "          n: [integer]\n"
        ));
        assert!(!additive(
            "          at: { fields: { x: integer } }\n",
            "          at: { fields: { x: integer, y: integer } }\n"
        ));
    }
}
