//! `AnyEvent`: every event of the catalog in one enum, with the event-set impls.

use proc_macro2::{Ident, Literal as TokenLiteral, TokenStream};
use quote::{format_ident, quote};

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
        let reads_newer = events
            .iter()
            .map(|event| event.is_latest && event.compatibility.promises_forward());
        let p = quote!(#rt::__private);
        // Forward compatibility: a newer version of the same major as the newest known one is
        // decoded as it, when the event promises forward compatibility.
        let forward = events
            .iter()
            .zip(&variants)
            .zip(&paths)
            .filter(|((event, _), _)| event.is_latest && event.compatibility.promises_forward())
            .map(|((event, variant), path)| {
                let (event_type, version) = (&event.event_type, &event.event_version);
                quote! {
                    (#event_type, _) if #p::reads_newer_version(event_version, #version) => {
                        #p::deserialize_event::<#path, D>(deserializer).map(Self::#variant)
                    }
                }
            });
        // Upcasting: each older version to the newest one of its event.
        let upcasts = events
            .iter()
            .zip(&variants)
            .filter(|(event, _)| !event.is_latest)
            .filter_map(|(event, variant)| {
                let newest = self.versions.get(event.event_type.as_str())?.last()?;
                let latest = ident(&newest.rust_name);
                Some(quote! {
                    Self::#variant(payload) => Self::#latest(#p::IntoLatest::into_latest(payload)),
                })
            });
        let older: Vec<_> = events
            .iter()
            .zip(&variants)
            .filter(|(event, _)| !event.is_latest)
            .map(|(_, variant)| variant)
            .collect();
        let is_latest = if older.is_empty() {
            quote!(true)
        } else {
            quote!(!::core::matches!(self, #(Self::#older(_))|*))
        };
        let any_event = format_ident!("AnyEvent");
        let from_impls: Vec<TokenStream> = variants
            .iter()
            .zip(&paths)
            .map(|(variant, path)| from_impl(&allow, &any_event, variant, path))
            .collect();
        let decodes = quote! {
            const VERSIONS: &[#p::DecodedVersion] = &[
                #(#p::DecodedVersion {
                    event_type: #types,
                    event_version: #versions,
                    reads_newer: #reads_newer,
                },)*
            ];
            #p::Some(#p::Decodes {
                scope: #p::DecodeScope::Catalog(&CATALOG),
                versions: VERSIONS,
            })
        };
        let types = events.iter().map(|event| &event.event_type);
        let versions = events.iter().map(|event| &event.event_version);
        let set_impls = event_set_impls(
            &EventSet {
                attrs: &allow,
                private: &p,
                ident: &any_event,
                variants: &variants,
                types: &paths,
            },
            &decodes,
            &quote! {
                match (event_type, event_version) {
                    #(
                        (#types, #versions) => #p::deserialize_event::<#paths, D>(deserializer)
                            .map(Self::#variants),
                    )*
                    #(#forward)*
                    _ => ::core::result::Result::Err(#p::unknown_event::<D::Error>(
                        &CATALOG, event_type, event_version,
                    )),
                }
            },
        );
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

                /// The same event in the newest version of the catalog: an older version is
                /// upcast through each `Upcast` step (generated for additive changes, written
                /// beside `include_catalog!` otherwise), the newest returned as is. Match on
                /// `event.into_latest()` to see every version of an event as its newest.
                pub fn into_latest(self) -> Self {
                    #[allow(unreachable_patterns)]
                    match self {
                        #(#upcasts)*
                        newest => newest,
                    }
                }

                /// Whether this is the newest version of its event in the catalog.
                pub fn is_latest(&self) -> bool {
                    #is_latest
                }
            }

            #allow
            impl #p::UpcastEvents for AnyEvent {
                fn into_latest(self) -> Self {
                    AnyEvent::into_latest(self)
                }

                fn is_latest(&self) -> bool {
                    AnyEvent::is_latest(self)
                }
            }

            #(
                #from_impls

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

            #set_impls
        }
    }
}

/// An enum whose variants each hold one event: a catalog's `AnyEvent` or a
/// `#[derive(EventSet)]` enum.
pub(crate) struct EventSet<'a> {
    /// Attributes of each impl (`#[automatically_derived]`, lints).
    pub attrs: &'a TokenStream,
    /// The path of the runtime's `__private` module.
    pub private: &'a TokenStream,
    /// The enum.
    pub ident: &'a Ident,
    /// Its variants.
    pub variants: &'a [Ident],
    /// The event type each variant holds.
    pub types: &'a [TokenStream],
}

/// The `Serialize` and `EventPayload` impls of an event set: the one generator of them, for
/// `AnyEvent` and for `#[derive(EventSet)]`. `decodes` and `deserialize_payload` are the
/// bodies of `EventPayload::decodes` and `EventPayload::deserialize_payload` (`event_type`,
/// `event_version` and `deserializer` in scope), which differ: a catalog knows its events'
/// types and versions as literals, and which of them read newer releases.
pub(crate) fn event_set_impls(
    set: &EventSet<'_>,
    decodes: &TokenStream,
    deserialize_payload: &TokenStream,
) -> TokenStream {
    let EventSet {
        attrs,
        private: p,
        ident,
        variants,
        types,
    } = set;
    quote! {
        #attrs
        impl #p::serde::Serialize for #ident {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: #p::serde::Serializer,
            {
                match self {
                    #(Self::#variants(payload) => #p::serde::Serialize::serialize(payload, serializer),)*
                }
            }
        }

        #attrs
        impl #p::EventPayload for #ident {
            fn event_type(&self) -> &'static str {
                match self {
                    #(Self::#variants(_) => <#types as #p::Event>::EVENT_TYPE,)*
                }
            }

            fn event_version(&self) -> &'static str {
                match self {
                    #(Self::#variants(_) => <#types as #p::Event>::EVENT_VERSION,)*
                }
            }

            fn aggregate_type(&self) -> &'static str {
                match self {
                    #(Self::#variants(_) => <#types as #p::Event>::AGGREGATE_TYPE,)*
                }
            }

            fn aggregate_id(&self) -> #p::uuid::Uuid {
                match self {
                    #(Self::#variants(payload) => #p::EventPayload::aggregate_id(payload),)*
                }
            }

            fn validate(&self) -> ::core::result::Result<(), #p::ValidationError> {
                match self {
                    #(Self::#variants(payload) => #p::EventPayload::validate(payload),)*
                }
            }

            fn decodes() -> ::core::option::Option<#p::Decodes> {
                #decodes
            }

            fn deserialize_payload<'de, D>(
                event_type: &str,
                event_version: &str,
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error>
            where
                D: #p::serde::Deserializer<'de>,
            {
                #deserialize_payload
            }
        }
    }
}

/// `impl From<ty> for set`: the variant holding that event.
pub(crate) fn from_impl(
    attrs: &TokenStream,
    set: &Ident,
    variant: &Ident,
    ty: &TokenStream,
) -> TokenStream {
    quote! {
        #attrs
        impl ::core::convert::From<#ty> for #set {
            fn from(payload: #ty) -> Self {
                Self::#variant(payload)
            }
        }
    }
}
