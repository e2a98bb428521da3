//! Every semantic check of a catalog, after parsing. Problems are collected, never returned early.
//!
//! Contract: [`catalog`] checks the catalog as written and [`rust_names`] the Rust names once
//! `resolve` has settled them; together they accept only catalogs whose expansion compiles, and
//! both run in time about linear in the catalog (no check compares every pair of a list
//! without a bound). This file checks names, events, fields, defaults and duplicates;
//! [`named_graph`] the named types' cycles and the depth of types; [`rust_names`] (the module)
//! the identifiers and clashes of generated names; [`services`] near-duplicate service names.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostics, Location, did_you_mean, shorten};
use crate::model::{AggregateId, Catalog, EventDef, Field, Literal, TypeExpr};
use crate::naming;

mod named_graph;
mod rust_names;
mod services;

use rust_names::{ROOT_ITEMS, check_field_ident, is_ascii_ident, not_an_ident};

/// Checks the catalog as written. Changes nothing: the Rust names of older versions are
/// settled afterwards by [`crate::resolve`], and then checked by [`rust_names`].
pub(crate) fn catalog(catalog: &Catalog, diagnostics: &mut Diagnostics) {
    check_names(catalog, diagnostics);
    for named_type in &catalog.types {
        check_type(&named_type.ty, &named_type.name, diagnostics);
    }
    for domain in &catalog.domains {
        for event in &domain.events {
            check_event(event, &domain.name, diagnostics);
        }
    }
    check_named_references(catalog, diagnostics);
    named_graph::check(catalog, diagnostics);
    check_duplicates(catalog, diagnostics);
    check_trait_names(catalog, diagnostics);
    services::check_near_duplicates(catalog, diagnostics);
}

/// Checks the Rust names of the types once [`crate::resolve`] has settled them: inline types,
/// events and named types must not clash in the module they land in.
pub(crate) fn rust_names(catalog: &Catalog, diagnostics: &mut Diagnostics) {
    rust_names::check(catalog, diagnostics);
}

fn check_names(catalog: &Catalog, diagnostics: &mut Diagnostics) {
    for domain in &catalog.domains {
        if !is_segment(&domain.name) {
            diagnostics.push(
                &domain.location,
                format!(
                    "domain name `{}` must be lowercase letters, digits and dashes, starting with a letter (it is the first segment of its eventTypes)",
                    shorten(&domain.name)
                ),
            );
        }
    }
    for named_type in &catalog.types {
        if !naming::is_type_name(&named_type.name) {
            // The same text as `check_type`'s, so that the two checks give one error.
            diagnostics.push(&named_type.location, type_name_error(&named_type.name));
        } else if ROOT_ITEMS.contains(&named_type.name.as_str()) {
            diagnostics.push(
                &named_type.location,
                format!(
                    "named type `{}` is reserved: the generated code defines {} at the catalog's root; rename it",
                    named_type.name,
                    ROOT_ITEMS.join(" and ")
                ),
            );
        }
    }
}

fn check_event(event: &EventDef, domain: &str, diagnostics: &mut Diagnostics) {
    if !naming::is_type_name(&event.name) {
        diagnostics.push(
            &event.spans.name,
            format!(
                "event name `{}` must be a PascalCase Rust type name, such as `{}`",
                shorten(&event.name),
                pascal_case_example(&event.name, "CharacterCreated")
            ),
        );
    }
    let segments: Vec<&str> = event.event_type.split('.').collect();
    if segments.len() != 3 || !segments.iter().all(|segment| is_segment(segment)) {
        diagnostics.push(
            &event.spans.event_type,
            format!(
                "eventType `{}` must have the form `domain.aggregate.action`: three segments of lowercase letters, digits and dashes, each starting with a letter, such as `{}.character.skill-gained`",
                shorten(&event.event_type),
                if is_segment(domain) { domain } else { "characters" }
            ),
        );
    } else if segments[0] != domain {
        diagnostics.push(
            &event.spans.event_type,
            format!(
                "eventType `{}` is declared in domain `{domain}` but starts with `{}`: an eventType's first segment is its domain (`{domain}.{}.{}`)",
                event.event_type, segments[0], segments[1], segments[2]
            ),
        );
    }
    if !naming::is_type_name(&event.aggregate_type) {
        diagnostics.push(
            &event.spans.aggregate_type,
            format!(
                "aggregateType `{}` must be a PascalCase Rust type name, such as `{}`",
                shorten(&event.aggregate_type),
                pascal_case_example(&event.aggregate_type, "Character")
            ),
        );
    }
    let id_field = event.aggregate_id.field();
    match event.payload.iter().find(|field| field.name == id_field) {
        None => diagnostics.push(
            &event.spans.aggregate_id,
            format!(
                "aggregateId names `{}`, which is not a field of the payload of `{}`{}",
                shorten(id_field),
                shorten(&event.name),
                did_you_mean(
                    id_field,
                    event.payload.iter().map(|field| field.name.as_str())
                )
            ),
        ),
        Some(field) => {
            let (wanted, ok) = match event.aggregate_id {
                AggregateId::Field(_) => ("a required `uuid`", field.ty == TypeExpr::Uuid),
                AggregateId::NameBased(_) => (
                    "a required `string` (its UUID v5 is the id)",
                    field.ty == TypeExpr::String,
                ),
            };
            if !ok || field.optional {
                diagnostics.push(
                    &event.spans.aggregate_id,
                    format!(
                        "aggregateId field `{id_field}` must be {wanted}, but it is {}`{}`",
                        if field.optional { "an optional " } else { "" },
                        field.ty.describe()
                    ),
                );
            }
        }
    }
    check_fields(&event.payload, &event.name, diagnostics);
}

