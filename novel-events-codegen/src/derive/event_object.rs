//! `#[derive(EventObject)]`: checks a struct against one of the catalog's nested objects, field
//! by field as `#[derive(Event)]` checks a payload, and only then implements `HoldsObject` and
//! `CheckedObject` for it, so that `#[derive(Event)]` accepts it for fields of that object.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

use super::CatalogLoader;
use super::attr::{self, EventInput};
use super::catalog_check::{Checker, FieldChecks};
use super::errors::Errors;
use super::expand::{attrs, checked_object, private, type_checks};
use crate::diagnostic::did_you_mean;
use crate::expand::Options;
use crate::model::{Catalog, Field, StructDef, TypeExpr};

/// Expands `#[derive(EventObject)]`. Every mistake becomes one compile error, reported
/// together; the impls are written in any case, so that a mistake here is not reported again
/// on every event that uses the struct.
pub fn event_object(
    input: &DeriveInput,
    load: CatalogLoader<'_>,
    options: &Options,
) -> TokenStream {
    let mut errors = Errors::new();
    let named = matches!(
        &input.data,
        Data::Struct(data) if matches!(data.fields, Fields::Named(_))
    );
    if !named {
        errors.push(
            input.ident.span(),
            "#[derive(EventObject)] is for structs with named fields that stand for a catalog's nested object",
        );
        return errors.to_compile_errors();
    }
    if let Some(param) = input.generics.params.first() {
        errors.push(
            param.span(),
            "#[derive(EventObject)] does not support generic structs: a catalog object is one concrete shape",
        );
        return errors.to_compile_errors();
    }
    let Some(parsed) = attr::parse(input, &mut errors) else {
        return errors.to_compile_errors();
    };
    reject_event_keys(&parsed, &mut errors);
    let ident = &parsed.ident;
    let mut object_name = None;
    let mut checks = TokenStream::new();
    match (&parsed.object, &parsed.catalog) {
        (Some(object), Some(catalog)) => match load(catalog) {
            Ok(loaded) => {
                let name = object.value();
                match find_object(&loaded.catalog, &name) {
                    Some(def) => {
                        let what = format!("object `{name}`");
                        let checker = Checker {
                            catalog: &loaded.catalog,
                            fields: &def.fields,
                            payload: format!("the catalog's {what} ({})", def.location),
                            what,
                            source: catalog.value(),
                        };
                        let FieldChecks { type_checks: found, .. } =
                            checker.check_fields(&parsed, &mut errors);
                        let path = loaded.path.to_string_lossy().into_owned();
                        let assertions = type_checks(options, &found);
                        checks = quote! {
                            #[allow(clippy::all, clippy::pedantic)]
                            const _: () = {
                                #assertions
                                const _: &str = ::core::include_str!(#path);
                            };
                        };
                        object_name = Some(name);
                    }
                    None => errors.push(object.span(), unknown_object(&loaded.catalog, &name)),
                }
            }
            Err(error) => errors.push_error(error.to_syn_error(catalog.span())),
        },
        _ => errors.push(
            parsed.ident.span(),
            "#[derive(EventObject)] needs the catalog object this struct stands for: #[event(object = \"Name\", catalog = \"path/to/catalog.yaml\")]",
        ),
    }
    let p = private(options);
    let checked = checked_object(options);
    let attrs = attrs();
    let object = match &object_name {
        Some(name) if errors.is_empty() => quote!(::core::option::Option::Some(#name)),
        // A stand-in next to the errors: claims no object, so that uses of the struct do not
        // add errors of their own.
        _ => quote!(::core::option::Option::None),
    };
    let compile_errors = errors.to_compile_errors();
    quote! {
        #compile_errors
        #attrs
        impl #p::holds::HoldsObject for #ident {}
        #attrs
        impl #checked for #ident {
            const OBJECT: ::core::option::Option<&'static str> = #object;
        }
        #checks
    }
}

/// The keys of `#[derive(Event)]` that an object does not take.
fn reject_event_keys(input: &EventInput, errors: &mut Errors) {
    let given = [
        ("type", input.event_type.as_ref().map(syn::LitStr::span)),
        ("version", input.version.as_ref().map(syn::LitStr::span)),
        ("aggregate", input.aggregate.as_ref().map(syn::LitStr::span)),
        ("category", input.category.map(|(_, span)| span)),
        ("subscribers", input.subscribers_span),
    ];
    for (key, span) in given {
        if let Some(span) = span {
            errors.push(
                span,
                format!("`{key}` is a key of #[derive(Event)]; #[derive(EventObject)] takes only `object` and `catalog`"),
            );
        }
    }
    for field in &input.fields {
        if let Some((_, span)) = field.aggregate_id {
            errors.push(
                span,
                "an object has no aggregate id: #[event(aggregate_id)] is for #[derive(Event)]",
            );
        }
    }
}

/// The nested object of that name: a named type under `types:`, or an inline object of any
/// event's payload (or of another object).
fn find_object<'c>(catalog: &'c Catalog, name: &str) -> Option<&'c StructDef> {
    let mut found = None;
    visit_objects(catalog, &mut |def| {
        if found.is_none() && def.name == name {
            found = Some(def);
        }
    });
    found
}

