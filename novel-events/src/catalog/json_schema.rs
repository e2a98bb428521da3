//! JSON Schema (draft 2020-12) export of a catalog's envelopes, built from its metadata.

use serde_json::{Map, Value, json};

use super::info::{CatalogInfo, EventInfo, FieldInfo, TypeInfo};

impl CatalogInfo {
    /// The JSON Schema (draft 2020-12) of a whole envelope carrying this event's payload, or
    /// `None` when the catalog has no such eventType and version.
    ///
    /// The schema pins `eventType`, `eventVersion` and `aggregateType` with `const`, marks uuids
    /// with `format: uuid` and times with `format: date-time`, lists enum values, numeric bounds
    /// and required fields. Extra properties are allowed, as decoding ignores them.
    ///
    /// ```
    /// let schema = novel_events::novel_engine::CATALOG
    ///     .json_schema("characters.character.relationship-formed", "1.0.0")
    ///     .unwrap();
    /// let strength = &schema["properties"]["payload"]["properties"]["relationshipStrength"];
    /// assert_eq!(strength["minimum"], 0.0);
    /// assert_eq!(strength["maximum"], 1.0);
    /// ```
    pub fn json_schema(&self, event_type: &str, event_version: &str) -> Option<Value> {
        self.event(event_type, event_version)
            .map(|event| envelope_schema(self, event))
    }
}

fn uuid() -> Value {
    json!({ "type": "string", "format": "uuid" })
}

fn envelope_schema(catalog: &CatalogInfo, event: &EventInfo) -> Value {
    let mut schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("{} {}", event.name, event.event_version),
        "type": "object",
        "required": [
            "eventId", "eventType", "eventVersion", "aggregateId", "aggregateType", "timestamp",
            "correlationId", "causationId", "payload", "metadata"
        ],
        "properties": {
            "eventId": uuid(),
            "eventType": { "const": event.event_type },
            "eventVersion": { "const": event.event_version },
            "aggregateId": uuid(),
            "aggregateType": { "const": event.aggregate_type },
            "timestamp": { "type": "string", "format": "date-time" },
            "correlationId": uuid(),
            "causationId": uuid(),
            "userId": uuid(),
            "payload": object_schema(event.fields),
            "metadata": {
                "type": "object",
                "required": ["source"],
                "properties": {
                    "source": { "type": "string" },
                    "trace": { "type": "string" },
                    "schema": { "type": "string" }
                }
            }
        }
    });
    if let Value::Object(map) = &mut schema {
        map.insert(
            "$comment".into(),
            Value::String(format!("Catalog {} {}", catalog.name, catalog.version)),
        );
        if !event.description.is_empty() {
            map.insert(
                "description".into(),
                Value::String(event.description.into()),
            );
        }
    }
    schema
}

fn object_schema(fields: &[FieldInfo]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in fields {
        let mut schema = type_schema(&field.ty);
        if let Value::Object(map) = &mut schema {
            if let Some(min) = field.min {
                map.insert("minimum".into(), json!(min));
            }
            if let Some(max) = field.max {
                map.insert("maximum".into(), json!(max));
            }
            if !field.description.is_empty() {
                map.insert(
                    "description".into(),
                    Value::String(field.description.into()),
                );
            }
            if let Some(default) = field
                .default
                .and_then(|text| serde_json::from_str(text).ok())
            {
                map.insert("default".into(), default);
            }
            if field.deprecated.is_some() {
                map.insert("deprecated".into(), Value::Bool(true));
            }
        }
        if field.optional && field.default.is_none() {
            schema = json!({ "anyOf": [schema, { "type": "null" }] });
        }
        if !field.optional {
            required.push(Value::String(field.name.into()));
        }
        properties.insert(field.name.into(), schema);
    }
    json!({ "type": "object", "required": required, "properties": properties })
}

fn type_schema(ty: &TypeInfo) -> Value {
    match ty {
        TypeInfo::Uuid => uuid(),
        TypeInfo::String => json!({ "type": "string" }),
        TypeInfo::Integer => json!({ "type": "integer" }),
        TypeInfo::Number => json!({ "type": "number" }),
        TypeInfo::Boolean => json!({ "type": "boolean" }),
        TypeInfo::DateTime => json!({ "type": "string", "format": "date-time" }),
        TypeInfo::Object => json!({ "type": "object" }),
        TypeInfo::Array(item) => json!({ "type": "array", "items": type_schema(item) }),
        TypeInfo::Enum { values, .. } => json!({ "type": "string", "enum": values }),
        TypeInfo::Struct { fields, .. } => object_schema(fields),
    }
}
