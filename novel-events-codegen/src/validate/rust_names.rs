//! The Rust names the expansion gives a catalog's items, once [`crate::resolve`] has settled
//! the names of older event versions: every name must be a Rust identifier, and no two items
//! may get the same name where they land (the catalog's root, a domain module, `AnyEvent`'s
//! variants, a subscriber trait's methods). Each clash names both places.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostics, Location, shorten};
use crate::model::{Catalog, Field, TypeExpr};
use crate::naming;

/// Names the expansion defines at the catalog's root besides the catalog's own items.
pub(super) const ROOT_ITEMS: &[&str] = &["AnyEvent", "CATALOG"];

/// Checks every generated name of the catalog.
pub(super) fn check(catalog: &Catalog, diagnostics: &mut Diagnostics) {
    check_domain_modules(catalog, diagnostics);
    check_root(catalog, diagnostics);
    check_events(catalog, diagnostics);
}

/// What a name was taken by, for messages: `the event `X``, and where.
struct Taken {
    what: String,
    location: Option<Location>,
}

impl Taken {
    fn at(what: String, location: &Location) -> Self {
        Self {
            what,
            location: Some(location.clone()),
        }
    }

    fn place(&self) -> String {
        match &self.location {
            Some(location) => format!("{} (at {location})", self.what),
            None => self.what.clone(),
        }
    }
}

/// Events and inline types must not clash in their domain's module.
fn check_domain_modules(catalog: &Catalog, diagnostics: &mut Diagnostics) {
    for domain in &catalog.domains {
        let mut names: HashMap<String, Location> = HashMap::new();
        for event in &domain.events {
            // Versions of one event are told apart by `resolve`; an event whose own name
            // looks like an older version's (`EV1_0_0`) is caught with the `AnyEvent` variants.
            names
                .entry(event.rust_name.clone())
                .or_insert_with(|| event.location.clone());
        }
        // The newest version is also named `NameVx_y_z` (a type alias, see `expand::upcast`).
        for event in domain.events.iter().filter(|event| event.is_latest) {
            let stable = naming::versioned_name(&event.name, &event.event_version);
            // A pre-release of the same release, older, already has that name; the newest
            // then gets no alias (see `expand::upcast`).
            let own_version = domain
                .events
                .iter()
                .any(|other| other.event_type == event.event_type && other.rust_name == stable);
            if stable != event.rust_name
                && !own_version
                && let Some(first) = names.get(&stable)
            {
                diagnostics.push(
                    &event.spans.name,
                    format!(
                        "event `{}` version {} is also named `{stable}` (every version keeps a versioned name), which the item declared at {first} already has; rename one",
                        event.name, event.event_version
                    ),
                );
            }
        }
        for event in &domain.events {
            let mut inline = Vec::new();
            for field in &event.payload {
                collect_inline(&field.ty, &field.location, &mut inline);
            }
            for (name, location) in inline {
                if let Some(first) = names.get(&name) {
                    diagnostics.push(
                        &location,
                        format!(
                            "the inline type `{name}` clashes with another type of domain `{}` declared at {first}; give this one a `name:`",
                            domain.name
                        ),
                    );
                } else {
                    names.insert(name, location);
                }
            }
        }
    }
}

