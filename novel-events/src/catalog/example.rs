//! Example payloads and envelopes of a catalog's events, built from their metadata alone: for
//! documentation (the `novel-events docs` site shows one per event version), tests and tools.
//!
//! An example is deterministic (the same metadata always gives the same JSON, so a page or a
//! snapshot does not change from run to run) and valid: it conforms to the event's JSON
//! Schema ([`CatalogInfo::json_schema`](super::CatalogInfo::json_schema)) and decodes as the
//! event, with the generated types or through [`DynamicPayload`](super::DynamicPayload).

use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::info::{AggregateIdInfo, EventInfo, FieldInfo, TypeInfo};
use crate::event::{EventCategory, name_based_aggregate_id};

/// The namespace of the example uuids: a `uuid` field called `characterId` holds
/// `Uuid::new_v5(&EXAMPLE_NAMESPACE, b"characterId")` in every example, so that the examples of
/// several events of one aggregate name the same aggregate.
pub const EXAMPLE_NAMESPACE: Uuid = Uuid::from_u128(0x6f1c_2b7e_4d3a_5e19_8b20_c4f5_a6d7_e8f9);

/// The time of every example: the envelope's `timestamp` and every `datetime` field.
pub const EXAMPLE_TIMESTAMP: &str = "2025-08-26T10:15:00Z";

/// The example envelope's `eventId` (also its `correlationId` and `causationId`: a root event).
const EXAMPLE_EVENT_ID: Uuid = Uuid::from_u128(0x0198_e6a1_7c2f_7a3b_9d4e_5f60_7182_93a4);

/// The example envelope's `userId`.
const EXAMPLE_USER_ID: Uuid = Uuid::from_u128(0x3f2a_9c4e_7b1d_4e8a_9c2f_5d6e_7f8a_9b01);

impl EventInfo {
    /// An example payload of this event version, valid against its schema.
    ///
    /// Every field is present, optional ones included, so the example shows the whole shape.
    /// Each value is chosen from the field's metadata:
    ///
    /// | type | example |
    /// | --- | --- |
    /// | any, with a `default` | the default |
    /// | `uuid` | `Uuid::new_v5(&EXAMPLE_NAMESPACE, <field name>)`: one name, one uuid |
    /// | `string` | `"example <field name>"` |
    /// | `integer` | the middle of `min`..`max` (rounded down), else `max(min, 1)`, `min(max, 1)` or `1` |
    /// | `number` | the middle of `min`..`max`, else `max(min, 0.5)`, `min(max, 0.5)` or `0.5` |
    /// | `boolean` | `true` |
    /// | `datetime` | [`EXAMPLE_TIMESTAMP`] |
    /// | `object` | `{}` |
    /// | enum | its first value |
    /// | array | one example item |
    /// | nested or named object | an example of each of its fields |
    ///
    /// ```
    /// let created = novel_events::novel_engine::CATALOG
    ///     .event("characters.character.created", "1.0.0")
    ///     .unwrap();
    /// let payload = created.example_payload();
    /// assert_eq!(payload["name"], "example name");
    /// assert_eq!(payload["type"], "protagonist");
    /// assert_eq!(payload["personalityTraits"]["openness"], 0.5);
    /// ```
    pub fn example_payload(&self) -> Value {
        example_object(self.fields)
    }

    /// An example envelope of this event version (the Novel Engine specification's Event
    /// Structure), valid against its JSON Schema and decodable as the event.
    ///
    /// Its payload is [`example_payload`](Self::example_payload); its `aggregateId` is the one
    /// the payload carries (the uuid field, or the name-based uuid of the name field); its
    /// ids and time are fixed (a root event: `correlationId` and `causationId` are its
    /// `eventId`); `userId` is present except for `system` events; `metadata.source` is the
    /// publisher, or `example-service` when the catalog names none.
    ///
    /// ```
    /// use novel_events::Envelope;
    /// use novel_events::novel_engine::{AnyEvent, CATALOG};
    ///
    /// let deleted = CATALOG.event("characters.character.deleted", "1.0.0").unwrap();
    /// let json = deleted.example_envelope();
    /// assert_eq!(json["metadata"]["source"], "Characters Service");
    /// let envelope: Envelope<AnyEvent> = serde_json::from_value(json).unwrap();
    /// assert_eq!(envelope.event_type(), "characters.character.deleted");
    /// ```
    pub fn example_envelope(&self) -> Value {
        let payload = self.example_payload();
        let aggregate_id = aggregate_id(self.aggregate_id, &payload);
        let source = if self.publisher.is_empty() {
            "example-service"
        } else {
            self.publisher
        };
        let mut envelope = Map::new();
        envelope.insert("eventId".into(), json!(EXAMPLE_EVENT_ID));
        envelope.insert("eventType".into(), json!(self.event_type));
        envelope.insert("eventVersion".into(), json!(self.event_version));
        envelope.insert("aggregateId".into(), json!(aggregate_id));
        envelope.insert("aggregateType".into(), json!(self.aggregate_type));
        envelope.insert("timestamp".into(), json!(EXAMPLE_TIMESTAMP));
        envelope.insert("correlationId".into(), json!(EXAMPLE_EVENT_ID));
        envelope.insert("causationId".into(), json!(EXAMPLE_EVENT_ID));
        if self.category != EventCategory::System {
            envelope.insert("userId".into(), json!(EXAMPLE_USER_ID));
        }
        envelope.insert("payload".into(), payload);
        envelope.insert("metadata".into(), json!({ "source": source }));
        Value::Object(envelope)
    }
}

