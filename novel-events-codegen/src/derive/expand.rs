//! The expansion of `#[derive(Event)]` from checked data: the `Event` and `EventPayload` impls
//! (written by the one generator of them, `crate::expand::events::event_impl`), the
//! compile-time assertions on the field types, and the dependency on the catalog file.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::Type;
use syn::spanned::Spanned;

use super::attr::AggregateIdKind;
use super::catalog_check::{BoundCheck, CatalogFacts, Holds, TypeCheck, item_type, type_text};
use super::valid::ValidEvent;
use super::widths::primitive;
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

/// The `Event` and `EventPayload` impls and the checks of a struct that passed every check.
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
    let type_checks = facts.map(|facts| type_checks(options, &facts.type_checks));
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

/// The body of `EventPayload::validate`: every bound, each violation under `payload`.
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
pub fn type_checks(options: &Options, checks: &[TypeCheck]) -> TokenStream {
    checks
        .iter()
        .map(|check| type_check(options, &check.rust, &check.holds, check.span))
        .collect()
}

/// The public path of `CheckedObject`, which `#[derive(EventObject)]` implements.
pub fn checked_object(options: &Options) -> TokenStream {
    let runtime = &options.runtime;
    quote!(#runtime::__private::holds::CheckedObject)
}

/// Assertions that `rust` can hold `holds`, spanned on the user's type.
fn type_check(options: &Options, rust: &Type, holds: &Holds, span: Span) -> TokenStream {
    let p = private(options);
    let module = respan(&quote!(#p::holds), span);
    let call = |function: &str| {
        let function = syn::Ident::new(function, span);
        quote_spanned!(span=> #module::#function::<#rust>();)
    };
    match holds {
        Holds::Uuid => call("uuid"),
        Holds::String => call("string"),
        // A primitive written by name had its width checked at expansion; the call asks only
        // that it is the right kind of number.
        // `isize` and `usize` are checked below, at the target's width.
        Holds::Integer(_)
            if primitive(rust).is_some_and(|name| name != "isize" && name != "usize") =>
        {
            call("integer")
        }
        Holds::Number(_) if primitive(rust).is_some() => call("number"),
        Holds::Integer(spec) => {
            let (low, high) = spec.required_integers();
            let message = spec.message(
                &type_text(rust),
                "integer",
                "use an integer type that holds these bounds, such as `i64`",
            );
            let (low, high) = (signed_i128(low), signed_i128(high));
            quote_spanned! {span=>
                {
                    let (min, max) = <#rust as #module::HoldsInteger>::RANGE;
                    if min > #low || max < #high {
                        ::core::panic!("{}", #message);
                    }
                }
            }
        }
        Holds::Number(spec) => {
            let (low, high) = spec.required_numbers();
            let message = spec.message(&type_text(rust), "number", "use `f64`");
            let (low, high) = (signed_f64(low), signed_f64(high));
            quote_spanned! {span=>
                {
                    let (min, max) = <#rust as #module::HoldsNumber>::RANGE;
                    if min > #low || max < #high {
                        ::core::panic!("{}", #message);
                    }
                }
            }
        }
        Holds::Boolean => call("boolean"),
        Holds::DateTime => call("datetime"),
        Holds::Object => call("object"),
        Holds::Array(item) => {
            let array = call("array");
            // The item's checks are spanned on the item type when it is written out
            // (`String` in `Vec<String>`), so that an error points at it.
            let item_span = item_type(rust).map_or(span, Spanned::span);
            let module = respan(&quote!(#p::holds), item_span);
            let item_type: Type =
                syn::parse2(quote_spanned!(item_span=> <#rust as #module::HoldsArray>::Item))
                    .unwrap_or_else(|_| rust.clone());
            let item_check = type_check(options, &item_type, item, item_span);
            quote!(#array #item_check)
        }
        Holds::Struct {
            name,
            location,
            wire,
            what,
            others,
            source,
        } => {
            let checked = respan(&checked_object(options), span);
            let unchecked = format!(
                "the fields of `{{Self}}` are not checked against the catalog's object `{name}`"
            );
            let label = format!("field `{wire}` of {what} is the catalog's object `{name}`");
            let note = format!(
                "check it: put `#[derive(novel_events::EventObject)]` and `#[event(object = \"{name}\", catalog = \"{source}\")]` on `{{Self}}`; or use the catalog's generated `{name}`, or a `serde_json::Map<String, serde_json::Value>`"
            );
            let subject = enum_type_text(rust);
            let fix = format!(
                "derive EventObject with #[event(object = \"{name}\", ...)] on a struct for it, or use the catalog's generated `{name}`"
            );
            let arms = others.iter().map(|other| {
                let bytes = proc_macro2::Literal::byte_string(other.as_bytes());
                let message = format!(
                    "{subject} (checked against the catalog's object `{other}`) cannot hold field `{wire}` of {what}, the object `{name}` ({location}): {fix}"
                );
                quote_spanned!(span=> #bytes => ::core::panic!("{}", #message),)
            });
            let foreign = format!(
                "{subject} (checked against an object of another catalog) cannot hold field `{wire}` of {what}, the object `{name}` ({location}): {fix}"
            );
            let bytes = proc_macro2::Literal::byte_string(name.as_bytes());
            quote_spanned! {span=>
                {
                #[diagnostic::on_unimplemented(
                    message = #unchecked,
                    label = #label,
                    note = #note,
                    note = "to opt out of the check, implement `novel_events::catalog::holds::CheckedObject` for it with `const OBJECT: Option<&'static str> = None;` (unchecked)"
                )]
                trait StandsForObject {
                    const OBJECT: ::core::option::Option<&'static str>;
                }
                #[diagnostic::do_not_recommend]
                impl<T: #checked + ?::core::marker::Sized> StandsForObject for T {
                    const OBJECT: ::core::option::Option<&'static str> = <T as #checked>::OBJECT;
                }
                if let ::core::option::Option::Some(object) = <#rust as StandsForObject>::OBJECT {
                    match object.as_bytes() {
                        #bytes => {}
                        #(#arms)*
                        _ => ::core::panic!("{}", #foreign),
                    }
                }
                }
            }
        }
        Holds::Enum {
            values,
            wire,
            what,
            location,
        } => enum_check(
            &module,
            rust,
            values,
            &format!("field `{wire}` of {what}"),
            location,
            span,
        ),
    }
}

/// The check that an enum reads exactly the catalog's values (in any order), evaluated by the
/// compiler: a value the catalog lacks, then each catalog value the enum lacks, fails with a
/// message naming the enum, the value and where the catalog declares its enum. The message of
/// a value the catalog lacks is assembled in a buffer, the one way const evaluation has to name
/// a value it found.
fn enum_check(
    module: &TokenStream,
    rust: &Type,
    values: &[String],
    field: &str,
    location: &str,
    span: Span,
) -> TokenStream {
    let enum_text = enum_type_text(rust);
    let listed = values
        .iter()
        .map(|value| format!("`{value}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let fix = "check its variants and their #[serde(rename_all)] / #[serde(rename)]";
    let catalog = format!(
        "{field} in the catalog's enum at {location}, whose values are exactly {listed} (in any order)"
    );
    let arms = values.iter().enumerate().map(|(index, value)| {
        let bytes = proc_macro2::Literal::byte_string(value.as_bytes());
        quote_spanned!(span=> #bytes => seen[#index] = true,)
    });
    let missing = values.iter().enumerate().map(|(index, value)| {
        let message = format!(
            "the enum {enum_text} does not match the catalog: it does not read `{value}`, a value of {catalog}; {fix}"
        );
        quote_spanned!(span=> if !seen[#index] { ::core::panic!("{}", #message); })
    });
    let head = format!("the enum {enum_text} does not match the catalog: it reads `");
    let middle = format!("`, which is not a value of {catalog}; ");
    let tail = format!("{fix}, or mark a variant the catalog does not have #[serde(skip)]");
    let fallback = format!(
        "the enum {enum_text} does not match the catalog: it reads a value that is not a value of {catalog}; {fix}"
    );
    let catalog_values = values.iter();
    let count = values.len();
    quote_spanned! {span=>
        {
            let values: &[&str] = <#rust as #module::HoldsEnum>::VALUES;
            let catalog: [&str; #count] = [#(#catalog_values),*];
            let mut seen = [false; #count];
            let mut extra: ::core::option::Option<&str> = ::core::option::Option::None;
            let mut index = 0;
            while index < values.len() {
                match values[index].as_bytes() {
                    #(#arms)*
                    _ => if extra.is_none() {
                        extra = ::core::option::Option::Some(values[index]);
                    },
                }
                index += 1;
            }
            if let ::core::option::Option::Some(value) = extra {
                // The first catalog value the enum lacks, often the one it misspells.
                let mut lacks = "";
                let mut index = 0;
                while index < #count {
                    if !seen[index] && lacks.is_empty() {
                        lacks = catalog[index];
                    }
                    index += 1;
                }
                let (open, close) = if lacks.is_empty() { ("", "") } else { ("it lacks `", "`; ") };
                let parts = [#head, value, #middle, open, lacks, close, #tail];
                let mut buffer = [0u8; 4096];
                let mut length = 0;
                let mut part = 0;
                while part < parts.len() {
                    let bytes = parts[part].as_bytes();
                    let mut byte = 0;
                    while byte < bytes.len() && length < buffer.len() {
                        buffer[length] = bytes[byte];
                        length += 1;
                        byte += 1;
                    }
                    part += 1;
                }
                match ::core::str::from_utf8(buffer.split_at(length).0) {
                    ::core::result::Result::Ok(message) => ::core::panic!("{}", message),
                    ::core::result::Result::Err(_) => ::core::panic!("{}", #fallback),
                }
            }
            #(#missing)*
        }
    }
}

/// An `i128` literal, negative ones written with a minus sign.
fn signed_i128(value: i128) -> TokenStream {
    let literal =
        proc_macro2::Literal::i128_suffixed(value.unsigned_abs().min(i128::MAX as u128) as i128);
    if value < 0 {
        quote!((-#literal))
    } else {
        quote!(#literal)
    }
}

/// An `f64` literal, negative ones written with a minus sign.
fn signed_f64(value: f64) -> TokenStream {
    let literal = proc_macro2::Literal::f64_suffixed(value.abs());
    if value < 0.0 {
        quote!((-#literal))
    } else {
        quote!(#literal)
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
