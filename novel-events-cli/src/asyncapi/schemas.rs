//! `components/schemas`: the body of each event version's messages (its envelope, or its
//! payload alone in the `cloudevents-binary` encoding), and the headers of every event message.
//!
//! An envelope's schema is the runtime's own export ([`CatalogInfo::json_schema`], the one the
//! `schema` command writes), without its `$schema`: the AsyncAPI Schema is JSON Schema draft 07
//! with a few keywords more, and every keyword the export uses (`type`, `properties`,
//! `required`, `const`, `enum`, `format`, `minimum`, `maximum`, `anyOf`, `items`, `default`,
//! `deprecated`, `title`, `description`, `$comment`) means the same there as in draft 2020-12.

use novel_events::{CatalogInfo, EventInfo};
use serde_json::{Value, json};

use super::node::{Map, Node};

/// The id of the headers schema every event message shares.
pub(super) const HEADERS: &str = "EventHeaders";

/// The id of the schema of an event version's message body (its envelope, or its payload
/// alone in the `cloudevents-binary` encoding): `<eventType>.v<eventVersion>`, as its
/// message's (see [`version_id`](super::version_id)).
pub(super) fn body_id(event: &EventInfo) -> String {
    super::version_id(event)
}

/// The envelope schema of `event`.
pub(super) fn envelope(catalog: &CatalogInfo, event: &EventInfo) -> Option<Node> {
    let mut schema = catalog.json_schema(event.event_type, event.event_version)?;
    if let Value::Object(map) = &mut schema {
        map.remove("$schema");
    }
    Some(schema_node(schema))
}

/// The payload schema of `event`: the `payload` property of its envelope schema, as the
/// runtime exports it.
pub(super) fn payload(catalog: &CatalogInfo, event: &EventInfo) -> Option<Node> {
    let mut schema = catalog.json_schema(event.event_type, event.event_version)?;
    let payload = schema.pointer_mut("/properties/payload")?.take();
    Some(schema_node(payload))
}

/// The order a schema's keywords are written in: what it is first, then its constraints, then
/// its parts (any other keyword after these, in `serde_json`'s order).
const KEYWORDS: [&str; 23] = [
    "$ref",
    "$comment",
    "title",
    "description",
    "type",
    "format",
    "const",
    "enum",
    "pattern",
    "minLength",
    "minimum",
    "maximum",
    "default",
    "deprecated",
    "items",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "required",
    "properties",
    "additionalProperties",
    "patternProperties",
];

/// A JSON Schema as a tree, its keywords in [`KEYWORDS`] order and its properties in the
/// order of its `required` list (the envelope's order, then the catalog's order of the
/// payload's fields), the optional ones after them, at every level.
pub(super) fn schema_node(schema: Value) -> Node {
    let Value::Object(mut object) = schema else {
        return Node::from(schema);
    };
    let properties = match object.remove("properties") {
        Some(Value::Object(mut properties)) => {
            let mut ordered = Map::new();
            if let Some(Value::Array(required)) = object.get("required") {
                for name in required.iter().filter_map(Value::as_str) {
                    if let Some(schema) = properties.remove(name) {
                        ordered.insert(name, schema_node(schema));
                    }
                }
            }
            for (name, schema) in properties {
                ordered.insert(name, schema_node(schema));
            }
            Some(Node::from(ordered))
        }
        other => other.map(Node::from),
    };
    let mut map = Map::new();
    for keyword in KEYWORDS {
        if keyword == "properties" {
            map = map.with_some(keyword, properties.clone());
        } else if let Some(value) = object.remove(keyword) {
            map.insert(keyword, part(keyword, value));
        }
    }
    for (key, value) in object {
        let node = part(&key, value);
        map.insert(key, node);
    }
    map.into()
}

/// The value of a schema's keyword `key`: subschemas as schemas, anything else as it is.
fn part(key: &str, value: Value) -> Node {
    match (key, value) {
        ("items" | "not" | "additionalProperties", value) => schema_node(value),
        ("allOf" | "anyOf" | "oneOf", Value::Array(items)) => {
            Node::List(items.into_iter().map(schema_node).collect())
        }
        ("properties" | "patternProperties", Value::Object(properties)) => {
            let mut named = Map::new();
            for (name, schema) in properties {
                named.insert(name, schema_node(schema));
            }
            named.into()
        }
        (_, value) => Node::from(value),
    }
}

/// The pattern of a W3C `traceparent` as the runtime writes one.
pub(super) const TRACEPARENT_PATTERN: &str = "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$";

/// The headers the bus sets on every event message (`novel-events-nats`'s `headers.rs`), as
/// a JSON Schema.
fn bus_headers() -> Value {
    let uuid = |description: &str| json!({ "type": "string", "format": "uuid", "description": description });
    json!({
        "type": "object",
        "description": "The NATS headers the JetStream bus sets on every event message. The body (the envelope) is the source of truth; the headers repeat what tools and filters need without parsing it.",
        "required": [
            "Nats-Msg-Id", "Novel-Event-Type", "Novel-Event-Version",
            "Novel-Correlation-Id", "Novel-Causation-Id"
        ],
        "properties": {
            "Nats-Msg-Id": uuid("The eventId: JetStream keeps one copy of an eventId published again within the stream's duplicate window."),
            "Novel-Event-Type": { "type": "string", "description": "The eventType, as in the envelope." },
            "Novel-Event-Version": { "type": "string", "description": "The eventVersion, as in the envelope." },
            "Novel-Correlation-Id": uuid("The correlationId, as in the envelope."),
            "Novel-Causation-Id": uuid("The causationId, as in the envelope."),
            "traceparent": {
                "type": "string",
                "pattern": TRACEPARENT_PATTERN,
                "description": "The W3C trace context of the envelope's metadata.trace, present when that is one."
            }
        }
    })
}

/// The headers the bus sets on every event message in the `envelope` encoding.
pub(super) fn headers() -> Node {
    schema_node(bus_headers())
}

/// The headers of one event version's messages in the `envelope` encoding: the shared
/// headers, with the eventType and eventVersion pinned.
pub(super) fn headers_of(event: &EventInfo) -> Node {
    pinned(
        HEADERS,
        &[
            ("Novel-Event-Type", event.event_type),
            ("Novel-Event-Version", event.event_version),
        ],
    )
}

/// The shared headers schema `shared` (an id in `components/schemas`), with each header of
/// `pins` pinned to its value (`const`), in that order.
pub(super) fn pinned(shared: &str, pins: &[(&str, &str)]) -> Node {
    let mut properties = Map::new();
    for (name, value) in pins {
        properties.insert(*name, Map::new().with("const", *value));
    }
    Map::new()
        .with(
            "allOf",
            vec![
                Node::reference(&["components", "schemas", shared]),
                Map::new()
                    .with("type", "object")
                    .with("properties", properties)
                    .into(),
            ],
        )
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_first_then_properties_in_required_order_then_the_optional_ones() {
        let node = schema_node(json!({
            "properties": {
                "a": { "type": "string" },
                "note": { "anyOf": [{ "type": "string" }, { "type": "null" }] },
                "z": { "type": "object", "properties": { "y": {}, "x": {} }, "required": ["x"] }
            },
            "required": ["z", "a"],
            "type": "object",
            "title": "T"
        }));
        let json = serde_json::to_string(&node).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"title":"T","type":"object","required":["z","a"],"properties":{"#,
                r#""z":{"type":"object","required":["x"],"properties":{"x":{},"y":{}}},"#,
                r#""a":{"type":"string"},"#,
                r#""note":{"anyOf":[{"type":"string"},{"type":"null"}]}}}"#
            )
        );
    }
}
