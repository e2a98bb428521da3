//! From the YAML tree to the catalog model: the catalog format's grammar.
//!
//! Every problem is recorded with its position and parsing goes on, so that one compile shows
//! every mistake of the file. `catalog/README.md` documents the format read here.

use heck::ToUpperCamelCase;

use crate::diagnostic::{Diagnostics, Location, did_you_mean};
use crate::model::{
    AggregateId, Catalog, Category, Deprecation, Domain, EnumDef, EventDef, EventSpans, Field,
    Literal, NamedType, StructDef, Subscriber, TypeExpr,
};
use crate::yaml::{Entry, Node, Value, is_null};

const CATALOG_KEYS: &[&str] = &["catalog", "version", "description", "types", "domains"];
const DOMAIN_KEYS: &[&str] = &["description", "events"];
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
    "payload",
];
const FIELD_KEYS: &[&str] = &[
    "type",
    "enum",
    "fields",
    "name",
    "optional",
    "default",
    "min",
    "max",
    "description",
    "deprecated",
    "removalVersion",
];
const ITEM_KEYS: &[&str] = &["type", "enum", "fields", "name", "description"];
const NAMED_TYPE_KEYS: &[&str] = &["enum", "fields", "description"];
const SUBSCRIBER_KEYS: &[&str] = &["service", "purpose"];
const AGGREGATE_ID_KEYS: &[&str] = &["uuidV5Of"];

/// Reads a catalog tree. Structural problems go to `diagnostics`; what could be read is returned.
pub(crate) fn catalog(root: &Node, diagnostics: &mut Diagnostics) -> Catalog {
    let mut catalog = Catalog {
        name: String::new(),
        version: String::new(),
        description: None,
        types: Vec::new(),
        domains: Vec::new(),
    };
    let Some(entries) = mapping(root, "the catalog", diagnostics) else {
        return catalog;
    };
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
                    catalog.domains = domains
                        .iter()
                        .map(|entry| domain(entry, diagnostics))
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

fn domain(entry: &Entry, diagnostics: &mut Diagnostics) -> Domain {
    let mut domain = Domain {
        name: entry.key.clone(),
        location: entry.key_location.clone(),
        description: None,
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
    if let Some(events) = get(body, "events")
        && let Some(items) = sequence(events, "`events` (a list of events)", diagnostics)
    {
        domain.events = items
            .iter()
            .filter_map(|item| event(item, diagnostics))
            .collect();
    }
    domain
}

fn event(node: &Node, diagnostics: &mut Diagnostics) -> Option<EventDef> {
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
                        "unknown category `{value}`: expected one of command, domain, integration, system, notification{}",
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
    let payload = get(body, "payload")
        .map(|node| fields(node, name.as_deref().unwrap_or("Event"), diagnostics))
        .unwrap_or_default();
    let span =
        |key: &str| get(body, key).map_or_else(|| node.location.clone(), |n| n.location.clone());
    let spans = EventSpans {
        name: span("name"),
        event_type: span("eventType"),
        event_version: span("eventVersion"),
        aggregate_type: span("aggregateType"),
        aggregate_id: span("aggregateId"),
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
        payload,
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
            Some(Subscriber {
                service,
                purpose,
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
                location: node.location.clone(),
            })
        }
    }
}

/// A `fields`/`payload` mapping. `owner` names the enclosing type, for error messages.
fn fields(node: &Node, owner: &str, diagnostics: &mut Diagnostics) -> Vec<Field> {
    let Some(entries) = mapping(
        node,
        &format!("the fields of `{owner}` (field name → type)"),
        diagnostics,
    ) else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| field(entry, diagnostics))
        .collect()
}

