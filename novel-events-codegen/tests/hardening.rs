//! No catalog takes the compiler down: each class of hostile input found so far is refused
//! with an error at file:line:column, or generates output of size linear in the catalog, in
//! bounded time and stack.

use std::time::{Duration, Instant};

use novel_events_codegen::{Diagnostic, Options, generate, parse_catalog};

/// A catalog of one event whose payload is `payload` (indented by 10 spaces), with `types`
/// (indented by 2) and `subscribers` lines (indented by 10) spliced in.
fn catalog(types: &str, payload: &str, subscribers: &str) -> String {
    format!(
        "catalog: hardening\nversion: \"1.0.0\"\ntypes:\n  Placeholder:\n    enum: [a]\n{types}domains:\n  d:\n    events:\n      - name: E\n        eventType: d.thing.happened\n        eventVersion: \"1.0.0\"\n        aggregateType: Thing\n        aggregateId: id\n        subscribers:\n          - Audit Service\n{subscribers}        payload:\n          id: uuid\n{payload}"
    )
}

/// Time within which a large input must be checked, even in a debug build on a busy machine:
/// these inputs take well under a second in a release build, and a quadratic path would take
/// minutes.
const QUICK: Duration = Duration::from_secs(10);

fn errors(source: &str) -> Vec<Diagnostic> {
    parse_catalog(source, "h.yaml").expect_err("the catalog must be refused")
}

/// The one diagnostic whose message contains `needle`, with its line and column.
fn find<'a>(diagnostics: &'a [Diagnostic], needle: &str) -> &'a Diagnostic {
    diagnostics
        .iter()
        .find(|diagnostic| diagnostic.message.contains(needle))
        .unwrap_or_else(|| panic!("no error mentions {needle:?}: {diagnostics:#?}"))
}

/// Runs `work` in a thread of 1 MiB of stack: a recursion per level of the input would
/// overflow it.
fn in_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(work)
        .expect("spawn")
        .join()
        .expect("no panic, no overflow")
}

fn diamond(levels: usize) -> String {
    let mut types = String::new();
    for level in 0..levels {
        if level + 1 == levels {
            types.push_str(&format!(
                "  T{level}:\n    fields:\n      a: string\n      b: integer\n"
            ));
        } else {
            let next = level + 1;
            types.push_str(&format!(
                "  T{level}:\n    fields:\n      a: T{next}\n      b: T{next}\n"
            ));
        }
    }
    catalog(&types, "          top: T0\n", "")
}

fn generated_size(source: &str) -> usize {
    let parsed = parse_catalog(source, "h.yaml").expect("valid");
    let tokens = generate(&parsed, &Options::default());
    syn::parse2::<syn::File>(tokens.clone()).expect("the output is Rust");
    tokens.to_string().len()
}

#[test]
fn a_diamond_of_named_types_generates_linear_output() {
    let started = Instant::now();
    let small = generated_size(&diamond(12));
    let large = generated_size(&diamond(24));
    // Twelve more levels of a few hundred bytes each: far from doubling 2^12 times.
    assert!(
        large < small * 3,
        "12 levels: {small} bytes, 24 levels: {large} bytes"
    );
    assert!(started.elapsed() < QUICK);
}

#[test]
fn deep_inline_nesting_is_an_error_not_a_stack_overflow() {
    // 3,000 levels of block sequences under one field type.
    let mut payload = String::from("          deep:\n");
    for level in 0..3_000 {
        payload.push_str(&format!("{}-\n", " ".repeat(12 + level)));
    }
    let source = catalog("", &payload, "");
    let diagnostics = in_small_stack(move || errors(&source));
    let error = find(&diagnostics, "deeper than 64 levels");
    assert_eq!(error.location.file, "h.yaml");
    assert!(error.location.line > 20, "{error}");
}

#[test]
fn a_million_deep_list_in_a_description_is_an_error() {
    let source = format!(
        "catalog: x\nversion: \"1.0.0\"\ndescription: {}\ndomains: {{}}\n",
        "[".repeat(1_000_000)
    );
    let diagnostics = in_small_stack(move || errors(&source));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0].location.line, 3);
}

#[test]
fn types_nested_past_the_limit_are_refused_where_the_excess_starts() {
    // Arrays within the YAML limit, but deeper than the type limit.
    let payload = format!("          deep: {}uuid{}\n", "[".repeat(40), "]".repeat(40));
    let diagnostics = errors(&catalog("", &payload, ""));
    let error = find(&diagnostics, "nests 41 levels of types");
    assert_eq!((error.location.line, error.location.column), (18, 11));

    // A chain of 2,000 named types, each shallow: reported once, at the type where the
    // nesting passes the limit, in a small stack.
    let mut types = String::new();
    for index in 0..2_000 {
        types.push_str(&format!(
            "  C{index}:\n    fields:\n      next: C{}\n",
            index + 1
        ));
    }
    types.push_str("  C2000:\n    fields:\n      leaf: string\n");
    let source = catalog(&types, "          chain: C0\n", "");
    let diagnostics = in_small_stack(move || errors(&source));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert!(
        diagnostics[0]
            .message
            .contains("named type `C1969` nests 33 levels"),
        "{}",
        diagnostics[0]
    );
}

#[test]
fn names_without_a_rust_spelling_are_errors_at_their_position() {
    let payload = "          a²: string\n          mood: \"happy|½\"\n";
    let subscribers = "          - ² Service\n";
    let diagnostics = errors(&catalog("", payload, subscribers));
    let field = find(&diagnostics, "field `a²` has no Rust name");
    assert_eq!((field.location.line, field.location.column), (19, 11));
    let value = find(&diagnostics, "value `½` of enum `Mood` has no Rust name");
    assert_eq!((value.location.line, value.location.column), (20, 17));
    let service = find(&diagnostics, "service `² Service` has no Rust name");
    assert_eq!((service.location.line, service.location.column), (16, 13));
}

