//! Subscriber traits (one per domain, one per subscribing service) and their dispatch of
//! `AnyEvent` envelopes to typed handler methods.
//!
//! A trait has one method per event, taking its newest version (`on_order_placed`, an
//! `Envelope<OrderPlaced>`): the dispatch upcasts an older version (`IntoLatest`) before the
//! call. A service whose subscriber entry says `perVersion: true` gets instead one method per
//! version it subscribes to, each named for its version (`on_order_placed_v1_0_0`), each
//! receiving that version only.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_lines;
use super::{Generator, allow_lints};
use crate::model::{Catalog, Domain, EventDef};
use crate::naming::{self, ident};

/// An event a service subscribes to, with the purpose of its first subscription to it.
pub(super) type Subscription<'a> = (&'a EventDef, Option<&'a str>);

/// The distinct subscriber services, in order of first appearance, each with the events it
/// subscribes to in catalog order; one pass over the catalog.
pub(super) fn services(catalog: &Catalog) -> Vec<(&str, Vec<Subscription<'_>>)> {
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

/// A method of a subscriber trait.
pub(super) struct Method<'a> {
    /// Its name (`on_order_placed`).
    name: String,
    /// The version its envelope holds.
    takes: &'a EventDef,
    /// The versions dispatched to it, oldest first; those older than `takes` are upcast.
    receives: Vec<&'a EventDef>,
    /// Why the service subscribes, from its first subscription with a purpose.
    purpose: Option<&'a str>,
}

impl<'a> Generator<'a> {
    /// The methods of a subscriber trait to these events (in catalog order): one per eventType
    /// taking its newest version and receiving all of them, or, when `per_version` says so for
    /// an eventType, one per version listed.
    fn methods(
        &self,
        events: &[Subscription<'a>],
        per_version: impl Fn(&EventDef) -> bool,
    ) -> Vec<Method<'a>> {
        let mut methods: Vec<Method<'a>> = Vec::new();
        let mut by_type: HashMap<&str, usize> = HashMap::new();
        for &(event, purpose) in events {
            if per_version(event) {
                let name = naming::versioned_name(&event.name, &event.event_version);
                methods.push(Method {
                    name: naming::handler_name(&name),
                    takes: event,
                    receives: vec![event],
                    purpose,
                });
                continue;
            }
            if let Some(&index) = by_type.get(event.event_type.as_str()) {
                let method = &mut methods[index];
                method.purpose = method.purpose.or(purpose);
                continue;
            }
            let receives = self
                .versions
                .get(event.event_type.as_str())
                .cloned()
                .unwrap_or_else(|| vec![event]);
            let takes = receives.last().copied().unwrap_or(event);
            by_type.insert(&event.event_type, methods.len());
            methods.push(Method {
                name: naming::handler_name(&event.name),
                takes,
                receives,
                purpose,
            });
        }
        methods
    }