/// The names of the catalog's nested objects, sorted.
pub(super) fn object_names(catalog: &Catalog) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    visit_objects(catalog, &mut |def| names.push(def.name.clone()));
    names.sort_unstable();
    names.dedup();
    names
}

fn unknown_object(catalog: &Catalog, name: &str) -> String {
    let names = object_names(catalog);
    let hint = did_you_mean(name, names.iter().map(String::as_str));
    if names.is_empty() {
        format!(
            "the catalog `{}` has no nested object `{name}`: it declares none",
            catalog.name
        )
    } else {
        format!(
            "the catalog `{}` has no nested object `{name}`{hint}; its objects are: {}",
            catalog.name,
            names.join(", ")
        )
    }
}

/// Every nested object of the catalog, named types first.
fn visit_objects<'c>(catalog: &'c Catalog, visit: &mut dyn FnMut(&'c StructDef)) {
    for named in &catalog.types {
        visit_type(&named.ty, visit);
    }
    for event in catalog.events() {
        visit_fields(&event.payload, visit);
    }
}

fn visit_fields<'c>(fields: &'c [Field], visit: &mut dyn FnMut(&'c StructDef)) {
    for field in fields {
        visit_type(&field.ty, visit);
    }
}

fn visit_type<'c>(ty: &'c TypeExpr, visit: &mut dyn FnMut(&'c StructDef)) {
    match ty {
        TypeExpr::Struct(def) => {
            visit(def);
            visit_fields(&def.fields, visit);
        }
        TypeExpr::Array(item) => visit_type(item, visit),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use quote::quote;
    use syn::LitStr;

    use super::*;
    use crate::derive::LoadedCatalog;
    use crate::report::CatalogError;

    const CATALOG: &str = r#"
catalog: shop
version: "1.0.0"
types:
  Money:
    fields:
      amountCents: integer
      currency: string
domains:
  shop:
    events:
      - name: OrderPlaced
        eventType: shop.order.placed
        eventVersion: "1.0.0"
        aggregateType: Order
        aggregateId: orderId
        payload:
          orderId: uuid
          lines: [{ name: OrderLine, fields: { sku: string, price: Money } }]
"#;

    fn derive(input: &DeriveInput) -> String {
        let catalog = crate::parse_catalog(CATALOG, "shop.yaml").expect("a valid catalog");
        let loaded = Arc::new(LoadedCatalog {
            catalog,
            path: "/shop.yaml".into(),
        });
        let load = |_: &LitStr| -> Result<Arc<LoadedCatalog>, CatalogError> { Ok(loaded.clone()) };
        let options = Options {
            runtime: quote!(::rt),
            ..Options::default()
        };
        event_object(input, &load, &options).to_string()
    }

    #[test]
    fn finds_named_and_inline_objects() {
        let catalog = crate::parse_catalog(CATALOG, "shop.yaml").expect("a valid catalog");
        assert!(find_object(&catalog, "Money").is_some());
        assert!(find_object(&catalog, "OrderLine").is_some());
        assert_eq!(object_names(&catalog), ["Money", "OrderLine"]);
        assert!(unknown_object(&catalog, "Mony").contains("did you mean `Money`?"));
    }

    #[test]
    fn a_matching_struct_claims_its_object() {
        let input: DeriveInput = syn::parse_quote! {
            #[serde(rename_all = "camelCase")]
            #[event(object = "Money", catalog = "shop.yaml")]
            struct Price { amount_cents: i64, currency: String }
        };
        let text = derive(&input);
        assert!(!text.contains("compile_error"), "{text}");
        assert!(text.contains("Some (\"Money\")"), "{text}");
        assert!(
            text.contains(":: rt :: __private :: holds :: CheckedObject"),
            "{text}"
        );
    }

    #[test]
    fn a_struct_that_differs_is_an_error_and_claims_nothing() {
        let input: DeriveInput = syn::parse_quote! {
            #[event(object = "Money", catalog = "shop.yaml", type = "shop.money")]
            struct Price { amount: u8, currency: String }
        };
        let text = derive(&input);
        assert!(
            text.contains("field `amount` is read as `amount`"),
            "{text}"
        );
        assert!(text.contains("missing field `amountCents`"), "{text}");
        assert!(
            text.contains("`type` is a key of #[derive(Event)]"),
            "{text}"
        );
        assert!(text.contains("OBJECT : :: core :: option :: Option < & 'static str > = :: core :: option :: Option :: None"), "{text}");
    }
}
