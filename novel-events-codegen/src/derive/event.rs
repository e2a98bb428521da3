//! `#[derive(Event)]`: checks that need no catalog, then the `Event` implementation.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

use super::CatalogLoader;
use super::attr::{self, AggregateIdKind, EventField, EventInput};
use super::catalog_check::{self, CatalogFacts};
use super::errors::Errors;
use crate::model::Category;
use crate::{naming, parse, validate};

/// Expands `#[derive(Event)]`. Every mistake of the struct becomes one compile error, all
/// reported together; with `catalog = "..."`, the struct is also checked against the catalog.
pub fn event(input: &DeriveInput, load: CatalogLoader<'_>) -> TokenStream {
    let mut errors = Errors::new();
    let generic = !input.generics.params.is_empty();
    let Some(input) = attr::parse(input, &mut errors) else {
        return errors.to_compile_errors();
    };
    let ident = &input.ident;
    check_event_type(&input, &mut errors);
    check_version(&input, &mut errors);

    let facts = match &input.catalog {
        Some(literal) => match load(&literal.value()) {
            Ok(loaded) => catalog_check::check(&input, &loaded, &mut errors),
            Err(message) => {
                errors.push(literal.span(), message);
                None
            }
        },
        None => None,
    };
    if facts.is_none() {
        check_standalone(&input, &mut errors);
    }
    let aggregate_field = aggregate_field(&input, facts.as_ref(), &mut errors);
    let type_checks = facts.as_ref().map(|facts| &facts.type_checks);
    if generic {
        // A stand-in implementation for `#ident` without its parameters would only add
        // "missing generics" errors.
        return errors.to_compile_errors();
    }
    if !errors.is_empty() {
        // The errors, plus a stand-in implementation so that code using the type does not
        // drown them in "Event is not implemented" errors; type checks still run.
        let compile_errors = errors.to_compile_errors();
        return quote! {
            #compile_errors
            #[allow(clippy::all, clippy::pedantic)]
            impl ::novel_events::Event for #ident {
                const EVENT_TYPE: &'static str = "";
                const EVENT_VERSION: &'static str = "";
                const AGGREGATE_TYPE: &'static str = "";
                const CATEGORY: ::novel_events::EventCategory = ::novel_events::EventCategory::Domain;
                const DESCRIPTION: &'static str = "";
                const SUBSCRIBERS: &'static [::novel_events::SubscriberInfo] = &[];
                fn aggregate_id(&self) -> ::novel_events::__private::uuid::Uuid {
                    ::core::unreachable!()
                }
            }
            const _: () = { #type_checks };
        };
    }
    let (Some(event_type), Some(version)) = (&input.event_type, &input.version) else {
        return errors.to_compile_errors();
    };
    let aggregate = match (&input.aggregate, &facts) {
        (Some(aggregate), _) => aggregate.value(),
        (None, Some(facts)) => facts.aggregate_type.clone(),
        (None, None) => return errors.to_compile_errors(),
    };
    let category = input
        .category
        .map(|(category, _)| category)
        .or(facts.as_ref().map(|facts| facts.category))
        .unwrap_or(Category::Domain);
    let category = syn::Ident::new(category.variant(), Span::call_site());
    // Checked against a catalog, the catalog's description is the event's (the doc comment
    // documents the Rust type); otherwise the doc comment or `description = "..."`.
    let description = match &facts {
        Some(facts) if !facts.description.is_empty() => facts.description.clone(),
        _ => input.description.clone(),
    };
    let subscribers = if input.subscribers.is_empty() {
        facts
            .as_ref()
            .map(|facts| facts.subscribers.clone())
            .unwrap_or_default()
    } else {
        input.subscribers.clone()
    };
    let services = subscribers.iter().map(|(service, _)| service);
    let purposes = subscribers.iter().map(|(_, purpose)| purpose);
    let aggregate_id = aggregate_field.map_or_else(
        || quote!(::core::unreachable!()),
        |(field, kind)| {
            let ty_span = field.ty.span();
            // The field named with its type's span, so that an error lands on the type.
            let mut name = field.ident.clone();
            name.set_span(ty_span);
            match kind {
                AggregateIdKind::Uuid => {
                    // A local trait implemented by `Uuid` only: a field of another type is
                    // reported on its type, with what to do, rather than as a mismatch inside
                    // `Clone::clone`.
                    let message = format!(
                        "the aggregate id field `{}` is a `{{Self}}`, not a `uuid::Uuid`",
                        field.name()
                    );
                    let note = if facts.is_some() {
                        format!("the catalog declares the aggregate id `{}` a uuid: make the field a `uuid::Uuid`", field.wire_name)
                    } else {
                        "make the field a `uuid::Uuid`, or mark it #[event(aggregate_id = \"uuid_v5\")] if it is a name whose UUID v5 is the id".to_owned()
                    };
                    quote_spanned! {ty_span=>
                        #[diagnostic::on_unimplemented(
                            message = #message,
                            label = "the aggregate id must be a `uuid::Uuid`",
                            note = #note
                        )]
                        trait AggregateIdField {
                            fn aggregate_id(&self) -> ::novel_events::__private::uuid::Uuid;
                        }
                        #[diagnostic::do_not_recommend]
                        impl AggregateIdField for ::novel_events::__private::uuid::Uuid {
                            fn aggregate_id(&self) -> ::novel_events::__private::uuid::Uuid {
                                *self
                            }
                        }
                        AggregateIdField::aggregate_id(&self.#name)
                    }
                }
                AggregateIdKind::NameBased => quote_spanned! {ty_span=>
                    ::novel_events::name_based_aggregate_id(::core::convert::AsRef::<str>::as_ref(&self.#name))
                },
            }
        },
    );
    let validate = facts.as_ref().map(|facts| {
        let checks = &facts.bound_checks;
        quote! {
            fn validate(&self) -> ::core::result::Result<(), ::novel_events::ValidationError> {
                let mut violations = ::std::vec::Vec::new();
                let path = "payload";
                #(#checks)*
                if violations.is_empty() {
                    ::core::result::Result::Ok(())
                } else {
                    ::core::result::Result::Err(::novel_events::ValidationError { violations })
                }
            }
        }
    });
    let rebuild = facts.as_ref().map(|facts| {
        let path = facts.path.to_string_lossy().into_owned();
        quote!(
            const _: &str = ::core::include_str!(#path);
        )
    });
    quote! {
        #[automatically_derived]
        #[allow(clippy::all, clippy::pedantic)]
        impl ::novel_events::Event for #ident {
            const EVENT_TYPE: &'static str = #event_type;
            const EVENT_VERSION: &'static str = #version;
            const AGGREGATE_TYPE: &'static str = #aggregate;
            const CATEGORY: ::novel_events::EventCategory = ::novel_events::EventCategory::#category;
            const DESCRIPTION: &'static str = #description;
            const SUBSCRIBERS: &'static [::novel_events::SubscriberInfo] = &[
                #(::novel_events::SubscriberInfo { service: #services, purpose: #purposes },)*
            ];

            fn aggregate_id(&self) -> ::novel_events::__private::uuid::Uuid {
                #aggregate_id
            }

            #validate
        }

        #[allow(clippy::all, clippy::pedantic)]
        const _: () = {
            #type_checks
            #rebuild
        };
    }
}

fn check_event_type(input: &EventInput, errors: &mut Errors) {
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

fn check_version(input: &EventInput, errors: &mut Errors) {
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
fn check_standalone(input: &EventInput, errors: &mut Errors) {
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
fn aggregate_field<'a>(
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