/// Named types, their inline types, `AnyEvent`, `CATALOG` and the subscriber traits share the
/// catalog's root.
fn check_root(catalog: &Catalog, diagnostics: &mut Diagnostics) {
    let mut root: HashMap<String, Taken> = HashMap::new();
    for item in ROOT_ITEMS {
        root.insert(
            (*item).to_owned(),
            Taken {
                what: format!("the generated `{item}`"),
                location: None,
            },
        );
    }
    // Trait against trait is reported where the catalog is checked as written.
    for domain in &catalog.domains {
        root.entry(naming::domain_trait_name(&domain.name))
            .or_insert_with(|| {
                Taken::at(
                    format!("the subscriber trait of domain `{}`", domain.name),
                    &domain.location,
                )
            });
    }
    for subscriber in catalog.events().flat_map(|event| event.subscribers.iter()) {
        root.entry(naming::service_trait_name(&subscriber.service))
            .or_insert_with(|| {
                Taken::at(
                    format!(
                        "the subscriber trait of service `{}`",
                        shorten(&subscriber.service)
                    ),
                    &subscriber.location,
                )
            });
    }
    let mut named: HashMap<&str, &Location> = HashMap::new();
    for named_type in &catalog.types {
        if let Some(first) = named.insert(&named_type.name, &named_type.location) {
            diagnostics.push(
                &named_type.location,
                format!(
                    "named type `{}` is declared twice (first at {first})",
                    named_type.name
                ),
            );
            continue;
        }
        // Reserved root items have their own message where the catalog is checked as written.
        if ROOT_ITEMS.contains(&named_type.name.as_str()) {
            continue;
        }
        if let Some(first) = root.get(&named_type.name) {
            diagnostics.push(
                &named_type.location,
                format!(
                    "named type `{}` has the Rust name of {}; rename the type",
                    named_type.name,
                    first.place()
                ),
            );
        }
    }
    for named_type in &catalog.types {
        root.entry(named_type.name.clone()).or_insert_with(|| {
            Taken::at(
                format!("named type `{}`", named_type.name),
                &named_type.location,
            )
        });
    }
    for named_type in &catalog.types {
        let mut inline = Vec::new();
        if let TypeExpr::Struct(def) = &named_type.ty {
            for field in &def.fields {
                collect_inline(&field.ty, &field.location, &mut inline);
            }
        }
        for (name, location) in inline {
            if named.contains_key(name.as_str()) {
                diagnostics.push(&location, format!("the inline type `{name}` clashes with the named type `{name}`; give it a `name:`"));
            } else if let Some(first) = root.get(&name) {
                diagnostics.push(
                    &location,
                    format!(
                        "the inline type `{name}` of named type `{}` has the Rust name of {}; give it another `name:`",
                        named_type.name,
                        first.place()
                    ),
                );
            } else {
                root.insert(
                    name.clone(),
                    Taken::at(
                        format!(
                            "the inline type `{name}` of named type `{}`",
                            named_type.name
                        ),
                        &location,
                    ),
                );
            }
        }
    }
}

/// Events are the variants of `AnyEvent` and have a handler method in subscriber traits: their
/// Rust names and their handler names must be distinct across the catalog.
fn check_events(catalog: &Catalog, diagnostics: &mut Diagnostics) {
    let mut variants: HashMap<&str, (&str, &Location)> = HashMap::new();
    let mut handlers: HashMap<String, (&str, &Location)> = HashMap::new();
    for event in catalog.events() {
        if let Some(&(first_name, first)) = variants.get(event.rust_name.as_str()) {
            // One name for two events is reported as a duplicate where events are checked.
            if first_name == event.name {
                continue;
            }
            diagnostics.push(
                &event.spans.name,
                format!(
                    "event `{}` version {} has the Rust name `{}`, which the event declared at {first} already has (an older version of an event is named `NameVx_y_z`); rename one",
                    event.name, event.event_version, event.rust_name
                ),
            );
            continue;
        }
        variants.insert(&event.rust_name, (&event.name, &event.location));
        let handler = naming::handler_name(&event.rust_name);
        if let Some((first, location)) = handlers.get(&handler) {
            diagnostics.push(
                &event.spans.name,
                format!(
                    "events `{first}` (at {location}) and `{}` both get the subscriber method `{handler}`; make their names differ by more than case or `_`",
                    event.rust_name
                ),
            );
        } else {
            handlers.insert(handler, (&event.rust_name, &event.location));
        }
    }
}

/// The inline types (enums and nested objects) a type declares, with the position of the field
/// that declares each.
pub(super) fn collect_inline(
    ty: &TypeExpr,
    location: &Location,
    out: &mut Vec<(String, Location)>,
) {
    match ty {
        TypeExpr::Array(item) => collect_inline(item, location, out),
        TypeExpr::Enum(def) => out.push((def.name.clone(), location.clone())),
        TypeExpr::Struct(def) => {
            out.push((def.name.clone(), location.clone()));
            for field in &def.fields {
                collect_inline(&field.ty, &field.location, out);
            }
        }
        _ => {}
    }
}

/// Whether `name` (a Rust name produced by [`naming`], raw identifiers included) is made of
/// ASCII letters, digits and `_`, not starting with a digit: the identifiers the expansion
/// writes. Other characters (`²`, `½`, letters of other scripts) are refused rather than
/// passed to the compiler.
pub(crate) fn is_ascii_ident(name: &str) -> bool {
    let name = name.strip_prefix("r#").unwrap_or(name);
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The error for a catalog name whose Rust form is no identifier; `subject` names it
/// (``field `a²` ``).
pub(super) fn not_an_ident(subject: &str, rust: &str) -> String {
    format!(
        "{subject} has no Rust name: it becomes `{}`, and generated names are made of ASCII letters, digits and `_`; rename it",
        shorten(rust)
    )
}

/// A field's Rust name must be an identifier.
pub(super) fn check_field_ident(field: &Field, diagnostics: &mut Diagnostics) -> bool {
    let rust = naming::field_name(&field.name);
    if is_ascii_ident(&rust) {
        return true;
    }
    diagnostics.push(
        &field.location,
        not_an_ident(&format!("field `{}`", shorten(&field.name)), &rust),
    );
    false
}
