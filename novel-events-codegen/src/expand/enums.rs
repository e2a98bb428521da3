//! A catalog string enum: the Rust enum, its serde impls (values as written on the wire),
//! `Display`, `FromStr` and the `HoldsEnum` marker of the derive's catalog checks.

use proc_macro2::TokenStream;
use quote::quote;

use super::Generator;
use super::docs::{doc_lines, quoted_list};
use crate::model::EnumDef;
use crate::naming::{self, ident};

impl Generator<'_> {
    /// A string enum with its impls.
    pub(super) fn enumeration(&self, def: &EnumDef, in_domain: bool) -> TokenStream {
        let p = self.private(in_domain);
        let name = ident(&def.name);
        let allow = self.allow(in_domain);
        let mut docs: Vec<String> = def.description.iter().cloned().collect();
        if docs.is_empty() {
            docs.push(format!("One of: {}.", quoted_list(&def.values)));
        }
        let docs = doc_lines(&docs);
        let variants: Vec<_> = def
            .values
            .iter()
            .map(|value| ident(&naming::variant_name(value)))
            .collect();
        let values = &def.values;
        let variant_docs = values.iter().map(|value| format!(" `{value}`"));
        let type_name = &def.name;
        quote! {
            #docs
            #[derive(
                ::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy,
                ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash,
                ::core::cmp::PartialOrd, ::core::cmp::Ord,
            )]
            #allow
            pub enum #name {
                #(
                    #[doc = #variant_docs]
                    #variants,
                )*
            }

            #allow
            impl #p::serde::Serialize for #name {
                fn serialize<S: #p::serde::Serializer>(&self, serializer: S) -> #p::Result<S::Ok, S::Error> {
                    serializer.serialize_unit_variant(#type_name, *self as u32, self.as_str())
                }
            }

            #allow
            impl<'de> #p::serde::Deserialize<'de> for #name {
                fn deserialize<D: #p::serde::Deserializer<'de>>(deserializer: D) -> #p::Result<Self, D::Error> {
                    #p::deserialize_enum(deserializer, #type_name, Self::VALUES, Self::ALL)
                }
            }

            #allow
            impl #name {
                /// Every variant, in catalog order.
                pub const ALL: &'static [Self] = &[#(Self::#variants),*];
                /// Every value as written on the wire, in catalog order.
                pub const VALUES: &'static [&'static str] = &[#(#values),*];

                /// The value as written on the wire.
                pub const fn as_str(&self) -> &'static str {
                    match self {
                        #(Self::#variants => #values,)*
                    }
                }
            }

            #allow
            impl #p::holds::HoldsEnum for #name {
                const VALUES: &'static [&'static str] = &[#(#values),*];
            }

            #allow
            impl ::core::fmt::Display for #name {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            #allow
            impl ::core::str::FromStr for #name {
                type Err = #p::UnknownValue;

                fn from_str(value: &str) -> #p::Result<Self, Self::Err> {
                    match value {
                        #(#values => #p::Ok(Self::#variants),)*
                        other => #p::Err(
                            #p::UnknownValue::new(#type_name, other, Self::VALUES),
                        ),
                    }
                }
            }
        }
    }
}
