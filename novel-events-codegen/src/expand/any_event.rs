//! `AnyEvent`: every event of the catalog in one enum, with the event-set impls.

use proc_macro2::{Literal as TokenLiteral, TokenStream};
use quote::quote;

use super::{Generator, allow_lints};
use crate::model::EventDef;
use crate::naming::ident;

impl Generator<'_> {
    /// `AnyEvent` and its impls.
    pub(super) fn any_event(&self) -> TokenStream {
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
}