#[test]
fn generated_names_that_clash_are_errors_naming_both_places() {
    // A named type taking a subscriber trait's name, the domain's or a service's.
    let types = "  DSubscriber:\n    enum: [a]\n  AuditServiceSubscriber:\n    enum: [b]\n";
    let diagnostics = errors(&catalog(types, "", ""));
    let domain = find(
        &diagnostics,
        "named type `DSubscriber` has the Rust name of the subscriber trait of domain `d` (at h.yaml:",
    );
    assert_eq!(domain.location.line, 6);
    find(
        &diagnostics,
        "named type `AuditServiceSubscriber` has the Rust name of the subscriber trait of service `Audit Service` (at h.yaml:19:13)",
    );

    // An event named like an older version of another.
    let source = catalog("", "", "").replace(
        "        payload:\n          id: uuid\n",
        "        payload:\n          id: uuid\n      - name: E\n        eventType: d.thing.happened\n        eventVersion: \"2.0.0\"\n        aggregateType: Thing\n        aggregateId: id\n        payload:\n          id: uuid\n      - name: EV1_0_0\n        eventType: d.thing.renamed\n        eventVersion: \"1.0.0\"\n        aggregateType: Thing\n        aggregateId: id\n        payload:\n          id: uuid\n",
    );
    let diagnostics = errors(&source);
    let clash = find(
        &diagnostics,
        "has the Rust name `EV1_0_0`, which the event declared at h.yaml:9:9",
    );
    assert_eq!(clash.location.line, 25);

    // Two events whose handler methods are spelled alike.
    let source = catalog("", "", "").replace(
        "        payload:\n          id: uuid\n",
        "        payload:\n          id: uuid\n      - name: E_\n        eventType: d.thing.done\n        eventVersion: \"1.0.0\"\n        aggregateType: Thing\n        aggregateId: id\n        payload:\n          id: uuid\n",
    );
    let diagnostics = errors(&source);
    find(&diagnostics, "both get the subscriber method `on_e`");

    // Inline types of two named types.
    let types = "  A:\n    fields:\n      tone: x|y\n  B:\n    fields:\n      tone: z|w\n";
    let diagnostics = errors(&catalog(types, "", ""));
    find(
        &diagnostics,
        "the inline type `Tone` of named type `B` has the Rust name of the inline type `Tone` of named type `A` (at h.yaml:8:7)",
    );
}

#[test]
fn near_duplicate_service_names_are_errors_unless_declared_distinct() {
    let subscribers = "          - Warehouse Service\n          - Warehose Service (typo)\n          - audit-service\n";
    let diagnostics = errors(&catalog("", "", subscribers));
    let typo = find(
        &diagnostics,
        "service `Warehose Service` is spelled almost like service `Warehouse Service` (at h.yaml:16:13)",
    );
    assert_eq!((typo.location.line, typo.location.column), (17, 13));
    find(
        &diagnostics,
        "service `audit-service` and service `Audit Service` (at h.yaml:15:13) both give the subscriber trait",
    );

    let allowed = catalog(
        "",
        "",
        "          - Warehouse Service\n          - { service: Warehose Service, distinct: true }\n",
    );
    parse_catalog(&allowed, "h.yaml").expect("declared distinct");
}

#[test]
fn large_hostile_catalogs_are_checked_quickly() {
    // Thousands of references to unknown, near-miss types among thousands of named types.
    let mut types = String::new();
    for index in 0..3_000 {
        types.push_str(&format!("  Type{index:05}Name:\n    enum: [a]\n"));
    }
    let mut payload = String::new();
    for index in 0..3_000 {
        payload.push_str(&format!(
            "          f{index}: Type{index:05}Nam{}\n",
            "e".repeat(index % 3)
        ));
    }
    let source = catalog(&types, &payload, "");
    let started = Instant::now();
    let diagnostics = errors(&source);
    assert!(diagnostics.len() >= 1_000);
    assert!(started.elapsed() < QUICK, "{:?}", started.elapsed());

    // A mapping of 50,000 keys with a duplicate at the end.
    let mut payload: String = (0..50_000)
        .map(|index| format!("          k{index}: string\n"))
        .collect();
    payload.push_str("          k0: string\n");
    let source = catalog("", &payload, "");
    let started = Instant::now();
    find(&errors(&source), "duplicate key `k0`");
    assert!(started.elapsed() < QUICK, "{:?}", started.elapsed());

    // Thousands of services.
    let subscribers: String = (0..3_000)
        .map(|index| format!("          - Service {index:05}\n"))
        .collect();
    let source = catalog("", "", &subscribers);
    let started = Instant::now();
    let _ = parse_catalog(&source, "h.yaml");
    assert!(started.elapsed() < QUICK, "{:?}", started.elapsed());
}

#[test]
fn quoted_input_is_shortened() {
    let name = "X".repeat(10_000);
    let payload = format!("          f: {name}\n");
    let diagnostics = errors(&catalog("", &payload, ""));
    let error = find(&diagnostics, "neither a primitive");
    assert!(error.message.len() < 400, "{}", error.message.len());
    assert!(error.message.contains('…'));
}

#[test]
fn non_finite_defaults_are_errors_not_panics() {
    let payload = "          big:\n            type: number\n            default: 1e400\n          nan:\n            type: number\n            default: NaN\n";
    let diagnostics = errors(&catalog("", payload, ""));
    let big = find(&diagnostics, "the default `1e400` is not a finite number");
    assert_eq!((big.location.line, big.location.column), (20, 22));
    find(&diagnostics, "the default `NaN` is not a finite number");
}
