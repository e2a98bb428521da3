//! The runtime's metadata ([`CatalogInfo`]) of a catalog parsed at run time, so that the
//! runtime's own JSON Schema export and envelope checks serve the command too.
//!
//! `include_catalog!` writes the same metadata as Rust tokens (the `CATALOG` static, from
//! `novel-events-codegen`'s `expand/metadata.rs`); here it is built as values. A test holds the
//! two equal on the Novel Engine catalog. The metadata's references are `'static`, as a
//! compiled catalog's are: the values are leaked, once per catalog a process loads (a command
//! loads one).

use std::collections::HashMap;

use novel_events::catalog::{
    AggregateIdInfo, CatalogInfo, DeprecationInfo, EventInfo, FieldInfo, TypeInfo,
};
use novel_events::{EventCategory, SubscriberInfo};
use novel_events_codegen::{AggregateId, Catalog, Category, EventDef, Field, TypeExpr};

/// The metadata of `catalog`, as `include_catalog!` would compile it.
pub fn catalog_info(catalog: &Catalog) -> &'static CatalogInfo {
    let mut builder = Builder {
        catalog,
        named: HashMap::new(),
        resolving: Vec::new(),
    };
    let events: Vec<EventInfo> = catalog
        .domains
        .iter()
        .flat_map(|domain| domain.events.iter().map(move |event| (domain, event)))
        .map(|(domain, event)| builder.event(&domain.name, event))
        .collect();
    Box::leak(Box::new(CatalogInfo {
        name: leak(&catalog.name),
        version: leak(&catalog.version),
        description: leak(catalog.description.as_deref().unwrap_or_default()),
        events: Box::leak(events.into_boxed_slice()),
    }))
}

fn leak(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}

fn leak_all(texts: impl Iterator<Item = &'static str>) -> &'static [&'static str] {
    Box::leak(texts.collect::<Vec<_>>().into_boxed_slice())
}

struct Builder<'a> {
    catalog: &'a Catalog,
    /// Each named type, described once and shared by every field that names it (a diamond of
    /// named types stays linear, as in the generated `CATALOG`).
    named: HashMap<&'a str, &'static TypeInfo>,
    /// The named types being described, so that a cycle (which validation refuses) cannot
    /// recurse forever.
    resolving: Vec<&'a str>,
}

impl<'a> Builder<'a> {
    fn event(&mut self, domain: &str, event: &'a EventDef) -> EventInfo {
        let subscribers: Vec<SubscriberInfo> = event
            .subscribers
            .iter()
            .map(|subscriber| SubscriberInfo {
                service: leak(&subscriber.service),
                purpose: leak(subscriber.purpose.as_deref().unwrap_or_default()),
            })
            .collect();
        EventInfo {
            name: leak(&event.name),
            rust_name: leak(&event.rust_name),
            domain: leak(domain),
            event_type: leak(&event.event_type),
            event_version: leak(&event.event_version),
            is_latest: event.is_latest,
            aggregate_type: leak(&event.aggregate_type),
            aggregate_id: match &event.aggregate_id {
                AggregateId::Field(field) => AggregateIdInfo::Field(leak(field)),
                AggregateId::NameBased(field) => AggregateIdInfo::NameBased(leak(field)),
            },
            category: category(event.category),
            description: leak(event.description.as_deref().unwrap_or_default()),
            triggers: leak_all(event.triggers.iter().map(|trigger| leak(trigger))),
            subscribers: Box::leak(subscribers.into_boxed_slice()),
            publisher: leak(
                event
                    .publisher
                    .as_ref()
                    .map_or("", |publisher| publisher.service.as_str()),
            ),
            fields: self.fields(&event.payload),
        }
    }

