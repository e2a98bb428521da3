//! Static metadata of a catalog, generated as `CATALOG` by `include_catalog!`: every event,
//! field, bound and subscriber, for tools, documentation and JSON Schema export.

use crate::event::{EventCategory, SubscriberInfo};

/// A whole catalog.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CatalogInfo {
    /// The catalog's name (`novel-engine`).
    pub name: &'static str,
    /// The catalog's own version.
    pub version: &'static str,
    /// What the catalog covers (empty when the catalog says nothing).
    pub description: &'static str,
    /// Every event in every version, in catalog order.
    pub events: &'static [EventInfo],
}

impl CatalogInfo {
    /// The event with this eventType and eventVersion.
    ///
    /// ```
    /// let info = novel_events::novel_engine::CATALOG
    ///     .event("characters.character.created", "1.0.0")
    ///     .unwrap();
    /// assert_eq!(info.name, "CharacterCreated");
    /// assert_eq!(info.aggregate_type, "Character");
    /// assert_eq!(info.publisher, "Characters Service");
    /// ```
    pub fn event(&self, event_type: &str, event_version: &str) -> Option<&'static EventInfo> {
        self.events
            .iter()
            .find(|event| event.event_type == event_type && event.event_version == event_version)
    }

    /// Every version of one eventType, in catalog order.
    pub fn versions<'a>(
        &'a self,
        event_type: &'a str,
    ) -> impl Iterator<Item = &'static EventInfo> + 'a {
        self.events
            .iter()
            .filter(move |event| event.event_type == event_type)
    }

    /// The distinct services, publishers and subscribers, in order of first appearance.
    pub fn services(&self) -> Vec<&'static str> {
        let mut services: Vec<&'static str> = Vec::new();
        for event in self.events {
            let publisher = Some(event.publisher).filter(|publisher| !publisher.is_empty());
            let subscribers = event
                .subscribers
                .iter()
                .map(|subscriber| subscriber.service);
            for service in publisher.into_iter().chain(subscribers) {
                if !services.contains(&service) {
                    services.push(service);
                }
            }
        }
        services
    }
}

/// One version of one event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventInfo {
    /// The event's name in the catalog (`CharacterCreated`).
    pub name: &'static str,
    /// The Rust struct name (`CharacterCreatedV1_0_0` for an older version).
    pub rust_name: &'static str,
    /// The domain (and module) of the event.
    pub domain: &'static str,
    /// `domain.aggregate.action`.
    pub event_type: &'static str,
    /// The payload schema's semantic version.
    pub event_version: &'static str,
    /// Whether this is the newest version in the catalog.
    pub is_latest: bool,
    /// The aggregate type (`Character`).
    pub aggregate_type: &'static str,
    /// Where the aggregate id comes from.
    pub aggregate_id: AggregateIdInfo,
    /// The event's category.
    pub category: EventCategory,
    /// What happened (empty when the catalog says nothing).
    pub description: &'static str,
    /// What causes the event.
    pub triggers: &'static [&'static str],
    /// Who subscribes, and why.
    pub subscribers: &'static [SubscriberInfo],
    /// The service that publishes the event (the catalog's `publisher:`; empty when it names
    /// none).
    pub publisher: &'static str,
    /// The payload's fields.
    pub fields: &'static [FieldInfo],
}

/// Where an event's aggregate id comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateIdInfo {
    /// A uuid field of the payload, by wire name.
    Field(&'static str),
    /// The UUID v5 of a string field in [`AGGREGATE_NAMESPACE`](crate::AGGREGATE_NAMESPACE).
    NameBased(&'static str),
}

impl AggregateIdInfo {
    /// The payload field's wire name.
    pub fn field(&self) -> &'static str {
        match self {
            AggregateIdInfo::Field(field) | AggregateIdInfo::NameBased(field) => field,
        }
    }
}

/// A field of a payload or nested object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldInfo {
    /// The wire name (`personalityTraits`).
    pub name: &'static str,
    /// The field's type.
    pub ty: TypeInfo,
    /// Whether the field may be absent.
    pub optional: bool,
    /// The default value as JSON text, when the catalog declares one.
    pub default: Option<&'static str>,
    /// Inclusive lower bound.
    pub min: Option<f64>,
    /// Inclusive upper bound.
    pub max: Option<f64>,
    /// What the field means (empty when the catalog says nothing).
    pub description: &'static str,
    /// Set when the field is deprecated.
    pub deprecated: Option<DeprecationInfo>,
}

/// A deprecated field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeprecationInfo {
    /// Why, or what to use instead (may be empty).
    pub note: &'static str,
    /// The eventVersion that removes the field.
    pub removal_version: &'static str,
}

/// A field's type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TypeInfo {
    /// A UUID string.
    Uuid,
    /// A string.
    String,
    /// A signed 64-bit integer.
    Integer,
    /// A 64-bit float.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An RFC 3339 timestamp.
    DateTime,
    /// Any JSON object.
    Object,
    /// An array of the item type.
    Array(&'static TypeInfo),
    /// A string enum.
    Enum {
        /// The Rust type name.
        name: &'static str,
        /// The allowed values.
        values: &'static [&'static str],
    },
    /// An object with declared fields (nested or named type).
    Struct {
        /// The Rust type name.
        name: &'static str,
        /// Its fields.
        fields: &'static [FieldInfo],
    },
}