fn field(entry: &Entry, diagnostics: &mut Diagnostics) -> Option<Field> {
    let mut field = Field {
        name: entry.key.clone(),
        location: entry.key_location.clone(),
        ty: TypeExpr::Object,
        optional: false,
        default: None,
        min: None,
        max: None,
        description: None,
        deprecated: None,
    };
    let node = &entry.value;
    match &node.value {
        Value::Mapping(body) => {
            let context = format!("field `{}`", entry.key);
            check_keys(body, FIELD_KEYS, &context, diagnostics);
            field.ty = spec_type(body, node, &entry.key, &context, diagnostics)?;
            if let Some(value) = get(body, "optional") {
                field.optional = boolean(value, "`optional`", diagnostics).unwrap_or(false);
            }
            if let Some(value) = get(body, "default") {
                field.default = literal(value, diagnostics);
                field.optional = true;
            }
            field.min = get(body, "min").and_then(|n| number(n, "`min`", diagnostics));
            field.max = get(body, "max").and_then(|n| number(n, "`max`", diagnostics));
            field.description =
                get(body, "description").and_then(|n| string(n, "`description`", diagnostics));
            let removal = get(body, "removalVersion");
            match get(body, "deprecated") {
                Some(value) => {
                    let note = match &value.value {
                        Value::Scalar {
                            text,
                            quoted: false,
                        } if text == "true" => Some(None),
                        Value::Scalar {
                            text,
                            quoted: false,
                        } if text == "false" => None,
                        _ => string(value, "`deprecated` (true or a note)", diagnostics).map(Some),
                    };
                    if let Some(note) = note {
                        match removal.and_then(|n| string(n, "`removalVersion`", diagnostics)) {
                            Some(version) => {
                                if let Some(n) = removal {
                                    check_semver(&version, &n.location, "`removalVersion`", diagnostics);
                                }
                                field.deprecated = Some(Deprecation {
                                    note,
                                    removal_version: version,
                                });
                            }
                            None => diagnostics.push(
                                &value.location,
                                format!(
                                    "deprecated field `{}` needs `removalVersion: \"x.y.z\"`, the eventVersion that removes it",
                                    entry.key
                                ),
                            ),
                        }
                    }
                }
                None => {
                    if let Some(n) = removal {
                        diagnostics.push(
                            &n.location,
                            "`removalVersion` is only meaningful with `deprecated: true`",
                        );
                    }
                }
            }
        }
        _ => {
            let (ty, optional) = type_expr(node, &entry.key, diagnostics)?;
            field.ty = ty;
            field.optional = optional;
        }
    }
    Some(field)
}

/// The type of a field written as a mapping: `type:`, `enum:` or `fields:`.
fn spec_type(
    body: &[Entry],
    node: &Node,
    field_name: &str,
    context: &str,
    diagnostics: &mut Diagnostics,
) -> Option<TypeExpr> {
    let type_name = get(body, "name").and_then(|n| string(n, "`name`", diagnostics));
    let description =
        get(body, "description").and_then(|n| string(n, "`description`", diagnostics));
    let inline_name = || {
        type_name
            .clone()
            .unwrap_or_else(|| field_name.to_upper_camel_case())
    };
    let present: Vec<&str> = ["type", "enum", "fields"]
        .into_iter()
        .filter(|key| get(body, key).is_some())
        .collect();
    if present.len() != 1 {
        diagnostics.push(
            &node.location,
            format!(
                "{context} must have exactly one of `type` (uuid, string, integer, number, boolean, datetime, object, [T] or a named type), `enum` (a list of values) or `fields` (a nested object); found {}",
                if present.is_empty() { "none".to_owned() } else { present.join(" and ") }
            ),
        );
        return None;
    }
    if let Some(values) = get(body, "enum") {
        return Some(TypeExpr::Enum(EnumDef {
            name: inline_name(),
            location: node.location.clone(),
            values: enum_values(values, diagnostics),
            description,
        }));
    }
    if let Some(fields_node) = get(body, "fields") {
        let name = inline_name();
        return Some(TypeExpr::Struct(StructDef {
            fields: fields(fields_node, &name, diagnostics),
            name,
            location: node.location.clone(),
            description,
        }));
    }
    if type_name.is_some()
        && let Some(n) = get(body, "name")
    {
        diagnostics.push(
            &n.location,
            "`name` names an inline `enum` or `fields` type; this field has neither",
        );
    }
    let type_node = get(body, "type")?;
    let (ty, optional) = type_expr(type_node, field_name, diagnostics)?;
    if optional {
        diagnostics.push(
            &type_node.location,
            "write `optional: true` instead of a `?` suffix when the field is a mapping",
        );
    }
    Some(ty)
}

