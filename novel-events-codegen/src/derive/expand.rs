//! The expansion of `#[derive(Event)]` from checked data: the `Event` impl (written by the one
//! generator of it, `crate::expand::events::event_impl`), the compile-time assertions on the
//! field types, and the dependency on the catalog file.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{GenericArgument, PathArguments, Type};

use super::attr::AggregateIdKind;
use super::catalog_check::{BoundCheck, CatalogFacts, Holds, TypeCheck, type_text};
use super::valid::ValidEvent;
use crate::expand::Options;
use crate::expand::events::{EventImpl, event_impl};
use crate::expand::validation::{bound_check, respan};

/// The path of the runtime's `__private` module, through which derived code reaches it.
pub fn private(options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    quote!(#runtime::__private)
}

/// The attributes of every derived impl.
pub fn attrs() -> TokenStream {
    quote! {
        #[automatically_derived]
        #[allow(clippy::all, clippy::pedantic)]
    }
}

/// The `Event` impl and the checks of a struct that passed every check.
pub fn event(
    valid: &ValidEvent<'_>,
    facts: Option<&CatalogFacts>,
    options: &Options,
) -> TokenStream {
    let p = private(options);
    let aggregate_id = valid.aggregate_id.map_or_else(
        || quote!(::core::unreachable!()),
        |(field, kind)| {
            let ty_span = field.ty.span();
            let p = respan(&p, ty_span);
            let uuid = quote_spanned!(ty_span=> #p::uuid::Uuid);
            // The field named with its type's span, so that an error lands on the type.
            let mut name = field.ident.clone();
            name.set_span(ty_span);
            match kind {
                AggregateIdKind::Uuid => {
                    // A local trait implemented by `Uuid` only: a field of another type is
                    // reported on its type, with what to do, rather than as a mismatch inside
                    // `Clone::clone`.
                    let message = format!(
                        "the aggregate id field `{}` is a `{{Self}}`, not a `uuid::Uuid`",
                        field.name()
                    );
                    let note = if facts.is_some() {
                        format!("the catalog declares the aggregate id `{}` a uuid: make the field a `uuid::Uuid`", field.wire_name)
                    } else {
                        "make the field a `uuid::Uuid`, or mark it #[event(aggregate_id = \"uuid_v5\")] if it is a name whose UUID v5 is the id".to_owned()
                    };
                    quote_spanned! {ty_span=>
                        #[diagnostic::on_unimplemented(
                            message = #message,
                            label = "the aggregate id must be a `uuid::Uuid`",
                            note = #note
                        )]
                        trait AggregateIdField {
                            fn aggregate_id(&self) -> #uuid;
                        }
                        #[diagnostic::do_not_recommend]
                        impl AggregateIdField for #uuid {
                            fn aggregate_id(&self) -> #uuid {
                                *self
                            }
                        }
                        AggregateIdField::aggregate_id(&self.#name)
                    }
                }
                AggregateIdKind::NameBased => quote_spanned! {ty_span=>
                    #p::name_based_aggregate_id(::core::convert::AsRef::<str>::as_ref(&self.#name))
                },
            }
        },
    );
    let validate = facts.map(|facts| validate_body(&p, &facts.bounds));
    let event_impl = event_impl(&EventImpl {
        attrs: attrs(),
        private: &p,
        ident: valid.ident,
        event_type: &valid.event_type,
        version: &valid.version,
        aggregate_type: &valid.aggregate_type,
        category: valid.category,
        description: &valid.description,
        subscribers: valid
            .subscribers
            .iter()
            .map(|(service, purpose)| (service.as_str(), purpose.as_str()))
            .collect(),
        checks_on_decode: false,
        aggregate_id,
        validate,
    });
    let type_checks = facts.map(|facts| type_checks(&p, &facts.type_checks));
    let rebuild = facts.map(|facts| {
        let path = facts.path.to_string_lossy().into_owned();
        quote!(
            const _: &str = ::core::include_str!(#path);
        )
    });
    quote! {
        #event_impl

        #[allow(clippy::all, clippy::pedantic)]
        const _: () = {
            #type_checks
            #rebuild
        };
    }
}

