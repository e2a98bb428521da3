//! From the YAML tree to the catalog model: the catalog format's grammar.
//!
//! Every problem is recorded with its position and parsing goes on, so that one compile shows
//! every mistake of the file. `novel-events/catalog/README.md` documents the format read here.
//!
//! The grammar in four files: this one reads the catalog, its named types, domains, events,
//! aggregate ids, subscribers and compatibility modes; [`fields`] reads payload fields and the
//! type expressions they are written with; [`changes`] reads a version's `changes:` list;
//! [`nodes`] reads typed scalars, mappings and sequences, recording a problem when a node has
//! the wrong shape.

mod changes;
mod fields;
mod nodes;

use crate::diagnostic::{Diagnostics, did_you_mean, shorten};
use crate::model::{
    AggregateId, Catalog, Category, CompatibilityMode, Domain, EnumDef, EventDef, EventSpans,
    NamedType, Publisher, StructDef, Subscriber, TypeExpr,
};
use crate::yaml::{Entry, Node, Value};

use fields::{deprecation, enum_values, fields};
pub(crate) use nodes::is_semver;
use nodes::{boolean, check_keys, check_semver, get, mapping, require, sequence, string};

const CATALOG_KEYS: &[&str] = &[
    "catalog",
    "version",
    "description",
    "compatibilityMode",
    "types",
    "domains",
];
const DOMAIN_KEYS: &[&str] = &["description", "publisher", "events"];
const EVENT_KEYS: &[&str] = &[
    "name",
    "eventType",
    "eventVersion",
    "aggregateType",
    "aggregateId",
    "category",
    "description",
    "triggers",
    "subscribers",
    "publisher",
    "payload",
    "compatibilityMode",
    "changes",
    "deprecated",
    "removalVersion",
];
const NAMED_TYPE_KEYS: &[&str] = &["enum", "fields", "description"];
const SUBSCRIBER_KEYS: &[&str] = &["service", "purpose", "distinct", "perVersion"];
const AGGREGATE_ID_KEYS: &[&str] = &["uuidV5Of"];

/// Reads a catalog tree. Structural problems go to `diagnostics`; what could be read is returned.
pub(crate) fn catalog(root: &Node, diagnostics: &mut Diagnostics) -> Catalog {
    let mut catalog = Catalog {
        name: String::new(),
        version: String::new(),
        description: None,
        compatibility: CompatibilityMode::default(),
        types: Vec::new(),
        domains: Vec::new(),
    };
    let Some(entries) = mapping(root, "the catalog", diagnostics) else {
        return catalog;
    };
    // Read first: every event's mode defaults to it, wherever the key stands in the file.
    if let Some(node) = get(entries, "compatibilityMode") {
        catalog.compatibility = compatibility_mode(node, diagnostics).unwrap_or_default();
    }
    check_keys(entries, CATALOG_KEYS, "the catalog", diagnostics);
    require(
        entries,
        &root.location,
        &["catalog", "version", "domains"],
        "the catalog",
        diagnostics,
    );
    for entry in entries {
        match entry.key.as_str() {
            "catalog" => {
                catalog.name = string(&entry.value, "`catalog`", diagnostics).unwrap_or_default()
            }
            "version" => {
                catalog.version =
                    string(&entry.value, "`version`", diagnostics).unwrap_or_default();
                check_semver(
                    &catalog.version,
                    &entry.value.location,
                    "the catalog `version`",
                    diagnostics,
                );
            }
            "description" => {
                catalog.description = string(&entry.value, "`description`", diagnostics)
            }
            "types" => catalog.types = named_types(&entry.value, diagnostics),
            "domains" => {
                if let Some(domains) = mapping(
                    &entry.value,
                    "`domains` (domain name → its events)",
                    diagnostics,
                ) {
                    let mode = catalog.compatibility;
                    catalog.domains = domains
                        .iter()
                        .map(|entry| domain(entry, mode, diagnostics))
                        .collect();
                }
            }
            _ => {}
        }
    }
    catalog
}

fn named_types(node: &Node, diagnostics: &mut Diagnostics) -> Vec<NamedType> {
    let Some(entries) = mapping(
        node,
        "`types` (type name → `enum` or `fields`)",
        diagnostics,
    ) else {
        return Vec::new();
    };
    let mut types = Vec::new();
    for entry in entries {
        let context = format!("named type `{}`", entry.key);
        let Some(body) = mapping(&entry.value, &context, diagnostics) else {
            continue;
        };
        check_keys(body, NAMED_TYPE_KEYS, &context, diagnostics);
        let description =
            get(body, "description").and_then(|node| string(node, "`description`", diagnostics));
        let ty = match (get(body, "enum"), get(body, "fields")) {
            (Some(values), None) => TypeExpr::Enum(EnumDef {
                name: entry.key.clone(),
                location: entry.key_location.clone(),
                values: enum_values(values, diagnostics),
                description,
            }),
            (None, Some(fields_node)) => TypeExpr::Struct(StructDef {
                name: entry.key.clone(),
                location: entry.key_location.clone(),
                fields: fields(fields_node, &entry.key, diagnostics),
                description,
            }),
            _ => {
                diagnostics.push(
                    &entry.key_location,
                    format!("{context} must have exactly one of `enum` (a list of values) or `fields` (a mapping)"),
                );
                continue;
            }
        };
        types.push(NamedType {
            name: entry.key.clone(),
            location: entry.key_location.clone(),
            ty,
        });
    }
    types
}

