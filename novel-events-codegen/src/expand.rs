//! Code generation: a validated [`Catalog`] to Rust tokens.
//!
//! The output uses absolute paths through the runtime crate (`::novel_events::__private::serde`
//! and friends), so a crate that calls `include_catalog!` needs no direct dependency on serde,
//! uuid or chrono. Inside a domain module, which holds only generated items, that path is
//! imported once as `__p` and the lints are allowed once for the module: a catalog of a
//! thousand events is mostly domain modules, and fewer tokens make it cheaper to compile.
//!
//! The serde impls of generated structs and enums are written here rather than derived: one
//! `FromMap::from_map` per struct (a `match` on the index of each key) over generic helpers of
//! `__private`, which apply the decoding rules (objects only, field paths in errors, bounds).
//! serde's derive, with the per-field `deserialize_with` those rules need, expanded to several
//! times more code than the whole catalog.

use std::collections::HashMap;

use proc_macro2::{Literal as TokenLiteral, TokenStream};
use quote::{format_ident, quote};

use crate::model::{
    AggregateId, Catalog, Domain, EnumDef, EventDef, Field, Literal, NamedType, StructDef, TypeExpr,
};
use crate::naming::{self, ident};

/// How to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The path of the runtime crate in the generated code, `::novel_events` by default.
    pub runtime: TokenStream,
    /// The absolute path of the catalog file. When set, the output ends with
    /// `const _: &str = include_str!(path);` so that cargo rebuilds the crate when it changes.
    pub source_path: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            runtime: quote!(::novel_events),
            source_path: None,
        }
    }
}

/// Generates the Rust items of a catalog: one module per domain, `AnyEvent`, `CATALOG` and the
/// subscriber traits.
pub fn generate(catalog: &Catalog, options: &Options) -> TokenStream {
    // The module of each eventType (the first domain declaring it), built once so that paths
    // to events cost the same whatever the catalog's size.
    let mut modules = HashMap::new();
    for domain in &catalog.domains {
        let module = naming::module_name(&domain.name);
        for event in &domain.events {
            modules
                .entry(event.event_type.as_str())
                .or_insert_with(|| module.clone());
        }
    }
    let generator = Generator {
        catalog,
        rt: &options.runtime,
        modules,
    };
    let named_types = catalog
        .types
        .iter()
        .map(|named| generator.named_type(named));
    let domains = catalog
        .domains
        .iter()
        .map(|domain| generator.domain(domain));
    let any_event = generator.any_event();
    let metadata = generator.catalog_info();
    let domain_traits = catalog
        .domains
        .iter()
        .map(|domain| generator.domain_trait(domain));
    let service_traits = services(catalog)
        .into_iter()
        .map(|(service, events)| generator.service_trait(service, &events));
    let rebuild = options.source_path.as_ref().map(|path| {
        quote! {
            const _: &str = ::core::include_str!(#path);
        }
    });
    quote! {
        #(#named_types)*
        #(#domains)*
        #any_event
        #metadata
        #(#domain_traits)*
        #(#service_traits)*
        #rebuild
    }
}

struct Generator<'a> {
    catalog: &'a Catalog,
    rt: &'a TokenStream,
    /// The module name of each eventType.
    modules: HashMap<&'a str, String>,
}

/// An event a service subscribes to, with the purpose of its first subscription to it.
type Subscription<'a> = (&'a EventDef, Option<&'a str>);

/// The distinct subscriber services, in order of first appearance, each with the events it
/// subscribes to in catalog order; one pass over the catalog.
fn services(catalog: &Catalog) -> Vec<(&str, Vec<Subscription<'_>>)> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut services: Vec<(&str, Vec<Subscription<'_>>)> = Vec::new();
    for event in catalog.events() {
        for subscriber in &event.subscribers {
            let service = subscriber.service.as_str();
            let slot = *index.entry(service).or_insert_with(|| {
                services.push((service, Vec::new()));
                services.len() - 1
            });
            let events = &mut services[slot].1;
            if !events
                .last()
                .is_some_and(|(last, _)| std::ptr::eq(*last, event))
            {
                events.push((event, subscriber.purpose.as_deref()));
            }
        }
    }
    services
}

