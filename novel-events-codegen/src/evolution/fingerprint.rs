//! The schema fingerprint of an event version: a SHA-256 of a canonical text of what the
//! version means on the wire, not of its YAML. Field order, descriptions, Rust type names,
//! the order of enum values, quoting and comments do not change it; a field, a type, a
//! presence (required, optional, default), a bound, a field's deprecation, the aggregate, or
//! the structure of any named type the payload reaches does (a named type's name does not).

use std::collections::HashMap;
use std::fmt::Write;

use sha2::{Digest, Sha256};

use crate::model::{AggregateId, Catalog, EventDef, Field, TypeExpr};

/// `sha256:<64 hex digits>` of the canonical form of `event` in `catalog`.
/// `memo` keeps the fingerprints of named types across calls on one catalog.
pub(crate) fn fingerprint(catalog: &Catalog, event: &EventDef, memo: &mut Memo) -> String {
    sha256(&canonical(catalog, event, memo))
}

fn sha256(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(71);
    hex.push_str("sha256:");
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// The fingerprints of named types already computed, by name.
pub(crate) type Memo = HashMap<String, String>;

/// The canonical text: the aggregate, then the payload. A named type is written as the
/// fingerprint of its own canonical text (computed once per type and kept in `memo`), so its
/// name does not count, and the text stays linear in the catalog however types are shared.
pub(crate) fn canonical(catalog: &Catalog, event: &EventDef, memo: &mut Memo) -> String {
    let mut text = String::new();
    let id = match &event.aggregate_id {
        AggregateId::Field(field) => format!("field {field:?}"),
        AggregateId::NameBased(field) => format!("uuidV5Of {field:?}"),
    };
    let _ = writeln!(text, "aggregate {:?} {id}", event.aggregate_type);
    text.push_str("payload ");
    Canon { catalog, memo }.object(&event.payload, &mut text);
    text
}

struct Canon<'c, 'm> {
    catalog: &'c Catalog,
    memo: &'m mut Memo,
}

impl Canon<'_, '_> {
    fn object(&mut self, fields: &[Field], text: &mut String) {
        let mut sorted: Vec<&Field> = fields.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        text.push('{');
        for field in sorted {
            let _ = write!(text, "{:?}:(", field.name);
            match (&field.default, field.optional) {
                (Some(default), _) => {
                    text.push_str("default ");
                    text.push_str(&default.to_json());
                }
                (None, true) => text.push_str("optional"),
                (None, false) => text.push_str("required"),
            }
            text.push(' ');
            self.ty(&field.ty, text);
            if let Some(min) = field.min {
                let _ = write!(text, " min {min:?}");
            }
            if let Some(max) = field.max {
                let _ = write!(text, " max {max:?}");
            }
            if let Some(deprecation) = &field.deprecated {
                let _ = write!(text, " deprecated {:?}", deprecation.removal_version);
            }
            text.push_str("),");
        }
        text.push('}');
    }

    fn ty(&mut self, ty: &TypeExpr, text: &mut String) {
        match ty {
            TypeExpr::Array(item) => {
                text.push('[');
                self.ty(item, text);
                text.push(']');
            }
            TypeExpr::Enum(def) => {
                let mut values: Vec<&String> = def.values.iter().collect();
                values.sort();
                let _ = write!(text, "enum{values:?}");
            }
            TypeExpr::Struct(def) => {
                text.push_str("struct");
                self.object(&def.fields, text);
            }
            TypeExpr::Named(name) => {
                let hash = match self.memo.get(name) {
                    Some(hash) => hash.clone(),
                    None => {
                        let mut inner = String::new();
                        if let Some(def) = self.catalog.named_type(name) {
                            self.ty(&def.ty, &mut inner);
                        }
                        let hash = sha256(&inner);
                        self.memo.insert(name.clone(), hash.clone());
                        hash
                    }
                };
                let _ = write!(text, "named {hash}");
            }
            primitive => text.push_str(&primitive.describe()),
        }
    }
}
