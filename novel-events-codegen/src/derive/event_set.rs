//! `#[derive(EventSet)]`: an enum whose variants each hold one event type decodes any of them
//! from an envelope, by eventType and eventVersion, the way a catalog's `AnyEvent` does.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

use super::errors::Errors;

/// Expands `#[derive(EventSet)]`.
pub fn event_set(input: &DeriveInput) -> TokenStream {
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
    let mut duplicate_checks = Vec::new();
    for (i, (first_variant, first)) in variants.iter().zip(&types).enumerate() {
        for (second_variant, second) in variants.iter().zip(&types).skip(i + 1) {
            let message = format!(
                "#[derive(EventSet)] on `{name}`: variants `{first_variant}` and `{second_variant}` hold the same eventType and version, so decoding could not choose between them"
            );
            // Spanned on the second variant's type, so that the error points at it.
            duplicate_checks.push(quote_spanned! {second.span()=>
                ::novel_events::__private::assert_distinct_events(
                    <#first as ::novel_events::Event>::EVENT_TYPE,
                    <#first as ::novel_events::Event>::EVENT_VERSION,
                    <#second as ::novel_events::Event>::EVENT_TYPE,
                    <#second as ::novel_events::Event>::EVENT_VERSION,
                    #message,
                );
            });
        }
    }
    quote! {
        #[automatically_derived]
        #[allow(clippy::all, clippy::pedantic)]
        impl ::novel_events::__private::serde::Serialize for #ident {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: ::novel_events::__private::serde::Serializer,
            {
                match self {
                    #(Self::#variants(payload) => ::novel_events::__private::serde::Serialize::serialize(payload, serializer),)*
                }
            }
        }

        #[automatically_derived]
        #[allow(clippy::all, clippy::pedantic)]
        impl ::novel_events::EventPayload for #ident {
            fn event_type(&self) -> &'static str {
                match self {
                    #(Self::#variants(_) => <#types as ::novel_events::Event>::EVENT_TYPE,)*
                }
            }

            fn event_version(&self) -> &'static str {
                match self {
                    #(Self::#variants(_) => <#types as ::novel_events::Event>::EVENT_VERSION,)*
                }
            }

            fn aggregate_type(&self) -> &'static str {
                match self {
                    #(Self::#variants(_) => <#types as ::novel_events::Event>::AGGREGATE_TYPE,)*
                }
            }

            fn aggregate_id(&self) -> ::novel_events::__private::uuid::Uuid {
                match self {
                    #(Self::#variants(payload) => ::novel_events::Event::aggregate_id(payload),)*
                }
            }

            fn validate(&self) -> ::core::result::Result<(), ::novel_events::ValidationError> {
                match self {
                    #(Self::#variants(payload) => ::novel_events::Event::validate(payload),)*
                }
            }

            fn deserialize_payload<'de, D>(
                event_type: &str,
                event_version: &str,
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error>
            where
                D: ::novel_events::__private::serde::Deserializer<'de>,
            {
                #(
                    if event_type == <#types as ::novel_events::Event>::EVENT_TYPE
                        && event_version == <#types as ::novel_events::Event>::EVENT_VERSION
                    {
                        return ::novel_events::__private::deserialize_event::<#types, D>(deserializer)
                            .map(Self::#variants);
                    }
                )*
                ::core::result::Result::Err(::novel_events::__private::not_in_set::<D::Error>(
                    #name,
                    event_type,
                    event_version,
                    &[#((<#types as ::novel_events::Event>::EVENT_TYPE, <#types as ::novel_events::Event>::EVENT_VERSION)),*],
                ))
            }
        }

        #[automatically_derived]
        #[allow(clippy::all, clippy::pedantic)]
        impl #ident {
            /// Whether this set decodes envelopes of this eventType and version.
            pub fn handles(event_type: &str, event_version: &str) -> bool {
                false #(|| (event_type == <#types as ::novel_events::Event>::EVENT_TYPE
                    && event_version == <#types as ::novel_events::Event>::EVENT_VERSION))*
            }
        }

        #(
            #[automatically_derived]
            impl ::core::convert::From<#types> for #ident {
                fn from(payload: #types) -> Self {
                    Self::#variants(payload)
                }
            }

            #[automatically_derived]
            impl ::novel_events::Extract<#types> for #ident {
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