/// A `compatibilityMode` value; an unknown one is reported and read as `None` (the caller
/// falls back to the default, so the file's other mistakes are still found).
fn compatibility_mode(node: &Node, diagnostics: &mut Diagnostics) -> Option<CompatibilityMode> {
    let value = string(node, "`compatibilityMode`", diagnostics)?;
    let mode = CompatibilityMode::parse(&value);
    if mode.is_none() {
        diagnostics.push(
            &node.location,
            format!(
                "unknown compatibilityMode `{}`: expected one of backward, backward-transitive, forward, forward-transitive, full, full-transitive, none (or the specification's backward-compatible, forward-compatible){}",
                shorten(&value),
                did_you_mean(&value, CompatibilityMode::ALL.iter().map(|(name, _)| *name))
            ),
        );
    }
    mode
}

fn domain(entry: &Entry, mode: CompatibilityMode, diagnostics: &mut Diagnostics) -> Domain {
    let mut domain = Domain {
        name: entry.key.clone(),
        location: entry.key_location.clone(),
        description: None,
        publisher: None,
        events: Vec::new(),
    };
    let context = format!("domain `{}`", entry.key);
    let Some(body) = mapping(&entry.value, &context, diagnostics) else {
        return domain;
    };
    check_keys(body, DOMAIN_KEYS, &context, diagnostics);
    require(
        body,
        &entry.key_location,
        &["events"],
        &context,
        diagnostics,
    );
    domain.description =
        get(body, "description").and_then(|node| string(node, "`description`", diagnostics));
    domain.publisher = publisher(body, diagnostics);
    if let Some(events) = get(body, "events")
        && let Some(items) = sequence(events, "`events` (a list of events)", diagnostics)
    {
        domain.events = items
            .iter()
            .filter_map(|item| event(item, mode, domain.publisher.as_ref(), diagnostics))
            .collect();
    }
    domain
}

fn event(
    node: &Node,
    catalog_mode: CompatibilityMode,
    domain_publisher: Option<&Publisher>,
    diagnostics: &mut Diagnostics,
) -> Option<EventDef> {
    let body = mapping(node, "an event", diagnostics)?;
    let name = get(body, "name").and_then(|node| string(node, "the event `name`", diagnostics));
    let context = match &name {
        Some(name) => format!("event `{name}`"),
        None => "this event".to_owned(),
    };
    check_keys(body, EVENT_KEYS, &context, diagnostics);
    require(
        body,
        &node.location,
        &[
            "name",
            "eventType",
            "eventVersion",
            "aggregateType",
            "aggregateId",
            "payload",
        ],
        &context,
        diagnostics,
    );
    let text = |key: &str, diagnostics: &mut Diagnostics| {
        get(body, key).and_then(|node| string(node, &format!("`{key}` of {context}"), diagnostics))
    };
    let event_type = text("eventType", diagnostics);
    let event_version = text("eventVersion", diagnostics);
    let aggregate_type = text("aggregateType", diagnostics);
    let description = text("description", diagnostics);
    if let (Some(version), Some(node)) = (&event_version, get(body, "eventVersion")) {
        check_semver(
            version,
            &node.location,
            &format!("`eventVersion` of {context}"),
            diagnostics,
        );
    }
    // An unreadable category is reported and read as the default, so that the event's other
    // mistakes are still found in the same pass.
    let category = match get(body, "category") {
        None => Category::Domain,
        Some(node) => {
            let value = string(node, "`category`", diagnostics).unwrap_or_default();
            let found = Category::ALL
                .iter()
                .find(|(name, _)| *name == value)
                .map(|(_, c)| *c);
            if found.is_none() {
                diagnostics.push(
                    &node.location,
                    format!(
                        "unknown category `{}`: expected one of command, domain, integration, system, notification{}",
                        shorten(&value),
                        did_you_mean(&value, Category::ALL.iter().map(|(name, _)| *name))
                    ),
                );
            }
            found.unwrap_or(Category::Domain)
        }
    };
    let aggregate_id = get(body, "aggregateId").and_then(|node| aggregate_id(node, diagnostics));
    let triggers = match get(body, "triggers") {
        None => Vec::new(),
        Some(node) => sequence(node, "`triggers` (a list of strings)", diagnostics)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| string(item, "a trigger", diagnostics))
                    .collect()
            })
            .unwrap_or_default(),
    };
    let subscribers = match get(body, "subscribers") {
        None => Vec::new(),
        Some(node) => sequence(node, "`subscribers` (a list)", diagnostics)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| subscriber(item, diagnostics))
                    .collect()
            })
            .unwrap_or_default(),
    };
    let publisher = publisher(body, diagnostics).or_else(|| domain_publisher.cloned());
    let payload = get(body, "payload")
        .map(|node| fields(node, name.as_deref().unwrap_or("Event"), diagnostics))
        .unwrap_or_default();
    let compatibility = get(body, "compatibilityMode")
        .and_then(|node| compatibility_mode(node, diagnostics))
        .unwrap_or(catalog_mode);
    let changes = get(body, "changes").map(|node| changes::change_log(node, diagnostics));
    let deprecated = deprecation(body, &context, diagnostics);
    let span =
        |key: &str| get(body, key).map_or_else(|| node.location.clone(), |n| n.location.clone());
    let spans = EventSpans {
        name: span("name"),
        event_type: span("eventType"),
        event_version: span("eventVersion"),
        aggregate_type: span("aggregateType"),
        aggregate_id: span("aggregateId"),
        payload: span("payload"),
    };
    let name = name?;
    Some(EventDef {
        spans,
        rust_name: name.clone(),
        name,
        location: node.location.clone(),
        event_type: event_type?,
        event_version: event_version?,
        is_latest: true,
        aggregate_type: aggregate_type?,
        aggregate_id: aggregate_id?,
        category,
        description,
        triggers,
        subscribers,
        publisher,
        payload,
        compatibility,
        changes,
        deprecated,
    })
}

