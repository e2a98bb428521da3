//! The catalog keys of versions as this branch reads them: `compatibilityMode` at the top
//! level and on an event (which overrides it), in the specification's spellings too, and
//! `perVersion` on a subscriber; bad values are errors at file:line:column.

use novel_events_codegen::{CompatibilityMode, parse_catalog};

/// A catalog of one event, with `top` spliced in at the top level, `event` among the event's
/// keys and `subscriber` as its one subscriber.
fn catalog(top: &str, event: &str, subscriber: &str) -> String {
    format!(
        "catalog: v\nversion: \"1.0.0\"\n{top}domains:\n  d:\n    events:\n      - name: E\n        eventType: d.thing.happened\n        eventVersion: \"1.0.0\"\n        aggregateType: Thing\n        aggregateId: id\n{event}        subscribers:\n          - {subscriber}\n        payload:\n          id: uuid\n"
    )
}

fn mode(top: &str, event: &str) -> CompatibilityMode {
    let catalog =
        parse_catalog(&catalog(top, event, "Audit Service"), "v.yaml").expect("a valid catalog");
    catalog.events().next().expect("one event").compatibility
}

#[test]
fn the_mode_defaults_to_backward_and_the_event_overrides_the_catalog() {
    assert_eq!(mode("", ""), CompatibilityMode::Backward);
    assert_eq!(
        mode("compatibilityMode: full\n", ""),
        CompatibilityMode::Full
    );
    assert_eq!(
        mode(
            "compatibilityMode: full\n",
            "        compatibilityMode: none\n"
        ),
        CompatibilityMode::None
    );
    assert_eq!(
        mode("", "        compatibilityMode: forward-compatible\n"),
        CompatibilityMode::Forward
    );
    assert_eq!(
        mode("compatibilityMode: backward-compatible\n", ""),
        CompatibilityMode::Backward
    );
    assert!(mode("", "        compatibilityMode: full-transitive\n").promises_forward());
    assert!(!mode("", "        compatibilityMode: backward-transitive\n").promises_forward());
}

#[test]
fn an_unknown_mode_is_an_error_at_its_place() {
    let errors = parse_catalog(
        &catalog("", "        compatibilityMode: forwards\n", "Audit Service"),
        "v.yaml",
    )
    .expect_err("an unknown mode");
    let error = errors
        .iter()
        .find(|error| {
            error
                .message
                .contains("unknown compatibilityMode `forwards`")
        })
        .unwrap_or_else(|| panic!("{errors:#?}"));
    assert_eq!((error.location.line, error.location.column), (11, 28));
    assert!(
        error.message.contains("did you mean `forward`?"),
        "{}",
        error.message
    );
}

#[test]
fn per_version_is_a_boolean_of_the_mapping_form() {
    let parsed = parse_catalog(
        &catalog("", "", "{ service: Audit Service, perVersion: true }"),
        "v.yaml",
    )
    .expect("a valid catalog");
    let event = parsed.events().next().expect("one event");
    assert!(event.subscribers[0].per_version);
    let errors = parse_catalog(
        &catalog("", "", "{ service: Audit Service, perVersion: often }"),
        "v.yaml",
    )
    .expect_err("not a boolean");
    assert!(
        errors.iter().any(
            |error| error.message.contains("`perVersion` to be true or false")
                && (error.location.line, error.location.column) == (12, 51)
        ),
        "{errors:#?}"
    );
}