/// A type written inline: `uuid`, `uuid?`, `a|b|c`, `HealthStatus`, `[string]`.
/// Returns the type and whether a `?` suffix made it optional.
fn type_expr(
    node: &Node,
    field_name: &str,
    diagnostics: &mut Diagnostics,
) -> Option<(TypeExpr, bool)> {
    match &node.value {
        Value::Sequence(items) => {
            if items.len() != 1 {
                diagnostics.push(
                    &node.location,
                    format!(
                        "an array type is written `[T]` with exactly one item type; found {} items",
                        items.len()
                    ),
                );
                return None;
            }
            let item = &items[0];
            let ty = match &item.value {
                Value::Mapping(body) => {
                    let context = format!("the items of `{field_name}`");
                    check_keys(body, ITEM_KEYS, &context, diagnostics);
                    spec_type(
                        body,
                        item,
                        &format!("{field_name}Item"),
                        &context,
                        diagnostics,
                    )?
                }
                _ => {
                    let (ty, optional) =
                        type_expr(item, &format!("{field_name}Item"), diagnostics)?;
                    if optional {
                        diagnostics.push(
                            &item.location,
                            "array items cannot be optional; make the array field optional instead",
                        );
                    }
                    ty
                }
            };
            Some((TypeExpr::Array(Box::new(ty)), false))
        }
        Value::Mapping(_) => {
            diagnostics.push(&node.location, "expected a type here, found a mapping");
            None
        }
        Value::Scalar { text, quoted } => {
            if !quoted && is_null(text) {
                diagnostics.push(
                    &node.location,
                    format!("field `{field_name}` has no type: expected uuid, string, integer, number, boolean, datetime, object, [T], `a|b|c` or a named type"),
                );
                return None;
            }
            let (text, optional) = match text.strip_suffix('?') {
                Some(rest) => (rest.trim(), true),
                None => (text.trim(), false),
            };
            if text.contains('|') {
                let values: Vec<String> = text
                    .split('|')
                    .map(|value| value.trim().to_owned())
                    .collect();
                if values.iter().any(String::is_empty) {
                    diagnostics.push(
                        &node.location,
                        format!("enum `{text}` has an empty value between its `|` separators"),
                    );
                }
                return Some((
                    TypeExpr::Enum(EnumDef {
                        name: field_name.to_upper_camel_case(),
                        location: node.location.clone(),
                        values,
                        description: None,
                    }),
                    optional,
                ));
            }
            let ty = match text {
                "uuid" => TypeExpr::Uuid,
                "string" => TypeExpr::String,
                "integer" => TypeExpr::Integer,
                "number" => TypeExpr::Number,
                "boolean" => TypeExpr::Boolean,
                "datetime" => TypeExpr::DateTime,
                "object" => TypeExpr::Object,
                "array" => {
                    diagnostics.push(
                        &node.location,
                        format!("`array` needs an item type: write `{field_name}: [string]` (or `[uuid]`, `[integer]`, ...)"),
                    );
                    return None;
                }
                other if other.starts_with(|c: char| c.is_ascii_uppercase()) => {
                    TypeExpr::Named(other.to_owned())
                }
                other => {
                    diagnostics.push(
                        &node.location,
                        format!(
                            "unknown field type `{other}`: expected uuid, string, integer, number, boolean, datetime, object, [T], `a|b|c` or a named type{}",
                            did_you_mean(other, TypeExpr::PRIMITIVES)
                        ),
                    );
                    return None;
                }
            };
            Some((ty, optional))
        }
    }
}

fn enum_values(node: &Node, diagnostics: &mut Diagnostics) -> Vec<String> {
    sequence(node, "`enum` (a list of string values)", diagnostics)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| string(item, "an enum value", diagnostics))
                .collect()
        })
        .unwrap_or_default()
}

fn literal(node: &Node, diagnostics: &mut Diagnostics) -> Option<Literal> {
    match &node.value {
        Value::Scalar { text, quoted: true } => Some(Literal::String(text.clone())),
        Value::Scalar {
            text,
            quoted: false,
        } => Some(match text.as_str() {
            "true" => Literal::Boolean(true),
            "false" => Literal::Boolean(false),
            _ => {
                if let Ok(integer) = text.parse::<i64>() {
                    Literal::Integer(integer)
                } else if let Ok(float) = text.parse::<f64>() {
                    Literal::Number(float)
                } else if is_null(text) {
                    diagnostics.push(
                        &node.location,
                        "`default: null` is the same as `optional: true`; write that instead",
                    );
                    return None;
                } else {
                    Literal::String(text.clone())
                }
            }
        }),
        Value::Sequence(items) if items.is_empty() => Some(Literal::EmptyArray),
        Value::Mapping(entries) if entries.is_empty() => Some(Literal::EmptyObject),
        _ => {
            diagnostics.push(&node.location, "a `default` is a scalar, `[]` or `{}`");
            None
        }
    }
}

