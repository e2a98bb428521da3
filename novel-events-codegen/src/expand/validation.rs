//! Bounds and nested-object checks of generated structs, and the literal helpers they use.

use proc_macro2::{Literal as TokenLiteral, TokenStream};
use quote::quote;

use super::Generator;
use crate::model::TypeExpr;

impl Generator<'_> {
    /// A call validating a nested object (or an array or option of them), if the type has one.
    pub(super) fn nested_check(
        &self,
        ty: &TypeExpr,
        optional: bool,
        field: &proc_macro2::Ident,
        wire: &str,
        in_domain: bool,
    ) -> Option<TokenStream> {
        let p = self.private(in_domain);
        let is_object = |ty: &TypeExpr| match ty {
            TypeExpr::Struct(_) => true,
            TypeExpr::Named(name) => matches!(
                self.catalog.named_type(name).map(|n| &n.ty),
                Some(TypeExpr::Struct(_))
            ),
            _ => false,
        };
        let inner = match ty {
            TypeExpr::Array(item) if is_object(item) => quote! {
                for (index, item) in value.iter().enumerate() {
                    #p::Validate::validate_into(item, &::std::format!("{path}.{}[{index}]", #wire), violations);
                }
            },
            ty if is_object(ty) => quote! {
                #p::Validate::validate_into(value, &::std::format!("{path}.{}", #wire), violations);
            },
            _ => return None,
        };
        Some(if optional {
            quote!(if let #p::Some(value) = &self.#field { #inner })
        } else {
            quote!({ let value = &self.#field; #inner })
        })
    }
}

/// `Some(value)` or `None` as a Rust expression, for optional bounds.
pub(crate) fn option_f64(value: Option<f64>) -> TokenStream {
    match value {
        Some(value) => {
            let value = TokenLiteral::f64_suffixed(value);
            quote!(::core::option::Option::Some(#value))
        }
        None => quote!(::core::option::Option::None),
    }
}