fn check_fields(fields: &[Field], owner: &str, diagnostics: &mut Diagnostics) {
    let mut rust_names: HashMap<String, &Field> = HashMap::new();
    for field in fields {
        let rust = naming::field_name(&field.name);
        if !check_field_ident(field, diagnostics) {
            // Refused for its name; its type is still checked.
        } else if let Some(first) = rust_names.get(&rust) {
            diagnostics.push(
                &field.location,
                format!(
                    "fields `{}` and `{}` of `{owner}` both become the Rust field `{rust}`; rename one",
                    first.name, field.name
                ),
            );
        } else {
            rust_names.insert(rust, field);
        }
        check_type(&field.ty, &format!("{owner}.{}", field.name), diagnostics);
        check_bounds(field, diagnostics);
        if let Some(default) = &field.default {
            check_default(field, default, diagnostics);
        }
    }
}

fn check_type(ty: &TypeExpr, path: &str, diagnostics: &mut Diagnostics) {
    match ty {
        TypeExpr::Array(item) => check_type(item, path, diagnostics),
        // Named references are checked with the field's position in `check_named_references`.
        TypeExpr::Enum(def) => {
            if def.values.is_empty() {
                diagnostics.push(
                    &def.location,
                    format!(
                        "enum `{}` of `{path}` has no values: list at least one",
                        def.name
                    ),
                );
            }
            let mut seen: HashMap<String, &str> = HashMap::new();
            for value in &def.values {
                let variant = naming::variant_name(value);
                if !is_ascii_ident(&variant) {
                    diagnostics.push(
                        &def.location,
                        not_an_ident(
                            &format!("value `{}` of enum `{}`", shorten(value), def.name),
                            &variant,
                        ),
                    );
                    continue;
                }
                match seen.get(&variant) {
                    Some(first) if *first == value => diagnostics.push(
                        &def.location,
                        format!("enum `{}` of `{path}` lists the value `{value}` twice", def.name),
                    ),
                    Some(first) => diagnostics.push(
                        &def.location,
                        format!(
                            "enum values `{first}` and `{value}` of `{path}` both become the Rust variant `{variant}`; make them differ by more than case or punctuation"
                        ),
                    ),
                    None => {
                        seen.insert(variant, value);
                    }
                }
            }
            if !naming::is_type_name(&def.name) {
                diagnostics.push(&def.location, type_name_error(&def.name));
            }
        }
        TypeExpr::Struct(def) => {
            if !naming::is_type_name(&def.name) {
                diagnostics.push(&def.location, type_name_error(&def.name));
            }
            check_fields(&def.fields, path, diagnostics);
        }
        _ => {}
    }
}

fn check_bounds(field: &Field, diagnostics: &mut Diagnostics) {
    if field.min.is_none() && field.max.is_none() {
        return;
    }
    if !matches!(field.ty, TypeExpr::Integer | TypeExpr::Number) {
        diagnostics.push(
            &field.location,
            format!(
                "`min`/`max` apply only to integer and number fields, but `{}` is `{}`",
                field.name,
                field.ty.describe()
            ),
        );
        return;
    }
    if let (Some(min), Some(max)) = (field.min, field.max)
        && min > max
    {
        diagnostics.push(
            &field.location,
            format!(
                "field `{}` has min {min} above its max {max}: the bounds are inclusive, min <= max",
                field.name
            ),
        );
    }
    if field.ty == TypeExpr::Integer {
        for bound in [field.min, field.max].into_iter().flatten() {
            if bound.fract() != 0.0 {
                diagnostics.push(
                    &field.location,
                    format!(
                        "integer field `{}` has a fractional bound {bound}: expected a whole number",
                        field.name
                    ),
                );
            }
        }
    }
}

