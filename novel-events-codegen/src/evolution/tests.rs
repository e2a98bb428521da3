//! The engine's rules one by one, on small catalogs written for each.

use super::*;
use crate::model::CompatibilityMode;
use crate::parse_catalog;

/// A catalog with one event `ThingDone` in the versions given: (version, extra event keys,
/// payload lines indented by 10 spaces).
fn catalog(top: &str, versions: &[(&str, &str, &str)]) -> String {
    let mut text =
        format!("catalog: t\nversion: \"1.0.0\"\n{top}domains:\n  things:\n    events:\n");
    for (version, keys, payload) in versions {
        text.push_str(&format!(
            "      - name: ThingDone\n        eventType: things.thing.done\n        eventVersion: \"{version}\"\n        aggregateType: Thing\n        aggregateId: id\n{keys}        payload:\n          id: uuid\n{payload}"
        ));
    }
    text
}

fn errors(text: &str) -> Vec<String> {
    match parse_catalog(text, "t.yaml") {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

/// The changes between the first and the last version of a catalog that `none` lets compile.
fn changes(old: &str, new: &str) -> Vec<Change> {
    let text = catalog(
        "compatibilityMode: none\n",
        &[("1.0.0", "", old), ("1.1.0", "", new)],
    );
    let catalog = parse_catalog(&text, "t.yaml").unwrap();
    let mut comparer = compare::Comparer::new(&catalog, &catalog);
    let versions: Vec<_> = catalog.events().collect();
    comparer.events(versions[0], versions[1], &[])
}

fn kinds(changes: &[Change]) -> Vec<(&'static str, &str, bool, bool)> {
    changes
        .iter()
        .map(|c| {
            (
                c.kind.as_str(),
                c.path.as_str(),
                c.breaks_backward.is_none(),
                c.breaks_forward.is_none(),
            )
        })
        .collect()
}

#[test]
fn added_and_removed_fields() {
    let found = changes(
        "          gone: string\n          maybe: string?\n",
        "          need: string\n          opt: string?\n          dflt: { type: integer, default: 3 }\n",
    );
    assert_eq!(
        kinds(&found),
        [
            ("field-added", "need", false, true),
            ("field-added", "opt", true, true),
            ("field-added", "dflt", true, true),
            ("field-removed", "gone", true, false),
            ("field-removed", "maybe", true, true),
        ]
    );
    assert_eq!(found[0].optional, Some(false));
    assert_eq!(found[2].optional, Some(true));
    // A removal stands at the newer payload; the older field's place is kept.
    assert_eq!(found[3].new_location.line, 22);
    assert_eq!(found[3].old_location.line, 14);
}

#[test]
fn type_changes_follow_what_readers_accept() {
    let found = changes(
        "          a: integer\n          b: uuid\n          c: string\n          d: boolean\n          e: \"x|y\"\n          f: { fields: { g: string } }\n",
        "          a: number\n          b: string\n          c: datetime\n          d: string\n          e: string\n          f: object\n",
    );
    assert_eq!(
        kinds(&found),
        [
            ("type-changed", "a", true, false),
            ("type-changed", "b", true, false),
            ("type-changed", "c", false, true),
            ("type-changed", "d", false, false),
            ("type-changed", "e", true, false),
            ("type-changed", "f", true, false),
        ]
    );
    assert_eq!(found[0].detail, "integer → number");
}

#[test]
fn presence_changes() {
    let found = changes(
        "          a: string\n          b: string?\n          c: string\n          d: { type: integer, default: 1 }\n          e: string?\n",
        "          a: string?\n          b: string\n          c: { type: string, default: x }\n          d: { type: integer, default: 2 }\n          e: { type: string, default: x }\n",
    );
    assert_eq!(
        kinds(&found),
        [
            ("field-made-optional", "a", true, false),
            ("field-made-required", "b", false, true),
            ("field-made-optional", "c", true, true),
            ("default-changed", "d", true, true),
            ("default-changed", "e", true, true),
        ]
    );
}

#[test]
fn enums_bounds_arrays_and_nested_objects() {
    let found = changes(
        "          mood: \"calm|sad\"\n          n: { type: number, min: 0, max: 10 }\n          m: { type: integer, min: 0 }\n          tags: [\"a|b\"]\n          inner: { fields: { x: integer, y: { fields: { z: string } } } }\n",
        "          mood: \"calm|angry\"\n          n: { type: number, min: 1, max: 20 }\n          m: integer\n          tags: [\"a|b|c\"]\n          inner: { fields: { x: number, y: { fields: { z: string, w: string } } } }\n",
    );
    assert_eq!(
        kinds(&found),
        [
            ("enum-values-added", "mood", true, false),
            ("enum-values-removed", "mood", false, true),
            ("bounds-narrowed", "n", false, true),
            ("bounds-widened", "n", true, false),
            ("bounds-widened", "m", true, false),
            ("enum-values-added", "tags[]", true, false),
            ("type-changed", "inner.x", true, false),
            ("field-added", "inner.y.w", false, true),
        ]
    );
    assert_eq!(found[0].values, ["angry"]);
    assert_eq!(found[1].values, ["sad"]);
}

#[test]
fn deprecations_are_changes_and_keep_their_timeline() {
    let found = changes(
        "          old: string?\n",
        "          old: { type: string, optional: true, deprecated: true, removalVersion: \"2.0.0\" }\n",
    );
    assert_eq!(kinds(&found), [("field-deprecated", "old", true, true)]);
    assert_eq!(found[0].removal_version.as_deref(), Some("2.0.0"));

    let deprecated = "          old: { type: string, optional: true, deprecated: true, removalVersion: \"2.0.0\" }\n";
    let early = catalog("", &[("1.0.0", "", deprecated), ("1.1.0", "", "")]);
    let errors = errors(&early);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("removes the deprecated field `old` before its removalVersion 2.0.0"),
        "{errors:?}"
    );
    let overdue = catalog("", &[("2.0.0", "", deprecated)]);
    let errors = super::tests::errors(&overdue);
    assert!(
        errors[0].starts_with("t.yaml:13:11:")
            && errors[0].contains("has removalVersion 2.0.0, but version 2.0.0"),
        "{errors:?}"
    );
    let on_time = catalog("", &[("1.0.0", "", deprecated), ("2.0.0", "", "")]);
    assert_eq!(super::tests::errors(&on_time), Vec::<String>::new());
}

#[test]
fn modes_check_the_directions_they_promise() {
    let versions = |mode: &str| {
        catalog(
            "",
            &[
                ("1.0.0", "", "          mood: \"calm|sad\"\n"),
                (
                    "1.1.0",
                    &format!("        compatibilityMode: {mode}\n"),
                    "          mood: \"calm|sad|angry\"\n",
                ),
            ],
        )
    };
    // Adding an enum value breaks forward only.
    for passes in [
        "backward",
        "backward-compatible",
        "backward-transitive",
        "none",
    ] {
        assert_eq!(errors(&versions(passes)), Vec::<String>::new(), "{passes}");
    }
    for fails in [
        "forward",
        "forward-compatible",
        "full",
        "full-transitive",
        "forward-transitive",
    ] {
        let errors = errors(&versions(fails));
        assert_eq!(errors.len(), 1, "{fails}: {errors:?}");
        let mode = CompatibilityMode::parse(fails).unwrap().as_str();
        assert!(
            errors[0].starts_with("t.yaml:22:")
                && errors[0].contains(&format!(
                    "breaks forward compatibility, which its compatibility mode `{mode}` promises"
                ))
                && errors[0].contains("compared with version 1.0.0 at t.yaml:13:11"),
            "{errors:?}"
        );
    }
}

#[test]
fn the_catalog_mode_is_the_default_and_an_event_overrides_it() {
    let text = catalog(
        "compatibilityMode: full\n",
        &[
            ("1.0.0", "", "          mood: string\n"),
            ("1.1.0", "        compatibilityMode: backward\n", ""),
            ("1.2.0", "", "          x: string?\n"),
        ],
    );
    let catalog = parse_catalog(&text, "t.yaml").unwrap();
    let modes: Vec<_> = catalog.events().map(|e| e.compatibility).collect();
    assert_eq!(
        modes,
        [
            CompatibilityMode::Full,
            CompatibilityMode::Backward,
            CompatibilityMode::Full
        ]
    );
    assert_eq!(catalog.compatibility, CompatibilityMode::Full);
    let absent = crate::parse_catalog(&super::tests::catalog("", &[("1.0.0", "", "")]), "t.yaml");
    assert_eq!(absent.unwrap().compatibility, CompatibilityMode::Backward);
    let unknown = errors(&super::tests::catalog(
        "compatibilityMode: backwards\n",
        &[("1.0.0", "", "")],
    ));
    assert!(
        unknown[0].starts_with("t.yaml:3:20: unknown compatibilityMode `backwards`")
            && unknown[0].contains("(did you mean `backward`?)"),
        "{unknown:?}"
    );
}

#[test]
fn transitive_modes_compare_with_every_earlier_version_of_the_major() {
    let versions = |mode: &str| {
        catalog(
            "",
            &[
                ("1.0.0", "", ""),
                ("1.1.0", "", "          extra: string?\n"),
                (
                    "1.2.0",
                    &format!("        compatibilityMode: {mode}\n"),
                    "          extra: string\n",
                ),
            ],
        )
    };
    // 1.2.0 makes `extra` required: against 1.1.0 that breaks backward, against 1.0.0 too
    // (reported once, with the nearest).
    assert_eq!(
        errors(&versions("backward")).len(),
        1,
        "{:?}",
        errors(&versions("backward"))
    );
    assert_eq!(errors(&versions("backward-transitive")).len(), 1);
    // Forward: against 1.1.0 a required field is fine; against 1.0.0 an added field is too.
    assert_eq!(
        errors(&versions("forward-transitive")),
        Vec::<String>::new()
    );

    // A removal two versions back that only a transitive mode sees.
    let text = |mode: &str| {
        catalog(
            "",
            &[
                ("1.0.0", "", "          kept: string\n"),
                ("1.1.0", "        compatibilityMode: none\n", ""),
                ("1.2.0", &format!("        compatibilityMode: {mode}\n"), ""),
            ],
        )
    };
    assert_eq!(errors(&text("forward")), Vec::<String>::new());
    let errors = errors(&text("forward-transitive"));
    assert!(
        errors.len() == 1 && errors[0].contains("compared with version 1.0.0"),
        "{errors:?}"
    );
}

#[test]
fn a_new_major_version_may_break() {
    let text = catalog(
        "compatibilityMode: full-transitive\n",
        &[
            ("1.0.0", "", "          a: string\n"),
            ("2.0.0", "", "          b: integer\n"),
            ("2.1.0", "", "          b: integer\n          c: string?\n"),
        ],
    );
    assert_eq!(errors(&text), Vec::<String>::new());
}

#[test]
fn named_types_compare_by_structure_once_per_pair() {
    // A diamond 30 levels deep: a walk of every path would take 2^30 steps.
    let diamond = |extra: &str| {
        let mut text = String::from("catalog: t\nversion: \"1.0.0\"\ntypes:\n");
        text.push_str(&format!("  T0: {{ fields: {{ v: string{extra} }} }}\n"));
        for level in 1..30 {
            text.push_str(&format!(
                "  T{level}: {{ fields: {{ l: T{0}, r: T{0} }} }}\n",
                level - 1
            ));
        }
        text.push_str("domains:\n  things:\n    events:\n      - name: ThingDone\n        eventType: things.thing.done\n        eventVersion: \"1.0.0\"\n        aggregateType: Thing\n        aggregateId: id\n        payload: { id: uuid, t: T29 }\n");
        text
    };
    let old = parse_catalog(&diamond(""), "old.yaml").unwrap();
    let new = parse_catalog(&diamond(", w: string"), "new.yaml").unwrap();
    let diffs = diff(&old, &new);
    assert_eq!(diffs.len(), 1);
    // One change per path would be 2^29 of them: a change inside a shared type is reported
    // once, at the first path that reaches it.
    let path = format!("t.{}w", "l.".repeat(29));
    assert_eq!(
        kinds(&diffs[0].changes),
        [("field-added", path.as_str(), false, true)]
    );
    assert_eq!(diffs[0].changes[0].new_location.file, "new.yaml");
    assert!(!diffs[0].verdict.backward && diffs[0].verdict.forward);
}

#[test]
fn diff_of_two_catalogs() {
    let old = parse_catalog(
        &catalog("", &[("1.0.0", "", "          a: string\n")]),
        "old.yaml",
    )
    .unwrap();
    let new = parse_catalog(
        &catalog(
            "",
            &[
                ("1.0.0", "", "          a: string\n"),
                (
                    "1.1.0",
                    "        changes:\n          - { type: field-renamed, from: a, to: b }\n        compatibilityMode: none\n",
                    "          b: string\n",
                ),
            ],
        ),
        "new.yaml",
    )
    .unwrap();
    let diffs = diff(&old, &new);
    assert_eq!(diffs[0].old_version.as_deref(), Some("1.0.0"));
    assert_eq!(diffs[0].new_version.as_deref(), Some("1.1.0"));
    assert_eq!(
        kinds(&diffs[0].changes),
        [("field-renamed", "b", false, false)]
    );
    assert_eq!(diffs[0].changes[0].renamed_from.as_deref(), Some("a"));
    assert!(!diffs[0].keeps_mode() || diffs[0].mode == CompatibilityMode::None);
    assert_eq!(
        Verdict::of(&diffs[0].changes).strongest(),
        CompatibilityMode::None
    );
}

/// Two versions, the second with a change log.
fn logged(old: &str, changes: &str, new: &str) -> Vec<String> {
    errors(&catalog(
        "compatibilityMode: none\n",
        &[
            ("1.0.0", "", old),
            ("1.1.0", &format!("        changes:\n{changes}"), new),
        ],
    ))
}

#[test]
fn a_change_log_that_matches_passes() {
    let errors = logged(
        "          a: string\n          old: string?\n          mood: \"calm|sad\"\n",
        "          - { type: field-added, field: newField, optional: true }\n          - { type: field-deprecated, field: old, removalVersion: \"2.0.0\" }\n          - { type: field-renamed, from: a, to: b }\n          - { type: enum-values-added, field: mood, values: [angry] }\n          - { type: type-changed, field: n }\n",
        "          b: string\n          old: { type: string, optional: true, deprecated: true, removalVersion: \"2.0.0\" }\n          mood: \"calm|sad|angry\"\n          newField: string?\n          n: { type: integer, default: 0 }\n",
    );
    // `n` is new, not retyped: the log is wrong about it, and does not list its addition.
    assert_eq!(errors.len(), 2, "{errors:?}");
    // Sorted by position: the `changes` key first, then the item at fault.
    assert!(
        errors[0].starts_with("t.yaml:23:11: the change log of ThingDone 1.1.0 does not list field-added `n` (integer, default 0)")
            && errors[0].contains("add `- { type: field-added, field: n }`"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("t.yaml:27:13: the change log of ThingDone 1.1.0 declares `type-changed` of `n`, which did not happen")
            && errors[1].contains("what changed there: field-added `n`"),
        "{errors:?}"
    );
}

#[test]
fn every_change_must_be_listed_once_a_version_has_a_log() {
    let errors = logged(
        "          a: integer\n",
        "          []\n",
        "          a: number\n",
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    // Reported at the `changes` key of 1.1.0.
    assert!(
        errors[0].starts_with("t.yaml:21:11: the change log of ThingDone 1.1.0 does not list type-changed `a` (integer → number), found compared with version 1.0.0 at t.yaml:7:9"),
        "{errors:?}"
    );
    // Without a log, nothing is checked.
    let text = catalog(
        "",
        &[
            ("1.0.0", "", "          a: integer\n"),
            ("1.1.0", "", "          a: number\n"),
        ],
    );
    assert_eq!(super::tests::errors(&text), Vec::<String>::new());
}

#[test]
fn a_declared_detail_must_be_true() {
    let errors = logged(
        "          mood: \"calm|sad\"\n          old: string?\n",
        "          - { type: field-added, field: n, optional: true }\n          - { type: enum-values-removed, field: mood, values: [calm] }\n          - { type: field-deprecated, field: old, removalVersion: \"3.0.0\" }\n",
        "          mood: { enum: [calm] }\n          n: string\n          old: { type: string, optional: true, deprecated: true, removalVersion: \"2.0.0\" }\n",
    );
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].contains("field-added` of `n` with `optional: true`, but the field is required"),
        "{errors:?}"
    );
    assert!(
        errors[1].contains("with values [calm], but the values are [sad]"),
        "{errors:?}"
    );
    assert!(
        errors[2].contains("with `removalVersion: \"3.0.0\"`, but the field says 2.0.0"),
        "{errors:?}"
    );
}

#[test]
fn change_log_mistakes_are_reported_where_they_are_written() {
    let errors = logged(
        "",
        "          - { type: field-add, field: x }\n          - { type: field-renamed, field: x }\n          - { type: field-removed, field: x, optional: true }\n",
        "",
    );
    assert!(
        errors[0].starts_with("t.yaml:20:21: unknown change type `field-add`")
            && errors[0].contains("(did you mean `field-added`?)"),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e
            .contains("`field` does not apply to a `field-renamed` change; it takes `from`, `to`")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("a `field-renamed` change is missing the required key `from`")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("`optional` does not apply to a `field-removed` change")),
        "{errors:?}"
    );

    let first = errors_of_first_version_log();
    assert!(
        first[0].contains("is the first version of `things.thing.done`"),
        "{first:?}"
    );
}