/// The `publisher:` of a domain or an event: a service name.
fn publisher(body: &[Entry], diagnostics: &mut Diagnostics) -> Option<Publisher> {
    let node = get(body, "publisher")?;
    let service = string(node, "`publisher` (a service name)", diagnostics)?;
    if service.trim().is_empty() {
        diagnostics.push(
            &node.location,
            "`publisher` is empty: expected the name of the service that publishes, e.g. `Characters Service`",
        );
        return None;
    }
    Some(Publisher {
        service,
        location: node.location.clone(),
    })
}

fn aggregate_id(node: &Node, diagnostics: &mut Diagnostics) -> Option<AggregateId> {
    if let Value::Mapping(entries) = &node.value {
        check_keys(entries, AGGREGATE_ID_KEYS, "`aggregateId`", diagnostics);
        let Some(field) = get(entries, "uuidV5Of") else {
            diagnostics.push(
                &node.location,
                "`aggregateId` is a payload field name (`characterId`) or `{ uuidV5Of: <string field> }`",
            );
            return None;
        };
        return string(field, "`uuidV5Of`", diagnostics).map(AggregateId::NameBased);
    }
    string(node, "`aggregateId` (a payload field name)", diagnostics).map(AggregateId::Field)
}

/// `Memory Service (initialize character memory)` or `{ service: ..., purpose: ... }`.
fn subscriber(node: &Node, diagnostics: &mut Diagnostics) -> Option<Subscriber> {
    match &node.value {
        Value::Mapping(entries) => {
            check_keys(entries, SUBSCRIBER_KEYS, "a subscriber", diagnostics);
            require(
                entries,
                &node.location,
                &["service"],
                "a subscriber",
                diagnostics,
            );
            let service =
                get(entries, "service").and_then(|n| string(n, "`service`", diagnostics))?;
            let purpose = get(entries, "purpose").and_then(|n| string(n, "`purpose`", diagnostics));
            let distinct = get(entries, "distinct")
                .and_then(|n| boolean(n, "`distinct`", diagnostics))
                .unwrap_or(false);
            let per_version = get(entries, "perVersion")
                .and_then(|n| boolean(n, "`perVersion`", diagnostics))
                .unwrap_or(false);
            Some(Subscriber {
                service,
                purpose,
                distinct,
                per_version,
                location: node.location.clone(),
            })
        }
        _ => {
            let text = string(node, "a subscriber (`Service Name (purpose)`)", diagnostics)?;
            let (service, purpose) = match text.split_once('(') {
                Some((service, rest)) if rest.ends_with(')') => (
                    service.trim().to_owned(),
                    Some(rest[..rest.len() - 1].trim().to_owned()),
                ),
                _ => (text.trim().to_owned(), None),
            };
            if service.is_empty() {
                diagnostics.push(
                    &node.location,
                    "a subscriber needs a service name before its `(purpose)`",
                );
                return None;
            }
            Some(Subscriber {
                service,
                purpose,
                distinct: false,
                per_version: false,
                location: node.location.clone(),
            })
        }
    }
}
