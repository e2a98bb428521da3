//! A payload or nested object: the struct, its `Serialize`, its `Deserialize` through
//! `FromMap` (one `match` on the index of each key), defaults and the `Validate` impl.

use proc_macro2::{Literal as TokenLiteral, Span, TokenStream};
use quote::{format_ident, quote};

use super::Generator;
use super::docs::{doc_lines, field_doc};
use super::validation::{bound_check, option_f64};
use crate::model::Field;
use crate::naming::{self, ident};

impl Generator<'_> {
    /// A struct for a payload or a nested object, with serde attributes, bound-checking
    /// deserializers, defaults and the `Validate` implementation.
    pub(super) fn structure(
        &self,
        name: &str,
        docs: &[String],
        fields: &[Field],
        in_domain: bool,
    ) -> TokenStream {
        let p = self.private(in_domain);
        let allow = self.allow(in_domain);
        let type_ident = ident(name);
        let eq = fields.iter().all(|field| self.is_eq(&field.ty));
        let eq_derives = eq.then(|| quote!(::core::cmp::Eq, ::core::hash::Hash,));
        let docs = doc_lines(docs);
        let mut field_tokens = Vec::new();
        let mut helpers = Vec::new();
        let mut checks = Vec::new();
        let mut slots = Vec::new();
        let mut reads = Vec::new();
        let mut inits = Vec::new();
        let mut writes = Vec::new();
        let mut required_count = 0usize;
        let mut optional_counts = Vec::new();
        for (index, field) in fields.iter().enumerate() {
            let rust_name = naming::field_name(&field.name);
            let field_ident = ident(&rust_name);
            let helper_base = rust_name.trim_start_matches("r#").to_owned();
            let wire = &field.name;
            let base = self.rust_type(&field.ty, in_domain);
            let optional = field.optional && field.default.is_none();
            let ty = if optional {
                quote!(#p::Option<#base>)
            } else {
                base.clone()
            };
            let slot = format_ident!("__f{}", index);
            let arm = TokenLiteral::usize_unsuffixed(index);
            // Typed, so that no `next_field` call waits on an inference variable (the
            // compiler would then look at every `Deserialize` impl of the crate for it).
            slots.push(quote!(let mut #slot: #p::Option<#ty> = #p::None;));
            if field.min.is_some() || field.max.is_some() {
                let min = option_f64(field.min);
                let max = option_f64(field.max);
                checks.push(bound_check(
                    &p,
                    Span::call_site(),
                    &field_ident,
                    wire,
                    field.min,
                    field.max,
                ));
                reads.push(
                    quote!(#arm => #p::next_bounded(&mut map, &mut #slot, #wire, #min, #max)?,),
                );
            } else {
                reads.push(quote!(#arm => #p::next_field(&mut map, &mut #slot, #wire)?,));
            }
            if let Some(default) = &field.default {
                let function = format_ident!("__default_{}", helper_base);
                let value = self.default_value(&field.ty, default, in_domain);
                helpers.push(quote! {
                    #[doc(hidden)]
                    fn #function() -> #base {
                        #value
                    }
                });
                inits.push(quote!(#field_ident: #slot.unwrap_or_else(Self::#function),));
            } else if optional {
                inits.push(quote!(#field_ident: #slot.unwrap_or_default(),));
            } else {
                inits.push(quote!(#field_ident: #p::required(#slot, #wire)?,));
            }
            if optional {
                optional_counts.push(quote!(+ self.#field_ident.is_some() as usize));
                writes
                    .push(quote!(#p::serialize_optional(&mut state, #wire, &self.#field_ident)?;));
            } else {
                required_count += 1;
                writes.push(quote!(state.serialize_field(#wire, &self.#field_ident)?;));
            }
            if let Some(check) =
                self.nested_check(&field.ty, optional, &field_ident, wire, in_domain)
            {
                checks.push(check);
            }
            let field_docs = doc_lines(&field_doc(field));
            field_tokens.push(quote! {
                #field_docs
                pub #field_ident: #ty,
            });
        }
        let helper_impl = (!helpers.is_empty()).then(|| {
            quote! {
                #allow
                impl #type_ident {
                    #(#helpers)*
                }
            }
        });
        let checks_used = if checks.is_empty() {
            quote!(let _ = (path, violations);)
        } else {
            quote!(#(#checks)*)
        };
        let wires = fields.iter().map(|field| &field.name);
        let required_count = TokenLiteral::usize_unsuffixed(required_count);
        let serde = quote!(#p::serde);
        let state_mut = (!fields.is_empty()).then(|| quote!(mut));
        quote! {
            #docs
            #[derive(
                ::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, #eq_derives
            )]
            #allow
            pub struct #type_ident {
                #(#field_tokens)*
            }

            #helper_impl

            #allow
            impl #serde::Serialize for #type_ident {
                fn serialize<S: #serde::Serializer>(&self, serializer: S) -> #p::Result<S::Ok, S::Error> {
                    use #serde::ser::SerializeStruct as _;
                    let #state_mut state = serializer.serialize_struct(#name, #required_count #(#optional_counts)*)?;
                    #(#writes)*
                    state.end()
                }
            }

            #allow
            impl<'de> #serde::Deserialize<'de> for #type_ident {
                fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> #p::Result<Self, D::Error> {
                    #p::deserialize_struct(deserializer)
                }
            }

            #allow
            impl #p::FromMap for #type_ident {
                const NAME: &'static str = #name;
                const FIELDS: &'static [&'static str] = &[#(#wires),*];

                fn from_map<'de, A: #serde::de::MapAccess<'de>>(mut map: A) -> #p::Result<Self, A::Error> {
                                        #(#slots)*
                    while let #p::Some(key) = #p::next_key::<Self, A>(&mut map)? {
                        match key {
                            #(#reads)*
                            _ => #p::skip_value(&mut map)?,
                        }
                    }
                    #p::Ok(Self { #(#inits)* })
                }
            }

            #allow
            impl #p::holds::HoldsObject for #type_ident {}

            #allow
            impl #p::Validate for #type_ident {
                fn validate_into(&self, path: &str, violations: &mut #p::Vec<#p::Violation>) {
                    #checks_used
                }
            }
        }
    }
}