fn errors_of_first_version_log() -> Vec<String> {
    errors(&catalog(
        "",
        &[(
            "1.0.0",
            "        changes:\n          - { type: field-added, field: id }\n",
            "",
        )],
    ))
}

#[test]
fn renames_compose_across_versions_for_transitive_modes() {
    let text = catalog(
        "compatibilityMode: full-transitive\n",
        &[
            ("1.0.0", "", "          a: string?\n"),
            (
                "1.1.0",
                "        changes:\n          - { type: field-renamed, from: a, to: b }\n",
                "          b: string?\n",
            ),
            (
                "1.2.0",
                "        changes:\n          - { type: field-renamed, from: b, to: c }\n",
                "          c: string?\n",
            ),
        ],
    );
    assert_eq!(errors(&text), Vec::<String>::new());
    let renamed_required = catalog(
        "",
        &[
            ("1.0.0", "", "          a: string\n"),
            (
                "1.1.0",
                "        changes:\n          - { type: field-renamed, from: a, to: b }\n",
                "          b: string\n",
            ),
        ],
    );
    let errors = errors(&renamed_required);
    assert!(
        errors.len() == 1
            && errors[0].contains(
                "field-renamed `a` → `b` in ThingDone 1.1.0 breaks backward compatibility"
            )
            && errors[0].contains("a newer reader requires `b`, which older events carry as `a`"),
        "{errors:?}"
    );
}