/// Above this many events, a subscriber trait's dispatch calls functions of this many events
/// each, outside the trait: the compiler's checks of one function cost more than linear time
/// in its size, so that one function for all of a subscriber's events would make catalogs
/// with many events per subscriber slow to compile.
const DISPATCH_CHUNK: usize = 16;

/// Lints that generated code must not trip in a user's crate, whatever they deny.
fn allow_lints() -> TokenStream {
    quote! {
        #[allow(clippy::all, clippy::pedantic, clippy::nursery, non_camel_case_types, deprecated)]
    }
}

fn doc_lines(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| {
        let line = format!(" {line}");
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

impl Generator<'_> {
    /// The path of the runtime's private module: `__p` inside a domain module (which imports
    /// it under that name), the full path elsewhere.
    fn private(&self, in_domain: bool) -> TokenStream {
        let rt = self.rt;
        if in_domain {
            quote!(__p)
        } else {
            quote!(#rt::__private)
        }
    }

    /// The lint attribute of an item: none inside a domain module (its `#![allow]` covers
    /// every item).
    fn allow(&self, in_domain: bool) -> TokenStream {
        if in_domain {
            TokenStream::new()
        } else {
            allow_lints()
        }
    }

    // --- types -------------------------------------------------------------------------------

    /// The Rust type of a catalog type. `in_domain`: whether the code lands in a domain module
    /// (named types are then one level up).
    fn rust_type(&self, ty: &TypeExpr, in_domain: bool) -> TokenStream {
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
    fn is_eq(&self, ty: &TypeExpr) -> bool {
        match ty {
            TypeExpr::Number => false,
            TypeExpr::Array(item) => self.is_eq(item),
            TypeExpr::Struct(def) => def.fields.iter().all(|field| self.is_eq(&field.ty)),
            TypeExpr::Named(name) => self
                .catalog
                .named_type(name)
                .is_none_or(|named| self.is_eq(&named.ty)),
            _ => true,
        }
    }

    /// Inline types (enums, nested objects) declared by these fields, recursively.
    fn inline_types(&self, fields: &[Field], in_domain: bool) -> TokenStream {
        let mut out = TokenStream::new();
        for field in fields {
            self.inline_type(&field.ty, in_domain, &mut out);
        }
        out
    }

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

    fn named_type(&self, named: &NamedType) -> TokenStream {
        let mut out = TokenStream::new();
        self.inline_type(&named.ty, false, &mut out);
        out
    }

    fn enumeration(&self, def: &EnumDef, in_domain: bool) -> TokenStream {
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
            impl #p::HoldsEnum for #name {
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

    /// A struct for a payload or a nested object, with serde attributes, bound-checking
    /// deserializers, defaults and the `Validate` implementation.
    fn structure(
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
                checks.push(quote! {
                    #p::check_bounds(&self.#field_ident, #min, #max, path, #wire, violations);
                });
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
            impl #p::HoldsObject for #type_ident {}

            #allow
            impl #p::Validate for #type_ident {
                fn validate_into(&self, path: &str, violations: &mut #p::Vec<#p::Violation>) {
                    #checks_used
                }
            }
        }
    }

    /// A call validating a nested object (or an array or option of them), if the type has one.
    fn nested_check(
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

    fn default_value(&self, ty: &TypeExpr, default: &Literal, in_domain: bool) -> TokenStream {
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

    // --- events ------------------------------------------------------------------------------

    fn domain(&self, domain: &Domain) -> TokenStream {
        let module = ident(&naming::module_name(&domain.name));
        let mut docs = vec![format!("The `{}` domain.", domain.name)];
        if let Some(description) = &domain.description {
            docs.push(String::new());
            docs.push(description.clone());
        }
        let docs = docs.iter().map(|line| {
            let line = format!(" {line}");
            quote!(#![doc = #line])
        });
        let events = domain.events.iter().map(|event| self.event(event));
        let rt = self.rt;
        quote! {
            pub mod #module {
                #(#docs)*
                #![allow(clippy::all, clippy::pedantic, clippy::nursery, non_camel_case_types, deprecated)]
                #[allow(unused_imports)]
                use #rt::__private as __p;
                #(#events)*
            }
        }
    }

    fn event(&self, event: &EventDef) -> TokenStream {
        let p = self.private(true);
        let name = ident(&event.rust_name);
        let event_type = &event.event_type;
        let version = &event.event_version;
        let aggregate_type = &event.aggregate_type;
        let category = format_ident!("{}", event.category.variant());
        let description = event.description.clone().unwrap_or_default();
        let services = event
            .subscribers
            .iter()
            .map(|subscriber| &subscriber.service);
        let purposes = event
            .subscribers
            .iter()
            .map(|subscriber| subscriber.purpose.clone().unwrap_or_default());
        let aggregate_id = match &event.aggregate_id {
            AggregateId::Field(field) => {
                let field = ident(&naming::field_name(field));
                quote!(self.#field)
            }
            AggregateId::NameBased(field) => {
                let field = ident(&naming::field_name(field));
                quote!(#p::name_based_aggregate_id(&self.#field))
            }
        };
        let structure = self.structure(&event.rust_name, &event_doc(event), &event.payload, true);
        let inline = self.inline_types(&event.payload, true);
        quote! {
            #structure

                        impl #p::Event for #name {
                const EVENT_TYPE: &'static str = #event_type;
                const EVENT_VERSION: &'static str = #version;
                const AGGREGATE_TYPE: &'static str = #aggregate_type;
                const CATEGORY: #p::EventCategory = #p::EventCategory::#category;
                const DESCRIPTION: &'static str = #description;
                const SUBSCRIBERS: &'static [#p::SubscriberInfo] = &[
                    #(#p::SubscriberInfo { service: #services, purpose: #purposes },)*
                ];
                const CHECKS_ON_DECODE: bool = true;

                fn aggregate_id(&self) -> #p::uuid::Uuid {
                    #aggregate_id
                }

                fn validate(&self) -> #p::Result<(), #p::ValidationError> {
                    #p::validate_payload(self)
                }
            }

            #inline
        }
    }

    /// The path of an event's struct from the catalog's root.
    fn event_path(&self, event: &EventDef) -> TokenStream {
        let module = ident(
            self.modules
                .get(event.event_type.as_str())
                .map_or("", String::as_str),
        );
        let name = ident(&event.rust_name);
        quote!(#module::#name)
    }

    fn any_event(&self) -> TokenStream {
        let rt = self.rt;
        let allow = allow_lints();
        let events: Vec<&EventDef> = self.catalog.events().collect();
        let variants: Vec<_> = events.iter().map(|event| ident(&event.rust_name)).collect();
        let paths: Vec<_> = events.iter().map(|event| self.event_path(event)).collect();
        let docs = events
            .iter()
            .map(|event| format!(" `{}` version {}.", event.event_type, event.event_version));
        let types = events.iter().map(|event| &event.event_type);
        let versions = events.iter().map(|event| &event.event_version);
        let indices = (0..events.len()).map(TokenLiteral::usize_unsuffixed);
        quote! {
            /// Any event of the catalog, in any version: decode an `Envelope<AnyEvent>` to route by
            /// eventType and eventVersion.
            #[derive(::core::fmt::Debug, ::core::clone::Clone)]
            #allow
            pub enum AnyEvent {
                #(
                    #[doc = #docs]
                    #variants(#paths),
                )*
            }

            // Not derived: the derive matches on both sides at once, whose check costs the
            // compiler the square of the number of events. Each arm asks the other side for
            // this variant's payload through its `Extract` impl instead.
            #allow
            impl ::core::cmp::PartialEq for AnyEvent {
                fn eq(&self, other: &Self) -> bool {
                    match self {
                        #(Self::#variants(payload) => #rt::Extract::<#paths>::extract(other) == ::core::option::Option::Some(payload),)*
                    }
                }
            }

            #allow
            impl AnyEvent {
                /// The payload, as `Any` (each variant holds a type of its own).
                #[doc(hidden)]
                pub fn __payload(&self) -> &dyn ::core::any::Any {
                    match self {
                        #(Self::#variants(payload) => payload,)*
                    }
                }

                /// The catalog metadata of this event.
                pub fn info(&self) -> &'static #rt::EventInfo {
                    let index = match self {
                        #(Self::#variants(_) => #indices,)*
                    };
                    &CATALOG.events[index]
                }
            }

            #(
                #allow
                impl ::core::convert::From<#paths> for AnyEvent {
                    fn from(payload: #paths) -> Self {
                        Self::#variants(payload)
                    }
                }

                // Through `__payload`, not a `match` of its own: the compiler's check of a
                // `match` on `AnyEvent` costs time in the number of events, so one per event
                // would cost their square.
                #allow
                impl #rt::Extract<#paths> for AnyEvent {
                    fn extract(&self) -> ::core::option::Option<&#paths> {
                        self.__payload().downcast_ref::<#paths>()
                    }
                }
            )*

            #allow
            impl #rt::__private::serde::Serialize for AnyEvent {
                fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
                where
                    S: #rt::__private::serde::Serializer,
                {
                    match self {
                        #(Self::#variants(payload) => #rt::__private::serde::Serialize::serialize(payload, serializer),)*
                    }
                }
            }

            #allow
            impl #rt::EventPayload for AnyEvent {
                fn event_type(&self) -> &'static str {
                    match self {
                        #(Self::#variants(_) => <#paths as #rt::Event>::EVENT_TYPE,)*
                    }
                }

                fn event_version(&self) -> &'static str {
                    match self {
                        #(Self::#variants(_) => <#paths as #rt::Event>::EVENT_VERSION,)*
                    }
                }

                fn aggregate_type(&self) -> &'static str {
                    match self {
                        #(Self::#variants(_) => <#paths as #rt::Event>::AGGREGATE_TYPE,)*
                    }
                }

                fn aggregate_id(&self) -> #rt::__private::uuid::Uuid {
                    match self {
                        #(Self::#variants(payload) => #rt::Event::aggregate_id(payload),)*
                    }
                }

                fn validate(&self) -> ::core::result::Result<(), #rt::ValidationError> {
                    match self {
                        #(Self::#variants(payload) => #rt::Event::validate(payload),)*
                    }
                }

                fn deserialize_payload<'de, D>(
                    event_type: &str,
                    event_version: &str,
                    deserializer: D,
                ) -> ::core::result::Result<Self, D::Error>
                where
                    D: #rt::__private::serde::Deserializer<'de>,
                {
                    match (event_type, event_version) {
                        #(
                            (#types, #versions) => #rt::__private::deserialize_event::<#paths, D>(deserializer)
                                .map(Self::#variants),
                        )*
                        _ => ::core::result::Result::Err(#rt::__private::unknown_event::<D::Error>(
                            &CATALOG, event_type, event_version,
                        )),
                    }
                }
            }
        }
    }

    // --- metadata ----------------------------------------------------------------------------

    /// `CATALOG`, written with the short constructors of `__private::meta` (one call per event
    /// and per field) rather than struct literals with fully qualified paths.
    fn catalog_info(&self) -> TokenStream {
        let rt = self.rt;
        let name = &self.catalog.name;
        let version = &self.catalog.version;
        let description = self.catalog.description.clone().unwrap_or_default();
        let events: Vec<TokenStream> = self
            .catalog
            .domains
            .iter()
            .flat_map(|domain| {
                domain
                    .events
                    .iter()
                    .map(move |event| self.event_info(domain, event))
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
                #(const #names: #rt::EventInfo = #events;)*
                catalog(#name, #version, #description, &[#(#names),*])
            };
        }
    }

    fn event_info(&self, domain: &Domain, event: &EventDef) -> TokenStream {
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
        let fields = self.fields_info(&event.payload);
        let latest = event.is_latest;
        quote! {
            ev(#name, #rust_name, #domain_name, #event_type, #version, #latest, #aggregate_type,
                #aggregate_id, C::#category, #description, &[#(#triggers),*],
                &[#(sub(#services, #purposes)),*], #fields)
        }
    }

    fn fields_info(&self, fields: &[Field]) -> TokenStream {
        let fields = fields.iter().map(|field| {
            let name = &field.name;
            let ty = self.type_info(&field.ty);
            let description = field.description.clone().unwrap_or_default();
            let mut info = quote!(f(#name, #ty, #description));
            if field.optional {
                info = quote!(opt(#info));
            }
            if let Some(default) = &field.default {
                let json = literal_json(default);
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

    fn type_info(&self, ty: &TypeExpr) -> TokenStream {
        match ty {
            TypeExpr::Uuid => quote!(T::Uuid),
            TypeExpr::String => quote!(T::String),
            TypeExpr::Integer => quote!(T::Integer),
            TypeExpr::Number => quote!(T::Number),
            TypeExpr::Boolean => quote!(T::Boolean),
            TypeExpr::DateTime => quote!(T::DateTime),
            TypeExpr::Object => quote!(T::Object),
            TypeExpr::Array(item) => {
                let item = self.type_info(item);
                quote!(T::Array(&#item))
            }
            TypeExpr::Enum(def) => {
                let name = &def.name;
                let values = &def.values;
                quote!(en(#name, &[#(#values),*]))
            }
            TypeExpr::Struct(def) => {
                let name = &def.name;
                let fields = self.fields_info(&def.fields);
                quote!(st(#name, #fields))
            }
            TypeExpr::Named(name) => match self.catalog.named_type(name) {
                Some(named) => self.type_info(&named.ty),
                None => quote!(T::Object),
            },
        }
    }

    // --- subscribers -------------------------------------------------------------------------

    fn handler(&self, event: &EventDef, required: bool, purpose: Option<&str>) -> TokenStream {
        let rt = self.rt;
        let method = ident(&naming::handler_name(&event.rust_name));
        let path = self.event_path(event);
        let mut doc = format!(
            " Handles `{}` version {}.",
            event.event_type, event.event_version
        );
        if let Some(purpose) = purpose.filter(|purpose| !purpose.is_empty()) {
            doc.push_str(&format!(" Purpose: {purpose}."));
        }
        let signature = quote! {
            fn #method(
                &self,
                event: &#rt::Envelope<#path>,
            ) -> impl ::core::future::Future<Output = #rt::HandlerResult> + ::core::marker::Send
        };
        if required {
            quote! {
                #[doc = #doc]
                #signature;
            }
        } else {
            quote! {
                #[doc = #doc]
                #[doc = ""]
                #[doc = " Does nothing unless implemented."]
                #signature {
                    let _ = event;
                    async { ::core::result::Result::Ok(()) }
                }
            }
        }
    }

    /// A subscriber trait's dispatch methods, and the functions outside the trait they call
    /// (see [`DISPATCH_CHUNK`]).
    fn dispatch(
        &self,
        trait_name: &proc_macro2::Ident,
        events: &[&EventDef],
    ) -> (TokenStream, TokenStream) {
        let rt = self.rt;
        let arms = |subscriber: TokenStream, events: &[&EventDef]| -> Vec<TokenStream> {
            events
                .iter()
                .map(|event| {
                    let variant = ident(&event.rust_name);
                    let method = ident(&naming::handler_name(&event.rust_name));
                    quote! {
                        AnyEvent::#variant(payload) => {
                            let typed = envelope.with_payload(::core::clone::Clone::clone(payload));
                            ::std::boxed::Box::pin(async move { #subscriber.#method(&typed).await })
                        }
                    }
                })
                .collect()
        };
        // A `match` on the payload with these arms; other events succeed doing nothing.
        let on_payload = |arms: Vec<TokenStream>| {
            quote! {
                #[allow(unreachable_patterns)]
                match &envelope.payload {
                    #(#arms)*
                    _ => ::std::boxed::Box::pin(async { ::core::result::Result::Ok(()) }),
                }
            }
        };
        let mut outside = TokenStream::new();
        let body = if events.len() <= DISPATCH_CHUNK {
            on_payload(arms(quote!(self), events))
        } else {
            let allow = allow_lints();
            let mut outer = Vec::new();
            for (index, chunk) in events.chunks(DISPATCH_CHUNK).enumerate() {
                let function = format_ident!("__dispatch_{}_{}", trait_name, index);
                let body = on_payload(arms(quote!(subscriber), chunk));
                outside.extend(quote! {
                    #[doc(hidden)]
                    #allow
                    #[allow(non_snake_case)]
                    pub fn #function<'a, S: #trait_name + ?::core::marker::Sized>(
                        subscriber: &'a S,
                        envelope: &'a #rt::Envelope<AnyEvent>,
                    ) -> #rt::HandlerFuture<'a> {
                        #body
                    }
                });
                let variants = chunk.iter().map(|event| ident(&event.rust_name));
                outer.push(quote! {
                    #(AnyEvent::#variants(_))|* => #function(self, envelope),
                });
            }
            on_payload(outer)
        };
        let types = events.iter().map(|event| &event.event_type);
        let versions = events.iter().map(|event| &event.event_version);
        let inside = quote! {
            /// Routes an envelope of any event to this subscriber's method for it. Events this
            /// subscriber does not handle succeed without doing anything.
            fn dispatch<'a>(
                &'a self,
                envelope: &'a #rt::Envelope<AnyEvent>,
            ) -> impl ::core::future::Future<Output = #rt::HandlerResult> + ::core::marker::Send + 'a {
                self.__dispatch_boxed(envelope)
            }

            /// [`dispatch`](Self::dispatch) as a boxed future, which the bus handler of
            /// [`into_handler`](Self::into_handler) returns as is. Each event's call is an
            /// `async` block of its own, holding the typed envelope (built before it) and the
            /// subscriber, not the `AnyEvent` envelope: so that a subscriber to many events does
            /// not make one state machine of them all, and that proving the block `Send` does
            /// not go through every event of the catalog (both costly to compile).
            #[doc(hidden)]
            fn __dispatch_boxed<'a>(&'a self, envelope: &'a #rt::Envelope<AnyEvent>) -> #rt::HandlerFuture<'a> {
                #body
            }

            /// Whether [`dispatch`](Self::dispatch) has a method for this eventType and version.
            fn handles(event_type: &str, event_version: &str) -> bool
            where
                Self: ::core::marker::Sized,
            {
                #[allow(unreachable_patterns)]
                match (event_type, event_version) {
                    #((#types, #versions))|* => true,
                    _ => false,
                }
            }

            /// This subscriber as a bus handler: `bus.subscribe(options, subscriber.into_handler())`.
            /// The bus delivers it only the events [`handles`](Self::handles) accepts.
            fn into_handler(self) -> #rt::DispatchHandler<Self, AnyEvent>
            where
                Self: ::core::marker::Sized + 'static,
            {
                fn dispatch_boxed<'a, S: #trait_name + 'static>(
                    subscriber: &'a S,
                    envelope: &'a #rt::Envelope<AnyEvent>,
                ) -> #rt::HandlerFuture<'a> {
                    <S as #trait_name>::__dispatch_boxed(subscriber, envelope)
                }
                #rt::DispatchHandler::new(self, dispatch_boxed::<Self>, <Self as #trait_name>::handles)
            }

            /// Like [`into_handler`](Self::into_handler), for a subscriber you keep a handle on.
            fn into_shared_handler(
                self: ::std::sync::Arc<Self>,
            ) -> #rt::DispatchHandler<::std::sync::Arc<Self>, AnyEvent>
            where
                Self: ::core::marker::Sized + 'static,
            {
                fn dispatch_shared<'a, S: #trait_name + 'static>(
                    subscriber: &'a ::std::sync::Arc<S>,
                    envelope: &'a #rt::Envelope<AnyEvent>,
                ) -> #rt::HandlerFuture<'a> {
                    <S as #trait_name>::__dispatch_boxed(subscriber, envelope)
                }
                #rt::DispatchHandler::new(self, dispatch_shared::<Self>, <Self as #trait_name>::handles)
            }
        };
        (inside, outside)
    }

    fn domain_trait(&self, domain: &Domain) -> TokenStream {
        let allow = allow_lints();
        let name = ident(&naming::domain_trait_name(&domain.name));
        let doc = format!(
            " A subscriber to the `{}` domain: one method per event, each doing nothing unless implemented.",
            domain.name
        );
        let events: Vec<&EventDef> = domain.events.iter().collect();
        let handlers = events.iter().map(|event| self.handler(event, false, None));
        let (dispatch, dispatch_chunks) = self.dispatch(&name, &events);
        quote! {
            #[doc = #doc]
            #allow
            pub trait #name: ::core::marker::Send + ::core::marker::Sync {
                #(#handlers)*
                #dispatch
            }

            #dispatch_chunks
        }
    }

    fn service_trait(&self, service: &str, subscriptions: &[Subscription<'_>]) -> TokenStream {
        let allow = allow_lints();
        let name = ident(&naming::service_trait_name(service));
        let doc = format!(
            " The catalog's subscriptions of {service}: one required method per event it handles, so that an implementation cannot forget one."
        );
        let events: Vec<&EventDef> = subscriptions.iter().map(|(event, _)| *event).collect();
        let handlers = subscriptions
            .iter()
            .map(|(event, purpose)| self.handler(event, true, *purpose));
        let (dispatch, dispatch_chunks) = self.dispatch(&name, &events);
        quote! {
            #[doc = #doc]
            #allow
            pub trait #name: ::core::marker::Send + ::core::marker::Sync {
                #(#handlers)*
                #dispatch
            }

            #dispatch_chunks
        }
    }
}

fn option_f64(value: Option<f64>) -> TokenStream {
    match value {
        Some(value) => {
            let value = TokenLiteral::f64_suffixed(value);
            quote!(::core::option::Option::Some(#value))
        }
        None => quote!(::core::option::Option::None),
    }
}

fn quoted_list(values: &[String]) -> String {
    values
        .iter()
        .map(|value| format!("`{value}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The JSON text of a default value, for the metadata.
fn literal_json(literal: &Literal) -> String {
    match literal {
        Literal::Boolean(value) => value.to_string(),
        Literal::Integer(value) => value.to_string(),
        Literal::Number(value) => format!("{value:?}"),
        Literal::String(value) => {
            format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
        }
        Literal::EmptyArray => "[]".into(),
        Literal::EmptyObject => "{}".into(),
    }
}

fn event_doc(event: &EventDef) -> Vec<String> {
    let mut docs = Vec::new();
    if let Some(description) = &event.description {
        docs.push(description.clone());
        docs.push(String::new());
    }
    docs.push(format!(
        "eventType `{}`, version {}, aggregate `{}` (id from `{}`), category {}.",
        event.event_type,
        event.event_version,
        event.aggregate_type,
        event.aggregate_id.field(),
        event.category.as_str()
    ));
    if !event.is_latest {
        docs.push(String::new());
        docs.push(format!(
            "An older version of `{}`; the newest keeps the plain name.",
            event.name
        ));
    }
    if !event.triggers.is_empty() {
        docs.push(String::new());
        docs.push("Triggers:".into());
        docs.extend(event.triggers.iter().map(|trigger| format!("- {trigger}")));
    }
    if !event.subscribers.is_empty() {
        docs.push(String::new());
        docs.push("Subscribers:".into());
        docs.extend(
            event
                .subscribers
                .iter()
                .map(|subscriber| match &subscriber.purpose {
                    Some(purpose) => format!("- {}: {purpose}", subscriber.service),
                    None => format!("- {}", subscriber.service),
                }),
        );
    }
    docs
}

fn field_doc(field: &Field) -> Vec<String> {
    let mut docs = Vec::new();
    docs.push(match &field.description {
        Some(description) => format!("`{}`: {description}", field.name),
        None => format!("`{}` ({}).", field.name, field.ty.describe()),
    });
    match (field.min, field.max) {
        (Some(min), Some(max)) => docs.push(format!("Between {min} and {max}, inclusive.")),
        (Some(min), None) => docs.push(format!("At least {min}.")),
        (None, Some(max)) => docs.push(format!("At most {max}.")),
        (None, None) => {}
    }
    if let Some(default) = &field.default {
        docs.push(format!(
            "Defaults to `{}` when absent.",
            literal_json(default)
        ));
    }
    if let Some(deprecation) = &field.deprecated {
        let note = deprecation
            .note
            .as_deref()
            .map(|note| format!(" {note}"))
            .unwrap_or_default();
        docs.push(format!(
            "Deprecated: removed in version {}.{note}",
            deprecation.removal_version
        ));
    }
    docs
}
