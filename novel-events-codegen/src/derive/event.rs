//! `#[derive(Event)]` in stages: attributes ([`attr`](super::attr)), checks that return data
//! ([`valid`](super::valid), and [`catalog_check`](super::catalog_check) with a catalog), then
//! the expansion ([`expand`](super::expand)), or the stand-in impl of
//! [`fallback`](super::fallback) next to the errors.

use proc_macro2::TokenStream;
use syn::DeriveInput;

use super::CatalogLoader;
use super::errors::Errors;
use super::{attr, catalog_check, expand, fallback, valid};
use crate::expand::Options;

/// Expands `#[derive(Event)]`. Every mistake of the struct becomes one compile error, all
/// reported together; with `catalog = "..."`, the struct is also checked against the catalog.
/// The output reaches the runtime through `options.runtime`'s `__private` module.
pub fn event(input: &DeriveInput, load: CatalogLoader<'_>, options: &Options) -> TokenStream {
    let mut errors = Errors::new();
    let generic = !input.generics.params.is_empty();
    let Some(input) = attr::parse(input, &mut errors) else {
        return errors.to_compile_errors();
    };
    if let Some(object) = &input.object {
        errors.push(
            object.span(),
            "`object` is a key of #[derive(EventObject)], for a struct that stands for a catalog's nested object; an event takes `type` and `version`",
        );
    }
    valid::check_event_type(&input, &mut errors);
    valid::check_version(&input, &mut errors);
    let facts = match &input.catalog {
        Some(literal) => match load(literal) {
            Ok(loaded) => catalog_check::check(&input, &loaded, &mut errors),
            Err(error) => {
                errors.push_error(error.to_syn_error(literal.span()));
                None
            }
        },
        None => None,
    };
    if facts.is_none() {
        valid::check_standalone(&input, &mut errors);
    }
    let aggregate_id = valid::aggregate_field(&input, facts.as_ref(), &mut errors);
    if generic {
        // A stand-in implementation for the type without its parameters would only add
        // "missing generics" errors.
        return errors.to_compile_errors();
    }
    if !errors.is_empty() {
        return fallback::event(
            &input.ident,
            errors.to_compile_errors(),
            facts.as_ref(),
            options,
        );
    }
    match valid::resolve(&input, facts.as_ref(), aggregate_id) {
        Some(valid) => expand::event(&valid, facts.as_ref(), options),
        None => errors.to_compile_errors(),
    }
}