/// The body of `Event::validate`: every bound, each violation under `payload`.
fn validate_body(p: &TokenStream, bounds: &[BoundCheck]) -> TokenStream {
    let checks = bounds.iter().map(|bound| {
        bound_check(
            p,
            bound.span,
            &bound.ident,
            &bound.wire,
            bound.min,
            bound.max,
        )
    });
    quote! {
        let mut all = ::std::vec::Vec::new();
        {
            let violations = &mut all;
            let path = "payload";
            #(#checks)*
        }
        if all.is_empty() {
            ::core::result::Result::Ok(())
        } else {
            ::core::result::Result::Err(#p::ValidationError { violations: all })
        }
    }
}

/// The assertions that each field type holds its catalog type.
pub fn type_checks(p: &TokenStream, checks: &[TypeCheck]) -> TokenStream {
    checks
        .iter()
        .map(|check| type_check(p, &check.rust, &check.holds, check.span))
        .collect()
}

/// Assertions that `rust` can hold `holds`, spanned on the user's type.
fn type_check(p: &TokenStream, rust: &Type, holds: &Holds, span: Span) -> TokenStream {
    let module = respan(&quote!(#p::holds), span);
    let call = |function: &str| {
        let function = syn::Ident::new(function, span);
        quote_spanned!(span=> #module::#function::<#rust>();)
    };
    match holds {
        Holds::Uuid => call("uuid"),
        Holds::String => call("string"),
        Holds::Integer => call("integer"),
        Holds::Number => call("number"),
        Holds::Boolean => call("boolean"),
        Holds::DateTime => call("datetime"),
        Holds::Object => call("object"),
        Holds::Array(item) => {
            let array = call("array");
            // The item's checks are spanned on the item type when it is written out
            // (`String` in `Vec<String>`), so that an error points at it.
            let item_span = item_type_span(rust).unwrap_or(span);
            let module = respan(&quote!(#p::holds), item_span);
            let item_type: Type =
                syn::parse2(quote_spanned!(item_span=> <#rust as #module::HoldsArray>::Item))
                    .unwrap_or_else(|_| rust.clone());
            let item_check = type_check(p, &item_type, item, item_span);
            quote!(#array #item_check)
        }
        Holds::Enum { values, wire, what } => {
            let message = format!(
                "field `{wire}` of {what}: the values read by {} differ from the catalog's enum, which are exactly: {} (in any order); check the enum's variants and their #[serde(rename_all)] / #[serde(rename)]",
                enum_type_text(rust),
                values.join(", ")
            );
            quote_spanned! {span=>
                #module::assert_same_values(
                    <#rust as #module::HoldsEnum>::VALUES,
                    &[#(#values),*],
                    #message,
                );
            }
        }
    }
}

/// The span of `T` in a type written `Collection<T>` (or `Box<[T]>`).
fn item_type_span(ty: &Type) -> Option<Span> {
    let Type::Path(path) = ty else { return None };
    let PathArguments::AngleBracketed(arguments) = &path.path.segments.last()?.arguments else {
        return None;
    };
    let mut types = arguments.args.iter().filter_map(|argument| match argument {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    });
    match (types.next()?, types.next()) {
        (Type::Slice(slice), None) => Some(slice.elem.span()),
        (item, None) => Some(item.span()),
        _ => None,
    }
}

/// `` `Genre` ``, or `` the items of `Vec<Genre>` `` for the item type of an array check.
fn enum_type_text(ty: &Type) -> String {
    if let Type::Path(path) = ty
        && let Some(qself) = &path.qself
        && path
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "Item")
    {
        return format!("the items of `{}`", type_text(&qself.ty));
    }
    format!("`{}`", type_text(ty))
}
