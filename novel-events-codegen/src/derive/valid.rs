//! The checks of `#[derive(Event)]` that need no catalog, and the resolution of what the
//! `Event` and `EventPayload` impls say from the attributes and the catalog's facts. Checks
//! record errors and return data; none of them writes tokens.

use syn::Ident;

use super::attr::{AggregateIdKind, EventField, EventInput};
use super::catalog_check::CatalogFacts;
use super::errors::Errors;
use crate::model::Category;
use crate::{naming, parse, validate};

/// What the `Event` and `EventPayload` impls of a struct say, once every check passed.
pub struct ValidEvent<'a> {
    /// The struct.
    pub ident: &'a Ident,
    /// `EVENT_TYPE`.
    pub event_type: String,
    /// `EVENT_VERSION`.
    pub version: String,
    /// `AGGREGATE_TYPE`.
    pub aggregate_type: String,
    /// `CATEGORY`.
    pub category: Category,
    /// `DESCRIPTION`.
    pub description: String,
    /// `SUBSCRIBERS`: (service, purpose).
    pub subscribers: Vec<(String, String)>,
    /// The field giving the aggregate id, and how.
    pub aggregate_id: Option<(&'a EventField, AggregateIdKind)>,
}

/// The values of the `Event` and `EventPayload` impls: the attributes', else the catalog's.
/// `None` when a required one is missing (already reported).
pub fn resolve<'a>(
    input: &'a EventInput,
    facts: Option<&CatalogFacts>,
    aggregate_id: Option<(&'a EventField, AggregateIdKind)>,
) -> Option<ValidEvent<'a>> {
    let (Some(event_type), Some(version)) = (&input.event_type, &input.version) else {
        return None;
    };
    let aggregate_type = match (&input.aggregate, facts) {
        (Some(aggregate), _) => aggregate.value(),
        (None, Some(facts)) => facts.aggregate_type.clone(),
        (None, None) => return None,
    };
    let category = input
        .category
        .map(|(category, _)| category)
        .or(facts.map(|facts| facts.category))
        .unwrap_or(Category::Domain);
    // Checked against a catalog, the catalog's description is the event's (the doc comment
    // documents the Rust type); otherwise the doc comment or `description = "..."`.
    let description = match facts {
        Some(facts) if !facts.description.is_empty() => facts.description.clone(),
        _ => input.description.clone(),
    };
    let subscribers = if input.subscribers.is_empty() {
        facts
            .map(|facts| facts.subscribers.clone())
            .unwrap_or_default()
    } else {
        input.subscribers.clone()
    };
    Some(ValidEvent {
        ident: &input.ident,
        event_type: event_type.value(),
        version: version.value(),
        aggregate_type,
        category,
        description,
        subscribers,
        aggregate_id,
    })
}

/// `type = "..."` is given and has the form `domain.aggregate.action`.
pub fn check_event_type(input: &EventInput, errors: &mut Errors) {
    let Some(literal) = &input.event_type else {
        errors.push(
            input.ident.span(),
            "missing `type`: write #[event(type = \"domain.aggregate.action\", version = \"1.0.0\", aggregate = \"Name\")]",
        );
        return;
    };
    let value = literal.value();
    let segments: Vec<&str> = value.split('.').collect();
    if segments.len() != 3 || !segments.iter().all(|segment| validate::is_segment(segment)) {
        errors.push(
            literal.span(),
            format!(
                "eventType `{value}` must have the form `domain.aggregate.action`: three lowercase segments of letters, digits and dashes, such as `characters.character.skill-gained`"
            ),
        );
    }
}

/// `version = "..."` is given and is a semantic version.
pub fn check_version(input: &EventInput, errors: &mut Errors) {
    match &input.version {
        None => errors.push(input.ident.span(), "missing `version`: write #[event(version = \"1.0.0\", ...)]"),
        Some(literal) if !parse::is_semver(&literal.value()) => errors.push(
            literal.span(),
            format!(
                "version `{}` is not a semantic version: expected MAJOR.MINOR.PATCH such as \"1.0.0\"",
                literal.value()
            ),
        ),
        Some(_) => {}
    }
}

/// Without a catalog, the struct must say everything itself.
pub fn check_standalone(input: &EventInput, errors: &mut Errors) {
    match &input.aggregate {
        None if input.catalog.is_none() => errors.push(
            input.ident.span(),
            "missing `aggregate`: write #[event(aggregate = \"Character\", ...)] (or give `catalog = \"...\"` to take it from the catalog)",
        ),
        Some(literal) if !naming::is_type_name(&literal.value()) => errors.push(
            literal.span(),
            format!("aggregate type `{}` must be PascalCase, such as `Character`", literal.value()),
        ),
        _ => {}
    }
}

/// The field that gives the aggregate id: the one marked `#[event(aggregate_id)]`, or the
/// catalog's aggregateId field when none is marked.
pub fn aggregate_field<'a>(
    input: &'a EventInput,
    facts: Option<&CatalogFacts>,
    errors: &mut Errors,
) -> Option<(&'a EventField, AggregateIdKind)> {
    let marked: Vec<&EventField> = input
        .fields
        .iter()
        .filter(|field| field.aggregate_id.is_some())
        .collect();
    if let Some(extra) = marked.get(1) {
        if let Some((_, span)) = extra.aggregate_id {
            errors.push(
                span,
                format!(
                    "only one field can be the aggregate id; `{}` is already marked #[event(aggregate_id)]",
                    marked[0].name()
                ),
            );
        }
        return None;
    }
    if let Some(field) = marked.first() {
        let (kind, _) = field.aggregate_id?;
        return Some((field, kind));
    }
    match facts {
        Some(facts) => facts.aggregate_field.and_then(|index| {
            input
                .fields
                .get(index)
                .map(|field| (field, facts.aggregate_kind))
        }),
        // The catalog could not be used (already reported): it would have named the field.
        None if input.catalog.is_some() => None,
        None => {
            errors.push(
                input.ident.span(),
                "no field is marked as the aggregate id: add #[event(aggregate_id)] to the uuid field that identifies the aggregate (or #[event(aggregate_id = \"uuid_v5\")] to a string field whose UUID v5 is the id)",
            );
            None
        }
    }
}
