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
//!
//! One file per kind of output: [`types`] (the Rust type of a catalog type, defaults),
//! [`structs`] and [`enums`] (payloads, nested objects and string enums with their serde
//! impls), [`validation`] (bounds and nested checks), [`events`] (domain modules and the
//! `Event` impl), [`any_event`] (`AnyEvent` and the event-set impls), [`metadata`]
//! (`CATALOG`) and [`subscribers`] (the domain and service traits with their dispatch), plus
//! [`docs`] for the doc comments. [`upcast`] writes what versions need: the stable versioned
//! name of the newest version, the `Upcast` step to the next version when [`additive`] says
//! the change is additive, and the `IntoLatest` chain. The `Event` impl, the event-set impls and the bounds checks
//! are also what `#[derive(Event)]` and `#[derive(EventSet)]` emit: they call the same
//! functions here, with the runtime path of their [`Options`].
//!
//! Contract: [`generate`] takes a catalog that `parse_catalog` accepted and never fails; the
//! output reaches the runtime only through `#runtime::__private` and `::core`/`::std` (plus
//! the runtime's public traits a user implements or names: `Extract`, `Envelope`,
//! `HandlerResult`, `HandlerFuture`, `DispatchHandler`, `CatalogInfo`, `EventInfo`).

mod additive;
pub(crate) mod any_event;
mod docs;
mod enums;
pub(crate) mod events;
mod metadata;
mod structs;
mod subscribers;
mod types;
mod upcast;
pub(crate) mod validation;

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::evolution::Version;
use crate::model::{Catalog, EventDef, NamedType};
use crate::naming;

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
    let named: HashMap<&str, &NamedType> = catalog
        .types
        .iter()
        .map(|named| (named.name.as_str(), named))
        .collect();
    let eq_named = types::eq_named_types(&named);
    let mut versions: HashMap<&str, Vec<&EventDef>> = HashMap::new();
    for event in catalog.events() {
        versions.entry(&event.event_type).or_default().push(event);
    }
    for list in versions.values_mut() {
        list.sort_by_cached_key(|event| Version::new(&event.event_version));
    }
    let generator = Generator {
        catalog,
        rt: &options.runtime,
        modules,
        named,
        eq_named,
        versions,
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
    let service_traits = subscribers::services(catalog)
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
    /// The catalog being expanded.
    catalog: &'a Catalog,
    /// The path of the runtime crate.
    rt: &'a TokenStream,
    /// The module name of each eventType.
    modules: HashMap<&'a str, String>,
    /// Each named type by name.
    named: HashMap<&'a str, &'a NamedType>,
    /// Whether each named type can derive `Eq` and `Hash`, worked out once per type (walking
    /// through references each time would cost once per path through shared named types).
    eq_named: HashMap<&'a str, bool>,
    /// The versions of each eventType, oldest first.
    versions: HashMap<&'a str, Vec<&'a EventDef>>,
}

/// Lints that generated code must not trip in a user's crate, whatever they deny.
pub(crate) fn allow_lints() -> TokenStream {
    quote! {
        #[allow(clippy::all, clippy::pedantic, clippy::nursery, non_camel_case_types, deprecated)]
    }
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
}