#[test]
fn a_named_type_and_an_inline_one_compare_by_structure() {
    let text = "catalog: t\nversion: \"1.0.0\"\ncompatibilityMode: none\ntypes:\n  Mood: { enum: [calm, sad] }\n  Point: { fields: { x: number, y: number } }\ndomains:\n  things:\n    events:\n      - name: ThingDone\n        eventType: things.thing.done\n        eventVersion: \"1.0.0\"\n        aggregateType: Thing\n        aggregateId: id\n        payload: { id: uuid, mood: Mood, at: Point }\n      - name: ThingDone\n        eventType: things.thing.done\n        eventVersion: \"1.1.0\"\n        aggregateType: Thing\n        aggregateId: id\n        payload: { id: uuid, mood: \"sad|calm|angry\", at: { fields: { x: number, y: number, z: number? } } }\n";
    let catalog = parse_catalog(text, "t.yaml").unwrap();
    let versions: Vec<_> = catalog.events().collect();
    let found = super::changes(&catalog, versions[0], versions[1]);
    assert_eq!(
        kinds(&found),
        [
            ("enum-values-added", "mood", true, false),
            ("field-added", "at.z", true, true)
        ]
    );
    // The older side stands in the named types.
    assert_eq!(found[0].old_location.line, 5);
    assert_eq!(found[1].old_location.line, 6);
}

