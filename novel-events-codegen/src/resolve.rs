//! What the parse leaves open, settled once the catalog is valid: the Rust names of older
//! versions of an event. The newest version of each event keeps its name; older ones become
//! `NameV1_0_0`, and so do their inline types.
//!
//! These names are stable: the expansion also gives the newest version (and its inline types)
//! its versioned name, as a type alias (`pub type NameV2_0_0 = Name;`), so that a version keeps
//! the name `NameV2_0_0` when a newer one is added and `Name` moves on to it.

use std::collections::HashMap;

use crate::evolution::Version;
use crate::model::{Catalog, TypeExpr};
use crate::naming;

/// Settles the Rust names of older event versions and of their inline types.
pub(crate) fn catalog(catalog: &mut Catalog) {
    name_versions(catalog);
}

/// The newest version of each event keeps its name; older ones become `NameV1_0_0`, and so do
/// their inline types.
fn name_versions(catalog: &mut Catalog) {
    let mut newest: HashMap<String, Version> = HashMap::new();
    for event in catalog.events() {
        let key = Version::new(&event.event_version);
        let entry = newest
            .entry(event.name.clone())
            .or_insert_with(|| key.clone());
        if key > *entry {
            *entry = key;
        }
    }
    for domain in &mut catalog.domains {
        for event in &mut domain.events {
            if newest.get(&event.name) != Some(&Version::new(&event.event_version)) {
                event.is_latest = false;
                event.rust_name = naming::versioned_name(&event.name, &event.event_version);
                let suffix = event.rust_name[event.name.len()..].to_owned();
                for field in &mut event.payload {
                    suffix_inline_types(&mut field.ty, &suffix);
                }
            }
        }
    }
}

fn suffix_inline_types(ty: &mut TypeExpr, suffix: &str) {
    match ty {
        TypeExpr::Array(item) => suffix_inline_types(item, suffix),
        TypeExpr::Enum(def) => def.name.push_str(suffix),
        TypeExpr::Struct(def) => {
            def.name.push_str(suffix);
            for field in &mut def.fields {
                suffix_inline_types(&mut field.ty, suffix);
            }
        }
        _ => {}
    }
}
