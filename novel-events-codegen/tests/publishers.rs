//! `publisher:` names the service that publishes a domain's events, or one event's.

use novel_events_codegen::{Diagnostic, parse_catalog};

/// A catalog of domain `d` (`domain_publisher` spliced under it) with events `E` and `F`
/// (`event_publisher` spliced into `F`).
fn catalog(domain_publisher: &str, event_publisher: &str) -> String {
    format!(
        "catalog: publishers\nversion: \"1.0.0\"\ndomains:\n  d:\n{domain_publisher}    events:\n      - name: E\n        eventType: d.thing.happened\n        eventVersion: \"1.0.0\"\n        aggregateType: Thing\n        aggregateId: id\n        subscribers:\n          - Audit Service\n        payload:\n          id: uuid\n      - name: F\n        eventType: d.thing.ended\n        eventVersion: \"1.0.0\"\n        aggregateType: Thing\n        aggregateId: id\n{event_publisher}        payload:\n          id: uuid\n"
    )
}

fn errors(source: &str) -> Vec<Diagnostic> {
    parse_catalog(source, "p.yaml").expect_err("the catalog must be refused")
}

fn publishers(source: &str) -> Vec<Option<String>> {
    let catalog = parse_catalog(source, "p.yaml").expect("a valid catalog");
    catalog
        .events()
        .map(|event| event.publisher.as_ref().map(|p| p.service.clone()))
        .collect()
}

#[test]
fn an_event_inherits_its_domains_publisher_unless_it_names_its_own() {
    let source = catalog(
        "    publisher: Things Service\n",
        "        publisher: Reaper Service\n",
    );
    assert_eq!(
        publishers(&source),
        [
            Some("Things Service".to_owned()),
            Some("Reaper Service".to_owned())
        ]
    );
    assert_eq!(publishers(&catalog("", "")), [None, None]);
}

#[test]
fn a_publisher_spelled_like_a_subscriber_is_a_typo() {
    let diagnostics = errors(&catalog("    publisher: Audit Servce\n", ""));
    let typo = diagnostics
        .iter()
        .find(|d| d.message.contains("service `Audit Service` is spelled almost like service `Audit Servce` (at p.yaml:5:16)"))
        .unwrap_or_else(|| panic!("no typo error: {diagnostics:#?}"));
    assert_eq!((typo.location.line, typo.location.column), (13, 13));
}

#[test]
fn an_empty_or_non_string_publisher_is_an_error_at_its_place() {
    let diagnostics = errors(&catalog("    publisher: \"  \"\n", ""));
    let empty = diagnostics
        .iter()
        .find(|d| d.message.contains("`publisher` is empty"))
        .unwrap_or_else(|| panic!("no error: {diagnostics:#?}"));
    assert_eq!(empty.location.line, 5);

    let diagnostics = errors(&catalog("", "        publisher: [a, b]\n"));
    let list = diagnostics
        .iter()
        .find(|d| d.message.contains("`publisher` (a service name)"))
        .unwrap_or_else(|| panic!("no error: {diagnostics:#?}"));
    assert_eq!(list.location.line, 20);
}