/// The aggregate id an example payload carries; an example always has the aggregate's field,
/// so the fallback (the example eventId) is only reached by metadata that validation refuses.
fn aggregate_id(info: AggregateIdInfo, payload: &Value) -> Uuid {
    let value = payload.get(info.field()).and_then(Value::as_str);
    match info {
        AggregateIdInfo::Field(_) => value.and_then(|text| Uuid::parse_str(text).ok()),
        AggregateIdInfo::NameBased(_) => value.map(name_based_aggregate_id),
    }
    .unwrap_or(EXAMPLE_EVENT_ID)
}

fn example_object(fields: &[FieldInfo]) -> Value {
    Value::Object(
        fields
            .iter()
            .map(|field| (field.name.to_owned(), example_field(field)))
            .collect(),
    )
}

fn example_field(field: &FieldInfo) -> Value {
    if let Some(default) = field
        .default
        .and_then(|text| serde_json::from_str::<Value>(text).ok())
    {
        return default;
    }
    match field.ty {
        TypeInfo::Integer => json!(integer_within(field.min, field.max)),
        TypeInfo::Number => json!(number_within(field.min, field.max)),
        ref other => example_type(other, field.name),
    }
}

/// An example of `ty` for a field called `name` (bounds apply to the field, not to items).
fn example_type(ty: &TypeInfo, name: &str) -> Value {
    match ty {
        TypeInfo::Uuid => json!(Uuid::new_v5(&EXAMPLE_NAMESPACE, name.as_bytes())),
        TypeInfo::String => json!(format!("example {name}")),
        TypeInfo::Integer => json!(1),
        TypeInfo::Number => json!(0.5),
        TypeInfo::Boolean => json!(true),
        TypeInfo::DateTime => json!(EXAMPLE_TIMESTAMP),
        TypeInfo::Object => json!({}),
        TypeInfo::Array(item) => json!([example_type(item, name)]),
        TypeInfo::Enum { values, .. } => values.first().map_or(Value::Null, |value| json!(value)),
        TypeInfo::Struct { fields, .. } => example_object(fields),
    }
}

/// An integer within the inclusive bounds (whole numbers, as validation requires).
fn integer_within(min: Option<f64>, max: Option<f64>) -> i64 {
    let value = match (min, max) {
        (Some(min), Some(max)) => ((min + max) / 2.0).floor().clamp(min, max),
        (Some(min), None) => min.max(1.0),
        (None, Some(max)) => max.min(1.0),
        (None, None) => 1.0,
    };
    // `as` saturates at the i64 range: bounds beyond it still give a whole number in range.
    value as i64
}

/// A number within the inclusive bounds.
fn number_within(min: Option<f64>, max: Option<f64>) -> f64 {
    match (min, max) {
        (Some(min), Some(max)) => min / 2.0 + max / 2.0,
        (Some(min), None) => min.max(0.5),
        (None, Some(max)) => max.min(0.5),
        (None, None) => 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_stay_within_their_bounds() {
        assert_eq!(integer_within(Some(0.0), Some(10.0)), 5);
        assert_eq!(integer_within(Some(3.0), Some(4.0)), 3);
        assert_eq!(integer_within(Some(-5.0), Some(-5.0)), -5);
        assert_eq!(integer_within(Some(7.0), None), 7);
        assert_eq!(integer_within(Some(-7.0), None), 1);
        assert_eq!(integer_within(None, Some(-2.0)), -2);
        assert_eq!(integer_within(None, None), 1);
        assert_eq!(
            integer_within(Some(9.0e18), None),
            9_000_000_000_000_000_000
        );
    }

    #[test]
    fn numbers_stay_within_their_bounds() {
        assert_eq!(number_within(Some(0.0), Some(1.0)), 0.5);
        assert_eq!(number_within(Some(2.0), None), 2.0);
        assert_eq!(number_within(None, Some(0.1)), 0.1);
        assert_eq!(number_within(Some(-1e308), Some(1e308)), 0.0);
    }

    #[test]
    fn a_name_based_aggregate_id_is_derived_from_the_name() {
        let payload = json!({ "component": "example component" });
        assert_eq!(
            aggregate_id(AggregateIdInfo::NameBased("component"), &payload),
            name_based_aggregate_id("example component")
        );
    }

    #[cfg(feature = "novel-engine")]
    #[test]
    fn every_novel_engine_example_decodes_as_its_event() {
        use crate::Envelope;
        use crate::novel_engine::{AnyEvent, CATALOG};
        for event in CATALOG.events {
            let json = event.example_envelope();
            let envelope: Envelope<AnyEvent> = serde_json::from_value(json.clone())
                .unwrap_or_else(|error| panic!("{} {}: {error}", event.name, event.event_version));
            assert_eq!(envelope.event_type(), event.event_type);
            assert_eq!(envelope.event_version(), event.event_version);
            assert_eq!(serde_json::to_value(&envelope).unwrap(), json);
            assert_eq!(event.example_envelope(), json, "deterministic");
        }
    }
}