fn check_default(field: &Field, default: &Literal, diagnostics: &mut Diagnostics) {
    let fits = match (&field.ty, default) {
        (TypeExpr::String, Literal::String(_)) | (TypeExpr::Boolean, Literal::Boolean(_)) => true,
        (TypeExpr::Integer, Literal::Integer(value)) => within(field, *value as f64),
        (TypeExpr::Number, Literal::Integer(value)) => within(field, *value as f64),
        (TypeExpr::Number, Literal::Number(value)) => within(field, *value),
        (TypeExpr::Array(_), Literal::EmptyArray) | (TypeExpr::Object, Literal::EmptyObject) => {
            true
        }
        (TypeExpr::Enum(def), Literal::String(value)) => def.values.contains(value),
        _ => false,
    };
    if fits {
        return;
    }
    let value = format!("`{default}`");
    let name = &field.name;
    let expected = match &field.ty {
        TypeExpr::String => "a string",
        TypeExpr::Boolean => "true or false",
        TypeExpr::Integer => "an integer",
        TypeExpr::Number => "an integer or a float",
        TypeExpr::Array(_) => "`[]`",
        TypeExpr::Object => "`{}`",
        TypeExpr::Enum(def) => {
            diagnostics.push(
                &field.location,
                format!(
                    "the default {value} of `{name}` is not one of its values: expected one of {}",
                    def.values.join(", ")
                ),
            );
            return;
        }
        TypeExpr::Uuid | TypeExpr::DateTime | TypeExpr::Named(_) | TypeExpr::Struct(_) => {
            diagnostics.push(
                &field.location,
                format!(
                    "`{name}` is `{}`, which takes no default (only strings, booleans, numbers, enums, `[]` and `{{}}` do); write `optional: true` instead",
                    field.ty.describe()
                ),
            );
            return;
        }
    };
    let type_fits = matches!(
        (&field.ty, default),
        (TypeExpr::Integer, Literal::Integer(_))
            | (TypeExpr::Number, Literal::Integer(_) | Literal::Number(_))
    );
    let message = if type_fits {
        let bounds = match (field.min, field.max) {
            (Some(min), Some(max)) => format!("min {min}, max {max}"),
            (Some(min), None) => format!("min {min}"),
            (None, Some(max)) => format!("max {max}"),
            (None, None) => String::new(),
        };
        format!("the default {value} of `{name}` is outside its bounds ({bounds})")
    } else {
        format!(
            "the default {value} of `{name}` does not fit its type `{}`: expected {expected}",
            field.ty.describe()
        )
    };
    diagnostics.push(&field.location, message);
}

/// The error for a type name that is not PascalCase.
fn type_name_error(name: &str) -> String {
    format!(
        "type name `{}` must be PascalCase (an ASCII capital, then ASCII letters, digits or `_`, and not a Rust keyword), such as `{}`",
        shorten(name),
        shorten(&pascal_case_example(name, "CharacterType"))
    )
}

/// `name` in PascalCase when that is a valid type name (`account_opened` → `AccountOpened`),
/// else `fallback`.
fn pascal_case_example<'a>(name: &str, fallback: &'a str) -> std::borrow::Cow<'a, str> {
    let camel = heck::ToUpperCamelCase::to_upper_camel_case(name);
    if naming::is_type_name(&camel) && camel != name {
        camel.into()
    } else {
        fallback.into()
    }
}

fn within(field: &Field, value: f64) -> bool {
    field.min.is_none_or(|min| value >= min) && field.max.is_none_or(|max| value <= max)
}

fn check_duplicates(catalog: &Catalog, diagnostics: &mut Diagnostics) {
    let mut by_key: HashMap<(&str, &str), &EventDef> = HashMap::new();
    let mut type_of_name: HashMap<&str, &EventDef> = HashMap::new();
    let mut name_of_type: HashMap<&str, &EventDef> = HashMap::new();
    for event in catalog.events() {
        if let Some(first) = by_key.insert((&event.event_type, &event.event_version), event) {
            diagnostics.push(
                &event.spans.event_version,
                format!(
                    "duplicate event: `{}` version {} is already declared at {}",
                    event.event_type, event.event_version, first.location
                ),
            );
            continue;
        }
        match type_of_name.get(event.name.as_str()) {
            Some(first) if first.event_type != event.event_type => diagnostics.push(
                &event.spans.name,
                format!(
                    "duplicate struct name `{}`: already used for `{}` at {}; versions of one event share a name, different events need different names",
                    event.name, first.event_type, first.location
                ),
            ),
            _ => {
                type_of_name.insert(&event.name, event);
            }
        }
        match name_of_type.get(event.event_type.as_str()) {
            Some(first) if first.name != event.name => diagnostics.push(
                &event.spans.name,
                format!(
                    "eventType `{}` is named `{}` at {}; every version of one event keeps the same `name`",
                    event.event_type, first.name, first.location
                ),
            ),
            _ => {
                name_of_type.insert(&event.event_type, event);
            }
        }
    }
}

