//! `CATALOG`: the static metadata of every event, field and subscriber.
//!
//! Each named type is described once, as a constant of the `CATALOG` block that the fields
//! using it name, so that the output grows linearly with the catalog even when named types
//! share other named types (a diamond of named types nests a type once per path).

use std::collections::HashMap;

use proc_macro2::{Ident, Literal as TokenLiteral, TokenStream};
use quote::{format_ident, quote};

use super::Generator;
use crate::model::{AggregateId, Domain, EventDef, Field, TypeExpr};

impl Generator<'_> {
    /// `CATALOG`, written with the short constructors of `__private::meta` (one call per event
    /// and per field) rather than struct literals with fully qualified paths.
    pub(super) fn catalog_info(&self) -> TokenStream {
        let rt = self.rt;
        let name = &self.catalog.name;
        let version = &self.catalog.version;
        let description = self.catalog.description.clone().unwrap_or_default();
        let named: HashMap<&str, Ident> = self
            .catalog
            .types
            .iter()
            .enumerate()
            .map(|(index, named)| (named.name.as_str(), format_ident!("N{index}")))
            .collect();
        let named_names: Vec<&Ident> = self
            .catalog
            .types
            .iter()
            .map(|named_type| &named[named_type.name.as_str()])
            .collect();
        let named_infos: Vec<TokenStream> = self
            .catalog
            .types
            .iter()
            .map(|named_type| self.type_info(&named_type.ty, &named))
            .collect();
        let named = &named;
        let events: Vec<TokenStream> = self
            .catalog
            .domains
            .iter()
            .flat_map(|domain| {
                domain
                    .events
                    .iter()
                    .map(move |event| self.event_info(domain, event, named))
            })
            .collect();
        let names: Vec<_> = (0..events.len())
            .map(|index| format_ident!("E{index}"))
            .collect();
        let doc = format!(
            " Static metadata of the `{name}` catalog {version}: every event, field and subscriber."
        );
        // One constant per event: many small bodies for the compiler to check instead of one
        // that grows with the catalog (whose checks cost more than linear time).
        quote! {
            #[doc = #doc]
            pub static CATALOG: #rt::CatalogInfo = {
                use #rt::__private::meta::*;
                #(const #named_names: T = #named_infos;)*
                #(const #names: #rt::EventInfo = #events;)*
                catalog(#name, #version, #description, &[#(#names),*])
            };
        }
    }

    /// One event's `ev(...)` call.
    fn event_info(
        &self,
        domain: &Domain,
        event: &EventDef,
        named: &HashMap<&str, Ident>,
    ) -> TokenStream {
        let name = &event.name;
        let rust_name = &event.rust_name;
        let domain_name = &domain.name;
        let event_type = &event.event_type;
        let version = &event.event_version;
        let aggregate_type = &event.aggregate_type;
        let aggregate_id = match &event.aggregate_id {
            AggregateId::Field(field) => quote!(A::Field(#field)),
            AggregateId::NameBased(field) => quote!(A::NameBased(#field)),
        };
        let category = format_ident!("{}", event.category.variant());
        let description = event.description.clone().unwrap_or_default();
        let triggers = &event.triggers;
        let services = event
            .subscribers
            .iter()
            .map(|subscriber| &subscriber.service);
        let purposes = event
            .subscribers
            .iter()
            .map(|subscriber| subscriber.purpose.clone().unwrap_or_default());
        let publisher = event
            .publisher
            .as_ref()
            .map_or("", |publisher| publisher.service.as_str());
        let fields = self.fields_info(&event.payload, named);
        let latest = event.is_latest;
        quote! {
            ev(#name, #rust_name, #domain_name, #event_type, #version, #latest, #aggregate_type,
                #aggregate_id, C::#category, #description, &[#(#triggers),*],
                &[#(sub(#services, #purposes)),*], #publisher, #fields)
        }
    }

    /// The `&[f(...), ...]` of some fields; `named`: the constant of each named type.
    fn fields_info(&self, fields: &[Field], named: &HashMap<&str, Ident>) -> TokenStream {
        let fields = fields.iter().map(|field| {
            let name = &field.name;
            let ty = self.type_info(&field.ty, named);
            let description = field.description.clone().unwrap_or_default();
            let mut info = quote!(f(#name, #ty, #description));
            if field.optional {
                info = quote!(opt(#info));
            }
            if let Some(default) = &field.default {
                let json = default.to_json();
                info = quote!(def(#info, #json));
            }
            if let Some(min) = field.min {
                let min = TokenLiteral::f64_suffixed(min);
                info = quote!(min(#info, #min));
            }
            if let Some(max) = field.max {
                let max = TokenLiteral::f64_suffixed(max);
                info = quote!(max(#info, #max));
            }
            if let Some(deprecation) = &field.deprecated {
                let note = deprecation.note.clone().unwrap_or_default();
                let removal = &deprecation.removal_version;
                info = quote!(dep(#info, #removal, #note));
            }
            info
        });
        quote!(&[#(#fields),*])
    }

    /// The `TypeInfo` of a catalog type; a named type is its constant in `named`.
    fn type_info(&self, ty: &TypeExpr, named: &HashMap<&str, Ident>) -> TokenStream {
        match ty {
            TypeExpr::Uuid => quote!(T::Uuid),
            TypeExpr::String => quote!(T::String),
            TypeExpr::Integer => quote!(T::Integer),
            TypeExpr::Number => quote!(T::Number),
            TypeExpr::Boolean => quote!(T::Boolean),
            TypeExpr::DateTime => quote!(T::DateTime),
            TypeExpr::Object => quote!(T::Object),
            TypeExpr::Array(item) => {
                let item = self.type_info(item, named);
                quote!(T::Array(&#item))
            }
            TypeExpr::Enum(def) => {
                let name = &def.name;
                let values = &def.values;
                quote!(en(#name, &[#(#values),*]))
            }
            TypeExpr::Struct(def) => {
                let name = &def.name;
                let fields = self.fields_info(&def.fields, named);
                quote!(st(#name, #fields))
            }
            TypeExpr::Named(name) => match named.get(name.as_str()) {
                Some(constant) => quote!(#constant),
                None => quote!(T::Object),
            },
        }
    }
}