// --- small readers -------------------------------------------------------------------------

fn get<'a>(entries: &'a [Entry], key: &str) -> Option<&'a Node> {
    entries
        .iter()
        .find(|entry| entry.key == key)
        .map(|entry| &entry.value)
}

fn mapping<'a>(node: &'a Node, what: &str, diagnostics: &mut Diagnostics) -> Option<&'a [Entry]> {
    match &node.value {
        Value::Mapping(entries) => Some(entries),
        _ => {
            diagnostics.push(
                &node.location,
                format!("expected {what} to be a mapping, found {}", node.kind()),
            );
            None
        }
    }
}

fn sequence<'a>(node: &'a Node, what: &str, diagnostics: &mut Diagnostics) -> Option<&'a [Node]> {
    match &node.value {
        Value::Sequence(items) => Some(items),
        _ => {
            diagnostics.push(
                &node.location,
                format!("expected {what} to be a sequence, found {}", node.kind()),
            );
            None
        }
    }
}

fn string(node: &Node, what: &str, diagnostics: &mut Diagnostics) -> Option<String> {
    match &node.value {
        Value::Scalar { text, quoted } if *quoted || !is_null(text) => Some(text.clone()),
        _ => {
            diagnostics.push(
                &node.location,
                format!("expected {what} to be a string, found {}", node.kind()),
            );
            None
        }
    }
}

fn boolean(node: &Node, what: &str, diagnostics: &mut Diagnostics) -> Option<bool> {
    match node.value {
        Value::Scalar {
            ref text,
            quoted: false,
        } if text == "true" => Some(true),
        Value::Scalar {
            ref text,
            quoted: false,
        } if text == "false" => Some(false),
        _ => {
            diagnostics.push(
                &node.location,
                format!("expected {what} to be true or false, found {}", node.kind()),
            );
            None
        }
    }
}

fn number(node: &Node, what: &str, diagnostics: &mut Diagnostics) -> Option<f64> {
    match &node.value {
        Value::Scalar {
            text,
            quoted: false,
        } => match text.parse::<f64>() {
            Ok(value) if value.is_finite() => Some(value),
            _ => {
                diagnostics.push(
                    &node.location,
                    format!("expected {what} to be a number, found `{text}`"),
                );
                None
            }
        },
        _ => {
            diagnostics.push(
                &node.location,
                format!("expected {what} to be a number, found {}", node.kind()),
            );
            None
        }
    }
}

fn check_keys(entries: &[Entry], allowed: &[&str], context: &str, diagnostics: &mut Diagnostics) {
    for entry in entries {
        if !allowed.contains(&entry.key.as_str()) {
            diagnostics.push(
                &entry.key_location,
                format!(
                    "unknown key `{}` in {context}{}; expected one of: {}",
                    entry.key,
                    did_you_mean(&entry.key, allowed.iter().copied()),
                    allowed.join(", ")
                ),
            );
        }
    }
}

fn require(
    entries: &[Entry],
    location: &Location,
    keys: &[&str],
    context: &str,
    diagnostics: &mut Diagnostics,
) {
    for key in keys {
        if get(entries, key).is_none() {
            diagnostics.push(
                location,
                format!("{context} is missing the required key `{key}`"),
            );
        }
    }
}

/// `major.minor.patch`, numbers without leading zeros, optional `-pre` and `+build`.
pub(crate) fn is_semver(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|part| {
            !part.is_empty()
                && part.bytes().all(|byte| byte.is_ascii_digit())
                && (part.len() == 1 || !part.starts_with('0'))
        })
        && !version.ends_with(['-', '+'])
}

fn check_semver(version: &str, location: &Location, what: &str, diagnostics: &mut Diagnostics) {
    if !is_semver(version) {
        diagnostics.push(
            location,
            format!("{what} is `{version}`, which is not a semantic version: expected MAJOR.MINOR.PATCH, quoted, such as \"1.0.0\""),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver() {
        for good in ["1.0.0", "0.1.12", "2.0.0-beta.1", "1.0.0+build"] {
            assert!(is_semver(good), "{good}");
        }
        for bad in ["1.0", "1", "01.0.0", "1.0.x", "v1.0.0", "1.0.0-", ""] {
            assert!(!is_semver(bad), "{bad}");
        }
    }
}