    /// The method of a subscriber trait; `required`: without a default body. `service`: the
    /// subscribing service, for the doc.
    fn handler(&self, method: &Method<'_>, required: bool, service: Option<&str>) -> TokenStream {
        let rt = self.rt;
        let event = method.takes;
        let path = self.event_path(event);
        let doc = doc_lines(&handler_doc(
            method,
            service.map(|service| (service, method.purpose)),
        ));
        let method = ident(&method.name);
        let signature = quote! {
            fn #method(
                &self,
                event: &#rt::Envelope<#path>,
            ) -> impl ::core::future::Future<Output = #rt::HandlerResult> + ::core::marker::Send
        };
        if required {
            quote! {
                #doc
                #signature;
            }
        } else {
            quote! {
                #doc
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
        methods: &[Method<'_>],
    ) -> (TokenStream, TokenStream) {
        let rt = self.rt;
        // Each version received, with the method receiving it.
        let events: Vec<(&EventDef, &Method<'_>)> = methods
            .iter()
            .flat_map(|method| method.receives.iter().map(move |event| (*event, method)))
            .collect();
        let arms = |subscriber: TokenStream,
                    events: &[(&EventDef, &Method<'_>)]|
         -> Vec<TokenStream> {
            events
                .iter()
                .map(|(event, method)| {
                    let variant = ident(&event.rust_name);
                    let name = ident(&method.name);
                    let payload = if std::ptr::eq(*event, method.takes) {
                        quote!(::core::clone::Clone::clone(payload))
                    } else {
                        quote!(#rt::__private::IntoLatest::into_latest(::core::clone::Clone::clone(payload)))
                    };
                    quote! {
                        AnyEvent::#variant(payload) => {
                            let typed = envelope.with_payload(#payload);
                            ::std::boxed::Box::pin(async move { #subscriber.#name(&typed).await })
                        }
                    }
                })
                .collect()
        };
        let events = events.as_slice();
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
                let variants = chunk.iter().map(|(event, _)| ident(&event.rust_name));
                outer.push(quote! {
                    #(AnyEvent::#variants(_))|* => #function(self, envelope),
                });
            }
            on_payload(outer)
        };
        let types = events.iter().map(|(event, _)| &event.event_type);
        let versions = events.iter().map(|(event, _)| &event.event_version);
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

    /// A domain's subscriber trait: a method per event, each doing nothing unless implemented.
    pub(super) fn domain_trait(&self, domain: &Domain) -> TokenStream {
        let allow = allow_lints();
        let name = ident(&naming::domain_trait_name(&domain.name));
        let doc = format!(
            " A subscriber to the `{}` domain: one method per event, each doing nothing unless implemented.",
            domain.name
        );
        let events: Vec<Subscription<'_>> =
            domain.events.iter().map(|event| (event, None)).collect();
        let methods = self.methods(&events, |_| false);
        let handlers = methods
            .iter()
            .map(|method| self.handler(method, false, None));
        let (dispatch, dispatch_chunks) = self.dispatch(&name, &methods);
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

    /// A service's subscriber trait: a required method per event it subscribes to.
    pub(super) fn service_trait(
        &self,
        service: &str,
        subscriptions: &[Subscription<'a>],
    ) -> TokenStream {
        let allow = allow_lints();
        let name = ident(&naming::service_trait_name(service));
        // `perVersion: true` on any of the service's entries of an eventType.
        let per_version: Vec<&str> = subscriptions
            .iter()
            .filter(|(event, _)| {
                event
                    .subscribers
                    .iter()
                    .any(|subscriber| subscriber.service == service && subscriber.per_version)
            })
            .map(|(event, _)| event.event_type.as_str())
            .collect();
        let methods = self.methods(subscriptions, |event| {
            per_version.contains(&event.event_type.as_str())
        });
        let doc = doc_lines(&service_doc(service, &name.to_string(), &methods));
        let unimplemented =
            format!("`{{Self}}` does not implement `{name}`, the subscriber trait of {service}");
        let note = format!(
            "implement `{name}` for `{{Self}}`, with one method per event {service} subscribes to: {}",
            methods
                .iter()
                .map(|method| method.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let handlers = methods
            .iter()
            .map(|method| self.handler(method, true, Some(service)));
        let (dispatch, dispatch_chunks) = self.dispatch(&name, &methods);
        quote! {
            #doc
            #allow
            #[diagnostic::on_unimplemented(message = #unimplemented, note = #note)]
            pub trait #name: ::core::marker::Send + ::core::marker::Sync {
                #(#handlers)*
                #dispatch
            }

            #dispatch_chunks
        }
    }
}

/// The doc of a handler method: which event, what it means, and why the service handles it.
fn handler_doc(method: &Method<'_>, service: Option<(&str, Option<&str>)>) -> Vec<String> {
    let event = method.takes;
    let mut lines = vec![format!(
        "Handles `{}` version {}.",
        event.event_type, event.event_version
    )];
    let older: Vec<&str> = method
        .receives
        .iter()
        .filter(|version| !std::ptr::eq(**version, event))
        .map(|version| version.event_version.as_str())
        .collect();
    if !older.is_empty() {
        lines.push(String::new());
        lines.push(format!(
            "Older versions ({}) are upcast to it before the call.",
            older.join(", ")
        ));
    }
    if let Some(description) = event.description.as_deref().filter(|text| !text.is_empty()) {
        lines.push(String::new());
        lines.push(description.to_owned());
    }
    match service {
        Some((service, Some(purpose))) if !purpose.is_empty() => {
            lines.push(String::new());
            lines.push(format!("{service} handles it to: {purpose}."));
        }
        Some((service, _)) => {
            lines.push(String::new());
            lines.push(format!("{service} subscribes to it in the catalog."));
        }
        None => {}
    }
    lines
}

/// The doc of a service's trait: what it is, and the methods an implementation writes.
fn service_doc(service: &str, trait_name: &str, methods: &[Method<'_>]) -> Vec<String> {
    let mut lines = vec![
        format!(
            "The catalog's subscriptions of {service}: one required method per event it handles, so that an implementation cannot forget one. A method takes the newest version of its event; older versions are upcast before the call (unless the catalog says `perVersion: true`)."
        ),
        String::new(),
        "An implementation writes each of them (`async fn` is accepted):".to_owned(),
        String::new(),
        "```text".to_owned(),
        format!("impl {trait_name} for MyService {{"),
    ];
    for method in methods {
        lines.push(format!(
            "    async fn {}(&self, event: &Envelope<{}>) -> HandlerResult {{",
            method.name, method.takes.rust_name
        ));
        if let Some(purpose) = method.purpose.filter(|purpose| !purpose.is_empty()) {
            lines.push(format!("        // {purpose}"));
        }
        lines.push("        Ok(())".to_owned());
        lines.push("    }".to_owned());
    }
    lines.push("}".to_owned());
    lines.push("```".to_owned());
    lines
}
