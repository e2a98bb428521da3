//! The derives: `#[derive(Event)]` (with optional checks against a catalog),
//! `#[derive(EventObject)]` (a struct checked against a catalog's nested object),
//! `#[derive(EventSet)]` and `#[derive(EventEnum)]`. Plain functions from a
//! [`syn::DeriveInput`] to tokens; the proc-macro crate only adds file loading.
//!
//! `#[derive(Event)]` runs in stages: `attr` reads the attributes into an `EventInput`; `valid`
//! and, with `catalog = "..."`, `catalog_check` check it and return data (the resolved
//! values of the impl, the type assertions and bounds to emit), recording every mistake in
//! `errors`; `expand` turns that data into tokens, or `fallback` writes a stand-in impl next to
//! the errors so that one mistake does not cascade into rustc errors.
//!
//! Contract: the derives never panic on input; what the derives and `include_catalog!` both
//! emit (the `Event` and `EventPayload` impls, the event-set impls, bounds checks) comes from
//! the one generator of each in `crate::expand`; the output reaches the runtime through the `__private` module of
//! [`Options::runtime`](crate::Options::runtime) (and `::core`/`::std`), except the public
//! `Extract` trait that `#[derive(EventSet)]` implements.

mod attr;
mod catalog_check;
mod errors;
mod event;
mod event_enum;
mod event_object;
mod event_set;
mod expand;
mod fallback;
mod serde_names;
mod valid;
mod widths;

use std::path::PathBuf;
use std::sync::Arc;

pub use event::event;
pub use event_enum::event_enum;
pub use event_object::event_object;
pub use event_set::event_set;

use syn::LitStr;

use crate::model::Catalog;
use crate::report::CatalogError;

/// A catalog loaded from a file, for the checks of `#[derive(Event)]`.
#[derive(Debug)]
pub struct LoadedCatalog {
    /// The parsed, validated catalog.
    pub catalog: Catalog,
    /// Its absolute path, so that the expansion can make cargo rebuild when it changes.
    pub path: PathBuf,
}

/// Loads the catalog named by the literal of `catalog = "..."`; its errors are reported on
/// that literal, as `include_catalog!` reports them.
pub type CatalogLoader<'a> = &'a dyn Fn(&LitStr) -> Result<Arc<LoadedCatalog>, CatalogError>;

#[cfg(test)]
mod tests {
    use proc_macro2::{TokenStream, TokenTree};
    use quote::quote;

    use super::*;
    use crate::Options;

    /// Every item the output names under the runtime `::rt`: the segment after `::rt::`.
    fn runtime_items(tokens: TokenStream, out: &mut Vec<String>) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        for (index, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Group(group) => runtime_items(group.stream(), out),
                TokenTree::Ident(ident) if ident == "rt" => {
                    if let Some(TokenTree::Ident(next)) = tokens.get(index + 3) {
                        out.push(next.to_string());
                    }
                }
                _ => {}
            }
        }
    }

    fn runtime() -> Options {
        Options {
            runtime: quote!(::rt),
            ..Options::default()
        }
    }

    #[test]
    fn derived_code_reaches_the_runtime_through_private() {
        let input: syn::DeriveInput = syn::parse_quote! {
            #[event(type = "things.thing.made", version = "1.0.0", aggregate = "Thing")]
            struct ThingMade {
                #[event(aggregate_id)]
                id: Uuid,
            }
        };
        let no_catalog = |_: &LitStr| -> Result<Arc<LoadedCatalog>, CatalogError> {
            Err(CatalogError::Unreadable("no catalog".into()))
        };
        let mut items = Vec::new();
        let derived = event(&input, &no_catalog, &runtime());
        assert!(!derived.to_string().contains("novel_events"), "{derived}");
        runtime_items(derived, &mut items);
        let set: syn::DeriveInput = syn::parse_quote! {
            enum Things { Made(ThingMade) }
        };
        let mut set_items = Vec::new();
        runtime_items(event_set(&set, &runtime()), &mut set_items);
        let values: syn::DeriveInput = syn::parse_quote! {
            enum Plan { Free, Pro }
        };
        runtime_items(event_enum(&values, &runtime()), &mut items);
        assert!(!items.is_empty());
        assert!(items.iter().all(|item| item == "__private"), "{items:?}");
        // `Extract` is public API, which users implement too.
        assert!(
            set_items
                .iter()
                .all(|item| item == "__private" || item == "Extract"),
            "{set_items:?}"
        );
    }

    #[test]
    fn the_stand_in_impl_follows_the_errors() {
        let input: syn::DeriveInput = syn::parse_quote! {
            #[event(type = "Things", version = "1.0.0", aggregate = "Thing")]
            struct ThingMade {
                #[event(aggregate_id)]
                id: Uuid,
            }
        };
        let no_catalog = |_: &LitStr| -> Result<Arc<LoadedCatalog>, CatalogError> {
            Err(CatalogError::Unreadable("no catalog".into()))
        };
        let text = event(&input, &no_catalog, &runtime()).to_string();
        assert!(text.contains("compile_error"), "{text}");
        assert!(
            text.contains("impl :: rt :: __private :: Event for ThingMade"),
            "{text}"
        );
        assert!(
            text.contains("impl :: rt :: __private :: EventPayload for ThingMade"),
            "{text}"
        );
    }
}
