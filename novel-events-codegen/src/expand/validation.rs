//! Bounds and nested-object checks of generated structs, and the literal helpers they use.

use proc_macro2::{Group, Ident, Literal as TokenLiteral, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};

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
                self.named.get(name.as_str()).map(|n| &n.ty),
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

/// The check of one field's bounds, inside a `validate_into`-like body where `path` (the
/// object's path) and `violations` (a `&mut Vec<Violation>`) are in scope: the one generator of
/// it, for generated structs and for `#[derive(Event)]`. `span` is where a type error lands
/// (the user's field type, for the derive).
pub(crate) fn bound_check(
    private: &TokenStream,
    span: Span,
    field: &Ident,
    wire: &str,
    min: Option<f64>,
    max: Option<f64>,
) -> TokenStream {
    let private = respan(private, span);
    let min = option_f64(min);
    let max = option_f64(max);
    quote_spanned! {span=>
        #private::check_bounds(&self.#field, #min, #max, path, #wire, violations);
    }
}

/// The tokens, every one of them spanned at `span`: a runtime path interpolated into
/// `quote_spanned!` keeps its own spans otherwise, and an error reported on the whole
/// expression would no longer point at the user's code.
pub(crate) fn respan(tokens: &TokenStream, span: Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut token| {
            if let TokenTree::Group(group) = &token {
                let mut inner = Group::new(group.delimiter(), respan(&group.stream(), span));
                inner.set_span(span);
                token = TokenTree::Group(inner);
            } else {
                token.set_span(span);
            }
            token
        })
        .collect()
}
