//! `#[derive(EventEnum)]`: tells `#[derive(Event)]`'s catalog checks which strings a user's
//! own enum reads, by implementing `HoldsEnum` (`novel_events::__private::holds`) from its serde names.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

use super::errors::Errors;
use super::expand::private;
use super::serde_names::serde_names;
use crate::expand::Options;

/// Expands `#[derive(EventEnum)]`.
/// The output reaches the runtime through `options.runtime`'s `__private` module.
pub fn event_enum(input: &DeriveInput, options: &Options) -> TokenStream {
    let mut errors = Errors::new();
    let Data::Enum(data) = &input.data else {
        errors.push(input.ident.span(), "#[derive(EventEnum)] is for enums of unit variants that stand for a catalog's string enum");
        return errors.to_compile_errors();
    };
    let container = serde_names(&input.attrs).unwrap_or_else(|error| {
        errors.push_error(error);
        Default::default()
    });
    let mut values = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            errors.push(
                variant.span(),
                format!(
                    "variant `{}` must be a unit variant: a catalog enum is a set of strings",
                    variant.ident
                ),
            );
            continue;
        }
        let names = serde_names(&variant.attrs).unwrap_or_else(|error| {
            errors.push_error(error);
            Default::default()
        });
        if names.skip {
            continue;
        }
        let plain = variant.ident.to_string();
        values.push(match (names.rename, container.rename_all) {
            (Some(rename), _) => rename,
            (None, Some(rule)) => rule.apply_to_variant(&plain),
            (None, None) => plain,
        });
    }
    if !errors.is_empty() {
        return errors.to_compile_errors();
    }
    let ident = &input.ident;
    let p = private(options);
    quote! {
        #[automatically_derived]
        impl #p::holds::HoldsEnum for #ident {
            const VALUES: &'static [&'static str] = &[#(#values),*];
        }
    }
}