    fn fields(&mut self, fields: &'a [Field]) -> &'static [FieldInfo] {
        let fields: Vec<FieldInfo> = fields
            .iter()
            .map(|field| FieldInfo {
                name: leak(&field.name),
                ty: self.type_info(&field.ty),
                optional: field.optional,
                default: field
                    .default
                    .as_ref()
                    .map(|default| leak(&default.to_json())),
                min: field.min,
                max: field.max,
                description: leak(field.description.as_deref().unwrap_or_default()),
                deprecated: field
                    .deprecated
                    .as_ref()
                    .map(|deprecation| DeprecationInfo {
                        note: leak(deprecation.note.as_deref().unwrap_or_default()),
                        removal_version: leak(&deprecation.removal_version),
                    }),
            })
            .collect();
        Box::leak(fields.into_boxed_slice())
    }

    fn type_info(&mut self, ty: &'a TypeExpr) -> TypeInfo {
        match ty {
            TypeExpr::Uuid => TypeInfo::Uuid,
            TypeExpr::String => TypeInfo::String,
            TypeExpr::Integer => TypeInfo::Integer,
            TypeExpr::Number => TypeInfo::Number,
            TypeExpr::Boolean => TypeInfo::Boolean,
            TypeExpr::DateTime => TypeInfo::DateTime,
            TypeExpr::Object => TypeInfo::Object,
            TypeExpr::Array(item) => TypeInfo::Array(Box::leak(Box::new(self.type_info(item)))),
            TypeExpr::Enum(def) => TypeInfo::Enum {
                name: leak(&def.name),
                values: leak_all(def.values.iter().map(|value| leak(value))),
            },
            TypeExpr::Struct(def) => TypeInfo::Struct {
                name: leak(&def.name),
                fields: self.fields(&def.fields),
            },
            TypeExpr::Named(name) => *self.named(name),
        }
    }

    /// A named type's metadata, described at its first use; an unknown name (or a cycle)
    /// reads as `object`, as in the generated `CATALOG`.
    fn named(&mut self, name: &'a str) -> &'static TypeInfo {
        if let Some(info) = self.named.get(name) {
            return info;
        }
        let Some(named) = self.catalog.named_type(name) else {
            return &TypeInfo::Object;
        };
        if self.resolving.contains(&name) {
            return &TypeInfo::Object;
        }
        self.resolving.push(name);
        let info: &'static TypeInfo = Box::leak(Box::new(self.type_info(&named.ty)));
        self.resolving.pop();
        self.named.insert(name, info);
        info
    }
}

fn category(category: Category) -> EventCategory {
    match category {
        Category::Command => EventCategory::Command,
        Category::Domain => EventCategory::Domain,
        Category::Integration => EventCategory::Integration,
        Category::System => EventCategory::System,
        Category::Notification => EventCategory::Notification,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_compiled_novel_engine_catalog() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../novel-events/catalog/novel-engine.yaml"
        );
        let source = std::fs::read_to_string(path).unwrap();
        let catalog = novel_events_codegen::parse_catalog(&source, "novel-engine.yaml").unwrap();
        let info = catalog_info(&catalog);
        let compiled = &novel_events::novel_engine::CATALOG;
        assert_eq!(info.events.len(), compiled.events.len());
        for (ours, theirs) in info.events.iter().zip(compiled.events) {
            assert_eq!(
                ours, theirs,
                "{} {}",
                theirs.event_type, theirs.event_version
            );
        }
        assert_eq!(info, compiled);
    }

    #[test]
    fn a_diamond_of_named_types_is_described_once() {
        let mut yaml = String::from("catalog: d\nversion: \"1.0.0\"\ntypes:\n");
        for level in 0..30 {
            yaml.push_str(&format!(
                "  T{level}:\n    fields:\n      a: T{}\n      b: T{}\n",
                level + 1,
                level + 1
            ));
        }
        yaml.push_str("  T30:\n    fields:\n      leaf: string\n");
        yaml.push_str(concat!(
            "domains:\n  d:\n    events:\n      - name: Happened\n",
            "        eventType: d.thing.happened\n        eventVersion: \"1.0.0\"\n",
            "        aggregateType: Thing\n        aggregateId: thingId\n",
            "        payload:\n          thingId: uuid\n          root: T0\n"
        ));
        let catalog = novel_events_codegen::parse_catalog(&yaml, "d.yaml").unwrap();
        let info = catalog_info(&catalog);
        let TypeInfo::Struct { fields, .. } = &info.events[0].fields[1].ty else {
            panic!("T0 is a struct");
        };
        let (TypeInfo::Struct { fields: a, .. }, TypeInfo::Struct { fields: b, .. }) =
            (&fields[0].ty, &fields[1].ty)
        else {
            panic!("T1 is a struct");
        };
        assert!(std::ptr::eq(*a, *b), "T1 is described once");
    }
}