/// Subscriber traits (one per domain, one per service) must get distinct Rust names.
fn check_trait_names(catalog: &Catalog, diagnostics: &mut Diagnostics) {
    let mut traits: HashMap<String, (String, &Location)> = HashMap::new();
    for domain in &catalog.domains {
        traits.insert(
            naming::domain_trait_name(&domain.name),
            (format!("domain `{}`", domain.name), &domain.location),
        );
    }
    for subscriber in catalog.events().flat_map(|event| event.subscribers.iter()) {
        let name = naming::service_trait_name(&subscriber.service);
        if !is_ascii_ident(&name) {
            diagnostics.push(
                &subscriber.location,
                not_an_ident(
                    &format!("the subscriber service `{}`", shorten(&subscriber.service)),
                    &name,
                ),
            );
            continue;
        }
        let owner = format!("service `{}`", shorten(&subscriber.service));
        match traits.get(&name) {
            Some((first, _)) if *first == owner => {}
            Some((first, location)) => diagnostics.push(
                &subscriber.location,
                format!(
                    "{owner} and {first} (at {location}) both give the subscriber trait `{name}`; spell the service the same way everywhere, or rename one"
                ),
            ),
            None => {
                if naming::service_trait_name(&subscriber.service) == "Subscriber" {
                    diagnostics.push(&subscriber.location, "a subscriber's service name needs letters or digits");
                }
                traits.insert(name, (owner, &subscriber.location));
            }
        }
    }
}

/// How many distinct unknown type names get a "did you mean" suggestion: each costs a
/// comparison with every named type.
const MAX_SUGGESTED_NAMES: usize = 32;

fn check_named_references(catalog: &Catalog, diagnostics: &mut Diagnostics) {
    struct Names<'a> {
        declared: HashSet<&'a str>,
        list: Vec<&'a str>,
        suggestions: HashMap<String, String>,
    }
    impl Names<'_> {
        fn suggestion(&mut self, name: &str) -> String {
            if let Some(known) = self.suggestions.get(name) {
                return known.clone();
            }
            if self.suggestions.len() >= MAX_SUGGESTED_NAMES {
                return String::new();
            }
            let suggestion = did_you_mean(name, self.list.iter().copied());
            self.suggestions.insert(name.to_owned(), suggestion.clone());
            suggestion
        }
    }
    fn walk(ty: &TypeExpr, field: &Field, names: &mut Names<'_>, diagnostics: &mut Diagnostics) {
        match ty {
            TypeExpr::Named(name) if !names.declared.contains(name.as_str()) => {
                let suggestion = names.suggestion(name);
                diagnostics.push(
                    &field.location,
                    format!(
                        "field `{}` uses the type `{}`, which is neither a primitive nor declared under `types`{suggestion}",
                        shorten(&field.name),
                        shorten(name),
                    ),
                );
            }
            TypeExpr::Array(item) => walk(item, field, names, diagnostics),
            TypeExpr::Struct(def) => {
                for inner in &def.fields {
                    walk(&inner.ty, inner, names, diagnostics);
                }
            }
            _ => {}
        }
    }
    let list: Vec<&str> = catalog
        .types
        .iter()
        .map(|named| named.name.as_str())
        .collect();
    let mut names = Names {
        declared: list.iter().copied().collect(),
        list,
        suggestions: HashMap::new(),
    };
    let fields = catalog
        .events()
        .flat_map(|event| event.payload.iter())
        .chain(catalog.types.iter().flat_map(|named| match &named.ty {
            TypeExpr::Struct(def) => def.fields.as_slice(),
            _ => &[],
        }));
    for field in fields {
        walk(&field.ty, field, &mut names, diagnostics);
    }
}

/// A segment of an eventType (or a domain name): lowercase letters, digits and single dashes.
pub(crate) fn is_segment(segment: &str) -> bool {
    segment.starts_with(|c: char| c.is_ascii_lowercase())
        && !segment.ends_with('-')
        && !segment.contains("--")
        && segment
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