#[test]
fn what_each_mode_promises() {
    use CompatibilityMode::*;
    let table = [
        (Backward, true, false, false),
        (BackwardTransitive, true, false, true),
        (Forward, false, true, false),
        (ForwardTransitive, false, true, true),
        (Full, true, true, false),
        (FullTransitive, true, true, true),
        (None, false, false, false),
    ];
    for (mode, backward, forward, transitive) in table {
        assert_eq!(
            (
                mode.promises_backward(),
                mode.promises_forward(),
                mode.is_transitive()
            ),
            (backward, forward, transitive),
            "{mode}"
        );
        assert_eq!(CompatibilityMode::parse(mode.as_str()), Some(mode));
    }
    assert_eq!(
        CompatibilityMode::parse("backward-compatible"),
        Some(Backward)
    );
    assert_eq!(
        CompatibilityMode::parse("forward-compatible"),
        Some(Forward)
    );
    assert_eq!(CompatibilityMode::parse("Backward"), Option::None);
    let only_backward = Verdict {
        backward: true,
        forward: false,
    };
    assert!(only_backward.satisfies(BackwardTransitive) && only_backward.satisfies(None));
    assert!(!only_backward.satisfies(Full) && !only_backward.satisfies(Forward));
    assert_eq!(only_backward.strongest(), Backward);
}
