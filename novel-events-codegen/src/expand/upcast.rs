//! What the versions of an event need, beside each version's struct: the stable versioned
//! name of the newest version, the `Upcast` step to the next version when the change is
//! additive ([`super::additive`]), and the `IntoLatest` chain to the newest version.
//!
//! Every version of an event has the name `NameV{major}_{minor}_{patch}` for good: the older
//! ones as their struct's name (see [`crate::resolve`]), the newest as a type alias of `Name`
//! (`pub type OrderPlacedV2_0_0 = OrderPlaced;`), and so do their inline types. A struct
//! literal or pattern works through either name, and adding version 3.0.0 renames nothing a
//! user wrote: `OrderPlacedV2_0_0` becomes the struct, `OrderPlaced` the newest version.
//!
//! Each older version implements `IntoLatest` by one `Upcast` step to the next version and
//! that version's `IntoLatest`, so each step is named once in the generated code: a breaking
//! step the user has not written is one compile error, with the message of `Upcast`'s
//! `#[diagnostic::on_unimplemented]`.

use proc_macro2::TokenStream;
use quote::quote;

use super::Generator;
use super::additive::is_additive;
use crate::evolution::{self, Verdict};
use crate::model::{EventDef, Field, TypeExpr};
use crate::naming::{self, ident};

