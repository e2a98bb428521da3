//! `#[derive(EventSet)]`: an enum whose variants each hold one event type decodes any of them
//! from an envelope, by eventType and eventVersion, the way a catalog's `AnyEvent` does.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

use super::errors::Errors;
use super::expand::{attrs, private};
use crate::expand::Options;
use crate::expand::any_event::{EventSet, event_set_impls, from_impl};
use crate::expand::validation::respan;

/// Expands `#[derive(EventSet)]`.
/// The output reaches the runtime through `options.runtime`'s `__private` module (and its
/// public `Extract` trait).
pub fn event_set(input: &DeriveInput, options: &Options) -> TokenStream {
    let mut errors = Errors::new();
    let Data::Enum(data) = &input.data else {
        errors.push(
            input.ident.span(),
            "#[derive(EventSet)] is for enums whose variants each hold one event type: `enum MyEvents { Created(CharacterCreated), Deleted(CharacterDeleted) }`",
        );
        return errors.to_compile_errors();
    };
    if let Some(param) = input.generics.params.first() {
        errors.push(
            param.span(),
            "#[derive(EventSet)] does not support generic enums",
        );
    }
    if data.variants.is_empty() {
        errors.push(
            input.ident.span(),
            "#[derive(EventSet)] needs at least one variant",
        );
    }
    let mut variants = Vec::new();
    let mut types = Vec::new();
    for variant in &data.variants {
        match &variant.fields {
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                variants.push(variant.ident.clone());
                types.push(fields.unnamed[0].ty.clone());
            }
            fields => {
                // Suggest the variant's own type when it has exactly one.
                let held = match fields.iter().collect::<Vec<_>>().as_slice() {
                    [field] => {
                        let ty = &field.ty;
                        quote!(#ty).to_string().replace(' ', "")
                    }
                    _ => "MyEvent".to_owned(),
                };
                errors.push(
                    variant.span(),
                    format!(
                        "variant `{}` must hold exactly one event type, as a tuple variant: `{}({held})`, where `{held}` implements novel_events::Event",
                        variant.ident, variant.ident
                    ),
                );
            }
        }
    }
    if !errors.is_empty() {
        return errors.to_compile_errors();
    }
    let ident = &input.ident;
    let name = ident.to_string();
    let runtime = &options.runtime;
    let p = private(options);
    let attrs = attrs();
    let types: Vec<TokenStream> = types.iter().map(|ty| quote!(#ty)).collect();
    let mut duplicate_checks = Vec::new();
    for (i, (first_variant, first)) in variants.iter().zip(&types).enumerate() {
        for (second_variant, second) in variants.iter().zip(&types).skip(i + 1) {
            let message = format!(
                "#[derive(EventSet)] on `{name}`: variants `{first_variant}` and `{second_variant}` hold the same eventType and version, so decoding could not choose between them"
            );
            // Spanned on the second variant's type, so that the error points at it.
            let span = second.span();
            let p = respan(&p, span);
            duplicate_checks.push(quote_spanned! {span=>
                #p::assert_distinct_events(
                    <#first as #p::Event>::EVENT_TYPE,
                    <#first as #p::Event>::EVENT_VERSION,
                    <#second as #p::Event>::EVENT_TYPE,
                    <#second as #p::Event>::EVENT_VERSION,
                    #message,
                );
            });
        }
    }
    let set_impls = event_set_impls(
        &EventSet {
            attrs: &attrs,
            private: &p,
            ident,
            variants: &variants,
            types: &types,
        },
        &quote! {
            const VERSIONS: &[#p::DecodedVersion] = &[
                #(#p::DecodedVersion {
                    event_type: <#types as #p::Event>::EVENT_TYPE,
                    event_version: <#types as #p::Event>::EVENT_VERSION,
                    reads_newer: false,
                },)*
            ];
            ::core::option::Option::Some(#p::Decodes {
                scope: #p::DecodeScope::Set(#name),
                versions: VERSIONS,
            })
        },
        &quote! {
            #(
                if event_type == <#types as #p::Event>::EVENT_TYPE
                    && event_version == <#types as #p::Event>::EVENT_VERSION
                {
                    return #p::deserialize_event::<#types, D>(deserializer)
                        .map(Self::#variants);
                }
            )*
            ::core::result::Result::Err(#p::not_in_set::<D::Error>(
                #name,
                event_type,
                event_version,
                &[#((<#types as #p::Event>::EVENT_TYPE, <#types as #p::Event>::EVENT_VERSION)),*],
            ))
        },
    );
    let from_attrs = quote!(#[automatically_derived]);
    let from_impls = variants
        .iter()
        .zip(&types)
        .map(|(variant, ty)| from_impl(&from_attrs, ident, variant, ty));
    quote! {
        #set_impls

        #attrs
        impl #ident {
            /// Whether this set decodes envelopes of this eventType and version.
            pub fn handles(event_type: &str, event_version: &str) -> bool {
                false #(|| (event_type == <#types as #p::Event>::EVENT_TYPE
                    && event_version == <#types as #p::Event>::EVENT_VERSION))*
            }
        }

        #(#from_impls)*

        #(
            // `Extract` is a public trait of the runtime, which users implement too.
            #[automatically_derived]
            impl #runtime::Extract<#types> for #ident {
                fn extract(&self) -> ::core::option::Option<&#types> {
                    match self {
                        Self::#variants(payload) => ::core::option::Option::Some(payload),
                        #[allow(unreachable_patterns)]
                        _ => ::core::option::Option::None,
                    }
                }
            }
        )*

        const _: () = {
            #(#duplicate_checks)*
        };
    }
}
