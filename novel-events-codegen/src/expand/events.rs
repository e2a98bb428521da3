//! The domain modules and the `Event` and `EventPayload` impls of each event struct.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::Generator;
use super::docs::event_doc;
use crate::model::{AggregateId, Category, Domain, EventDef};
use crate::naming::{self, ident};

impl Generator<'_> {
    /// A domain's module: its events and their inline types.
    pub(super) fn domain(&self, domain: &Domain) -> TokenStream {
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

    /// An event's struct, `Event` and `EventPayload` impls and inline types.
    fn event(&self, event: &EventDef) -> TokenStream {
        let p = self.private(true);
        let name = ident(&event.rust_name);
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
        let event_impl = event_impl(&EventImpl {
            attrs: TokenStream::new(),
            private: &p,
            ident: &name,
            event_type: &event.event_type,
            version: &event.event_version,
            aggregate_type: &event.aggregate_type,
            category: event.category,
            description: event.description.as_deref().unwrap_or_default(),
            subscribers: event
                .subscribers
                .iter()
                .map(|subscriber| {
                    (
                        subscriber.service.as_str(),
                        subscriber.purpose.as_deref().unwrap_or_default(),
                    )
                })
                .collect(),
            checks_on_decode: true,
            aggregate_id,
            validate: Some(quote!(#p::validate_payload(self))),
        });
        let structure = self.structure(&event.rust_name, &event_doc(event), &event.payload, true);
        let inline = self.inline_types(&event.payload, true);
        let versions = self.versions(event);
        quote! {
            #structure

            #event_impl

            #inline

            #versions
        }
    }

    /// The path of an event's struct from the catalog's root.
    pub(super) fn event_path(&self, event: &EventDef) -> TokenStream {
        let module = ident(
            self.modules
                .get(event.event_type.as_str())
                .map_or("", String::as_str),
        );
        let name = ident(&event.rust_name);
        quote!(#module::#name)
    }
}

/// What the `Event` and `EventPayload` impls of an event struct say: the one generator of them,
/// for `include_catalog!` and for `#[derive(Event)]` (including the stand-in impls the derive
/// writes after an error).
pub(crate) struct EventImpl<'a> {
    /// Attributes of the impl (`#[automatically_derived]`, lints).
    pub attrs: TokenStream,
    /// The path of the runtime's `__private` module (`__p` inside a domain module).
    pub private: &'a TokenStream,
    /// The type implementing `Event` and `EventPayload`.
    pub ident: &'a Ident,
    /// `EVENT_TYPE`.
    pub event_type: &'a str,
    /// `EVENT_VERSION`.
    pub version: &'a str,
    /// `AGGREGATE_TYPE`.
    pub aggregate_type: &'a str,
    /// `CATEGORY`.
    pub category: Category,
    /// `DESCRIPTION`.
    pub description: &'a str,
    /// `SUBSCRIBERS`: service and purpose of each.
    pub subscribers: Vec<(&'a str, &'a str)>,
    /// Whether to declare `CHECKS_ON_DECODE = true` (decoding already checks the bounds).
    pub checks_on_decode: bool,
    /// The body of `aggregate_id`.
    pub aggregate_id: TokenStream,
    /// The body of `validate`, when the type overrides the default.
    pub validate: Option<TokenStream>,
}

/// The `impl Event for ...` of an event struct (its constants) and its
/// `impl EventPayload for ...` (the methods, which read the constants; `deserialize_payload`
/// refuses another eventType or version, then decodes).
pub(crate) fn event_impl(spec: &EventImpl<'_>) -> TokenStream {
    let EventImpl {
        attrs,
        private: p,
        ident,
        event_type,
        version,
        aggregate_type,
        description,
        aggregate_id,
        ..
    } = spec;
    let category = Ident::new(spec.category.variant(), Span::call_site());
    let services = spec.subscribers.iter().map(|(service, _)| service);
    let purposes = spec.subscribers.iter().map(|(_, purpose)| purpose);
    let checks_on_decode = spec.checks_on_decode.then(|| {
        quote!(
            const CHECKS_ON_DECODE: bool = true;
        )
    });
    let validate = spec.validate.as_ref().map(|body| {
        quote! {
            fn validate(&self) -> #p::Result<(), #p::ValidationError> {
                #body
            }
        }
    });
    quote! {
        #attrs
        impl #p::Event for #ident {
            const EVENT_TYPE: &'static str = #event_type;
            const EVENT_VERSION: &'static str = #version;
            const AGGREGATE_TYPE: &'static str = #aggregate_type;
            const CATEGORY: #p::EventCategory = #p::EventCategory::#category;
            const DESCRIPTION: &'static str = #description;
            const SUBSCRIBERS: &'static [#p::SubscriberInfo] = &[
                #(#p::SubscriberInfo { service: #services, purpose: #purposes },)*
            ];
            #checks_on_decode
        }

        #attrs
        impl #p::EventPayload for #ident {
            fn event_type(&self) -> &'static str {
                <Self as #p::Event>::EVENT_TYPE
            }

            fn event_version(&self) -> &'static str {
                <Self as #p::Event>::EVENT_VERSION
            }

            fn aggregate_type(&self) -> &'static str {
                <Self as #p::Event>::AGGREGATE_TYPE
            }

            fn aggregate_id(&self) -> #p::uuid::Uuid {
                #aggregate_id
            }

            #validate

            fn deserialize_payload<'de, D>(
                event_type: &str,
                event_version: &str,
                deserializer: D,
            ) -> #p::Result<Self, D::Error>
            where
                D: #p::serde::Deserializer<'de>,
            {
                #p::deserialize_event_payload::<Self, D>(event_type, event_version, deserializer)
            }
        }
    }
}