impl Generator<'_> {
    /// The version items of one event, inside its domain module.
    pub(super) fn versions(&self, event: &EventDef) -> TokenStream {
        let p = self.private(true);
        let versions = self
            .versions
            .get(event.event_type.as_str())
            .map_or(&[][..], Vec::as_slice);
        let position = versions
            .iter()
            .position(|version| std::ptr::eq(*version, event));
        let next = position.and_then(|index| versions.get(index + 1)).copied();
        let newest = versions.last().copied().unwrap_or(event);
        let this = ident(&event.rust_name);
        let mut out = TokenStream::new();
        // Unless an older pre-release of the same release already has the versioned name.
        let versioned = naming::versioned_name(&event.name, &event.event_version);
        if event.is_latest
            && !versions
                .iter()
                .any(|version| version.rust_name == versioned)
        {
            out.extend(self.stable_names(event));
        }
        let latest = ident(&newest.rust_name);
        match next {
            None => out.extend(quote! {
                impl #p::IntoLatest for #this {
                    type Latest = #this;
                    #[inline]
                    fn into_latest(self) -> #this {
                        self
                    }
                }
            }),
            Some(next) => {
                let next_ident = ident(&next.rust_name);
                let additive = if is_additive(event, next)
                    && let Some(body) =
                        self.construct(&next.rust_name, &event.payload, &next.payload, quote!(self))
                {
                    let doc = format!(
                        " Generated: `{}` {} → {} only adds optional or defaulted fields.",
                        event.event_type, event.event_version, next.event_version
                    );
                    out.extend(quote! {
                        #[doc = #doc]
                        impl #p::Upcast<#next_ident> for #this {
                            fn upcast(self) -> #next_ident {
                                #body
                            }
                        }
                    });
                    true
                } else {
                    false
                };
                if !additive && Verdict::of(&evolution::changes(self.catalog, event, next)).backward
                {
                    let doc = format!(
                        " Generated: `{}` {} → {} is backward compatible on the wire.",
                        event.event_type, event.event_version, next.event_version
                    );
                    let (event_type, from, to) =
                        (&event.event_type, &event.event_version, &next.event_version);
                    out.extend(quote! {
                        #[doc = #doc]
                        impl #p::Upcast<#next_ident> for #this {
                            fn upcast(self) -> #next_ident {
                                #p::through_the_wire(self, #event_type, #from, #to)
                            }
                        }
                    });
                }
                out.extend(quote! {
                    impl #p::IntoLatest for #this {
                        type Latest = #latest;
                        #[inline]
                        fn into_latest(self) -> #latest {
                            #p::IntoLatest::into_latest(
                                <Self as #p::Upcast<#next_ident>>::upcast(self),
                            )
                        }
                    }
                });
            }
        }
        out
    }

    /// `pub type NameV2_0_0 = Name;` for the newest version and each of its inline types.
    fn stable_names(&self, event: &EventDef) -> TokenStream {
        let versioned = naming::versioned_name(&event.name, &event.event_version);
        let suffix = versioned.get(event.name.len()..).unwrap_or_default();
        let mut names = vec![event.rust_name.clone()];
        for field in &event.payload {
            inline_names(&field.ty, &mut names);
        }
        let items = names.iter().map(|name| {
            let plain = ident(name);
            let alias = ident(&format!("{name}{suffix}"));
            let doc = format!(" `{name}` under the name it keeps when a newer version is added.");
            quote! {
                #[doc = #doc]
                pub type #alias = #plain;
            }
        });
        quote!(#(#items)*)
    }

    /// A struct literal of `name` with `newer`'s fields, built from `source` (a value of the
    /// struct with `older`'s fields); `None` when a field cannot be built.
    fn construct(
        &self,
        name: &str,
        older: &[Field],
        newer: &[Field],
        source: TokenStream,
    ) -> Option<TokenStream> {
        let name = ident(name);
        let mut inits = Vec::new();
        for new in newer {
            let field = ident(&naming::field_name(&new.name));
            let new_option = new.optional && new.default.is_none();
            let default = || {
                new.default
                    .as_ref()
                    .map(|default| self.default_value(&new.ty, default, true))
            };
            let value = match older.iter().find(|old| old.name == new.name) {
                None if new_option => quote!(::core::option::Option::None),
                None => default()?,
                Some(old) => {
                    let old_option = old.optional && old.default.is_none();
                    let convert = self.convert(&old.ty, &new.ty, quote!(__v))?;
                    let from = quote!(#source.#field);
                    match (old_option, new_option) {
                        (true, true) => quote!(#from.map(|__v| #convert)),
                        (true, false) => {
                            let default = default()?;
                            quote!(match #from {
                                ::core::option::Option::Some(__v) => #convert,
                                ::core::option::Option::None => #default,
                            })
                        }
                        (false, true) => {
                            quote!(::core::option::Option::Some({ let __v = #from; #convert }))
                        }
                        (false, false) => quote!({ let __v = #from; #convert }),
                    }
                }
            };
            inits.push(quote!(#field: #value,));
        }
        Some(quote!(#name { #(#inits)* }))
    }

    /// The expression converting `value` of the older type to the newer one.
    fn convert(&self, old: &TypeExpr, new: &TypeExpr, value: TokenStream) -> Option<TokenStream> {
        Some(match (old, new) {
            (TypeExpr::Array(old), TypeExpr::Array(new)) => {
                let item = self.convert(old, new, quote!(__v))?;
                quote!(#value.into_iter().map(|__v| #item).collect())
            }
            (TypeExpr::Enum(old), TypeExpr::Enum(new)) => {
                let (old_name, new_name) = (ident(&old.name), ident(&new.name));
                let variants = old
                    .values
                    .iter()
                    .map(|value| ident(&naming::variant_name(value)));
                let arms =
                    variants.map(|variant| quote!(#old_name::#variant => #new_name::#variant,));
                quote!(match #value { #(#arms)* })
            }
            (TypeExpr::Struct(old), TypeExpr::Struct(new)) => {
                let body = self.construct(&new.name, &old.fields, &new.fields, quote!(__s))?;
                quote!({ let __s = #value; #body })
            }
            _ => value,
        })
    }
}

/// The names of the inline types declared by a type, recursively.
fn inline_names(ty: &TypeExpr, names: &mut Vec<String>) {
    match ty {
        TypeExpr::Array(item) => inline_names(item, names),
        TypeExpr::Enum(def) => names.push(def.name.clone()),
        TypeExpr::Struct(def) => {
            names.push(def.name.clone());
            for field in &def.fields {
                inline_names(&field.ty, names);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::{Options, generate, parse_catalog};

    fn catalog(versions: &[&str], extra: &str) -> String {
        let events: String = versions
            .iter()
            .map(|version| {
                format!(
                    "      - name: E\n        eventType: d.thing.happened\n        eventVersion: \"{version}\"\n        aggregateType: Thing\n        aggregateId: id\n        payload:\n          id: uuid\n"
                )
            })
            .collect();
        format!("catalog: c\nversion: \"1.0.0\"\ndomains:\n  d:\n    events:\n{events}{extra}")
    }

    fn expand(text: &str) -> String {
        let catalog = parse_catalog(text, "c.yaml").expect("a valid catalog");
        generate(&catalog, &Options::default()).to_string()
    }

    #[test]
    fn every_version_has_its_versioned_name() {
        let code = expand(&catalog(&["1.0.0", "1.1.0"], ""));
        assert!(code.contains("pub struct EV1_0_0"), "{code}");
        assert!(code.contains("pub type EV1_1_0 = E ;"), "{code}");
        assert!(
            code.contains("impl __p :: Upcast < E > for EV1_0_0"),
            "{code}"
        );
    }

    #[test]
    fn an_older_pre_release_keeps_the_versioned_name_of_its_release() {
        let code = expand(&catalog(&["1.0.0-beta.1", "1.0.0"], ""));
        assert!(code.contains("pub struct EV1_0_0"), "{code}");
        assert!(!code.contains("pub type EV1_0_0"), "{code}");
    }

    #[test]
    fn another_event_with_the_versioned_name_is_an_error() {
        let other = "      - name: EV1_0_0\n        eventType: d.thing.renamed\n        eventVersion: \"1.0.0\"\n        aggregateType: Thing\n        aggregateId: id\n        payload:\n          id: uuid\n";
        let errors = parse_catalog(&catalog(&["1.0.0"], other), "c.yaml")
            .expect_err("the alias of E 1.0.0 clashes with the event EV1_0_0");
        assert!(
            errors.iter().any(|error| error
                .message
                .contains("is also named `EV1_0_0` (every version keeps a versioned name)")),
            "{errors:?}"
        );
    }
}
