//! The domain modules and the `Event` impl of each event struct.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Generator;
use super::docs::event_doc;
use crate::model::{AggregateId, Domain, EventDef};
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

    /// An event's struct, `Event` impl and inline types.
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
