//! The Rust type of a catalog type, whether it can be `Eq`, the inline types a payload declares,
//! and default values.

use std::collections::HashMap;

use proc_macro2::{Literal as TokenLiteral, TokenStream};
use quote::quote;

use super::Generator;
use crate::model::{EnumDef, Field, Literal, NamedType, StructDef, TypeExpr};
use crate::naming::{self, ident};

/// Whether each named type can derive `Eq` and `Hash` (no float inside, through other named
/// types too), each worked out once. Cycles, which validation refuses, count as `Eq`.
pub(super) fn eq_named_types<'a>(
    named: &HashMap<&'a str, &'a NamedType>,
) -> HashMap<&'a str, bool> {
    fn visit<'a>(
        ty: &'a TypeExpr,
        named: &HashMap<&'a str, &'a NamedType>,
        memo: &mut HashMap<&'a str, bool>,
    ) -> bool {
        match ty {
            TypeExpr::Number => false,
            TypeExpr::Array(item) => visit(item, named, memo),
            TypeExpr::Struct(def) => def.fields.iter().all(|field| visit(&field.ty, named, memo)),
            TypeExpr::Named(name) => {
                let Some((&key, target)) = named.get_key_value(name.as_str()) else {
                    return true;
                };
                if let Some(&eq) = memo.get(key) {
                    return eq;
                }
                // Provisional, so that a cycle ends.
                memo.insert(key, true);
                let eq = visit(&target.ty, named, memo);
                memo.insert(key, eq);
                eq
            }
            _ => true,
        }
    }
    let mut memo = HashMap::new();
    for named_type in named.values() {
        let eq = visit(&named_type.ty, named, &mut memo);
        memo.insert(named_type.name.as_str(), eq);
    }
    memo
}

impl Generator<'_> {
    /// The Rust type of a catalog type. `in_domain`: whether the code lands in a domain module
    /// (named types are then one level up).
    pub(super) fn rust_type(&self, ty: &TypeExpr, in_domain: bool) -> TokenStream {
        let p = self.private(in_domain);
        match ty {
            TypeExpr::Uuid => quote!(#p::uuid::Uuid),
            TypeExpr::String => quote!(#p::String),
            TypeExpr::Integer => quote!(i64),
            TypeExpr::Number => quote!(f64),
            TypeExpr::Boolean => quote!(bool),
            TypeExpr::DateTime => {
                quote!(#p::chrono::DateTime<#p::chrono::Utc>)
            }
            TypeExpr::Object => quote!(
                #p::serde_json::Map<#p::String, #p::serde_json::Value>
            ),
            TypeExpr::Array(item) => {
                let item = self.rust_type(item, in_domain);
                quote!(#p::Vec<#item>)
            }
            TypeExpr::Enum(EnumDef { name, .. }) | TypeExpr::Struct(StructDef { name, .. }) => {
                let name = ident(name);
                quote!(#name)
            }
            TypeExpr::Named(name) => {
                let name = ident(name);
                if in_domain {
                    quote!(super::#name)
                } else {
                    quote!(#name)
                }
            }
        }
    }

    /// Whether values of this type can derive `Eq` and `Hash` (no float inside).
    pub(super) fn is_eq(&self, ty: &TypeExpr) -> bool {
        match ty {
            TypeExpr::Number => false,
            TypeExpr::Array(item) => self.is_eq(item),
            TypeExpr::Struct(def) => def.fields.iter().all(|field| self.is_eq(&field.ty)),
            TypeExpr::Named(name) => self.eq_named.get(name.as_str()).copied().unwrap_or(true),
            _ => true,
        }
    }

    /// Inline types (enums, nested objects) declared by these fields, recursively.
    pub(super) fn inline_types(&self, fields: &[Field], in_domain: bool) -> TokenStream {
        let mut out = TokenStream::new();
        for field in fields {
            self.inline_type(&field.ty, in_domain, &mut out);
        }
        out
    }

    /// The inline types declared by one type, recursively, appended to `out`.
    fn inline_type(&self, ty: &TypeExpr, in_domain: bool, out: &mut TokenStream) {
        match ty {
            TypeExpr::Array(item) => self.inline_type(item, in_domain, out),
            TypeExpr::Enum(def) => out.extend(self.enumeration(def, in_domain)),
            TypeExpr::Struct(def) => {
                let docs = vec![
                    def.description
                        .clone()
                        .unwrap_or_else(|| format!("The nested object `{}`.", def.name)),
                ];
                out.extend(self.structure(&def.name, &docs, &def.fields, in_domain));
                out.extend(self.inline_types(&def.fields, in_domain));
            }
            _ => {}
        }
    }

    /// The items of a named type of the catalog.
    pub(super) fn named_type(&self, named: &NamedType) -> TokenStream {
        let mut out = TokenStream::new();
        self.inline_type(&named.ty, false, &mut out);
        out
    }

    /// The Rust expression of a field's default value.
    pub(super) fn default_value(
        &self,
        ty: &TypeExpr,
        default: &Literal,
        in_domain: bool,
    ) -> TokenStream {
        let rt = self.rt;
        match (ty, default) {
            (TypeExpr::Enum(def), Literal::String(value)) => {
                let name = ident(&def.name);
                let variant = ident(&naming::variant_name(value));
                quote!(#name::#variant)
            }
            (TypeExpr::String, Literal::String(value)) => {
                quote!(::std::string::String::from(#value))
            }
            (TypeExpr::Boolean, Literal::Boolean(value)) => quote!(#value),
            (TypeExpr::Integer, Literal::Integer(value)) => {
                let value = TokenLiteral::i64_suffixed(*value);
                quote!(#value)
            }
            (TypeExpr::Number, Literal::Integer(value)) => {
                let value = TokenLiteral::f64_suffixed(*value as f64);
                quote!(#value)
            }
            (TypeExpr::Number, Literal::Number(value)) => {
                let value = TokenLiteral::f64_suffixed(*value);
                quote!(#value)
            }
            (TypeExpr::Object, _) => quote!(#rt::__private::serde_json::Map::new()),
            _ => {
                let ty = self.rust_type(ty, in_domain);
                quote!(<#ty as ::core::default::Default>::default())
            }
        }
    }
}
