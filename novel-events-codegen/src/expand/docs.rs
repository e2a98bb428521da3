//! The doc comments of generated items, and the text of literals in them.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{EventDef, Field};

/// `#[doc = " line"]` attributes, one per line.
pub(super) fn doc_lines(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| {
        let line = format!(" {line}");
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// The values as a list of code spans: "`a`, `b`".
pub(super) fn quoted_list(values: &[String]) -> String {
    values
        .iter()
        .map(|value| format!("`{value}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The doc comment of an event struct: description, identity, triggers and subscribers.
pub(super) fn event_doc(event: &EventDef) -> Vec<String> {
    let mut docs = Vec::new();
    if let Some(description) = &event.description {
        docs.push(description.clone());
        docs.push(String::new());
    }
    docs.push(format!(
        "eventType `{}`, version {}, aggregate `{}` (id from `{}`), category {}.",
        event.event_type,
        event.event_version,
        event.aggregate_type,
        event.aggregate_id.field(),
        event.category.as_str()
    ));
    if !event.is_latest {
        docs.push(String::new());
        docs.push(format!(
            "An older version of `{}`; the newest keeps the plain name.",
            event.name
        ));
    }
    if !event.triggers.is_empty() {
        docs.push(String::new());
        docs.push("Triggers:".into());
        docs.extend(event.triggers.iter().map(|trigger| format!("- {trigger}")));
    }
    if !event.subscribers.is_empty() {
        docs.push(String::new());
        docs.push("Subscribers:".into());
        docs.extend(
            event
                .subscribers
                .iter()
                .map(|subscriber| match &subscriber.purpose {
                    Some(purpose) => format!("- {}: {purpose}", subscriber.service),
                    None => format!("- {}", subscriber.service),
                }),
        );
    }
    docs
}

/// The doc comment of a payload field: description, bounds, default and deprecation.
pub(super) fn field_doc(field: &Field) -> Vec<String> {
    let mut docs = Vec::new();
    docs.push(match &field.description {
        Some(description) => format!("`{}`: {description}", field.name),
        None => format!("`{}` ({}).", field.name, field.ty.describe()),
    });
    match (field.min, field.max) {
        (Some(min), Some(max)) => docs.push(format!("Between {min} and {max}, inclusive.")),
        (Some(min), None) => docs.push(format!("At least {min}.")),
        (None, Some(max)) => docs.push(format!("At most {max}.")),
        (None, None) => {}
    }
    if let Some(default) = &field.default {
        docs.push(format!("Defaults to `{}` when absent.", default.to_json()));
    }
    if let Some(deprecation) = &field.deprecated {
        let note = deprecation
            .note
            .as_deref()
            .map(|note| format!(" {note}"))
            .unwrap_or_default();
        docs.push(format!(
            "Deprecated: removed in version {}.{note}",
            deprecation.removal_version
        ));
    }
    docs
}
