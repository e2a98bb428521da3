//! The stand-in `Event` and `EventPayload` impls written next to the errors of
//! `#[derive(Event)]`: code using the type then compiles on, so that one mistake is reported
//! as itself rather than drowned in "`Event` is not implemented" errors. The type assertions of
//! the catalog checks still run.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use super::catalog_check::CatalogFacts;
use super::expand::{attrs, private, type_checks};
use crate::expand::Options;
use crate::expand::events::{EventImpl, event_impl};
use crate::model::Category;

/// The compile errors, stand-in `Event` and `EventPayload` impls for `ident` and the type
/// assertions.
pub fn event(
    ident: &Ident,
    compile_errors: TokenStream,
    facts: Option<&CatalogFacts>,
    options: &Options,
) -> TokenStream {
    let p = private(options);
    let stand_in = event_impl(&EventImpl {
        attrs: attrs(),
        private: &p,
        ident,
        event_type: "",
        version: "",
        aggregate_type: "",
        category: Category::Domain,
        description: "",
        subscribers: Vec::new(),
        checks_on_decode: false,
        aggregate_id: quote!(::core::unreachable!()),
        validate: None,
    });
    let type_checks = facts.map(|facts| type_checks(options, &facts.type_checks));
    quote! {
        #compile_errors
        #stand_in
        #[allow(clippy::all, clippy::pedantic)]
        const _: () = { #type_checks };
    }
}
