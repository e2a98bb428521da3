//! The example envelope of an event page ([`EventInfo::example_envelope`]), printed with its
//! keys in wire order (the envelope's keys as the Novel Engine specification lists them, a
//! payload's fields as the catalog declares them) rather than sorted.

use std::fmt::Write as _;

use novel_events::{EventInfo, FieldInfo, TypeInfo};
use serde_json::Value;

/// The envelope's keys, in the order the envelope writes them.
const ENVELOPE: [&str; 11] = [
    "eventId",
    "eventType",
    "eventVersion",
    "aggregateId",
    "aggregateType",
    "timestamp",
    "correlationId",
    "causationId",
    "userId",
    "payload",
    "metadata",
];

/// The example envelope of `event` as indented JSON.
pub(super) fn envelope_text(event: &EventInfo) -> String {
    let envelope = event.example_envelope();
    let mut text = String::new();
    let Value::Object(map) = &envelope else {
        return envelope.to_string();
    };
    text.push_str("{\n");
    let keys: Vec<&str> = ENVELOPE
        .iter()
        .copied()
        .filter(|key| map.contains_key(*key))
        .chain(
            map.keys()
                .map(String::as_str)
                .filter(|key| !ENVELOPE.contains(key)),
        )
        .collect();
    for (index, key) in keys.iter().enumerate() {
        let _ = write!(text, "  {}: ", Value::from(*key));
        let fields = if *key == "payload" { event.fields } else { &[] };
        value(&mut text, &map[*key], fields, 1);
        text.push_str(if index + 1 < keys.len() { ",\n" } else { "\n" });
    }
    text.push('}');
    text
}

/// `value`, an object's keys in the order of `fields` (other keys after them).
fn value(text: &mut String, value: &Value, fields: &[FieldInfo], depth: usize) {
    let indent = "  ".repeat(depth + 1);
    match value {
        Value::Object(map) if !map.is_empty() => {
            let keys: Vec<(&str, Option<&FieldInfo>)> = fields
                .iter()
                .filter(|field| map.contains_key(field.name))
                .map(|field| (field.name, Some(field)))
                .chain(
                    map.keys()
                        .filter(|key| !fields.iter().any(|field| field.name == *key))
                        .map(|key| (key.as_str(), None)),
                )
                .collect();
            text.push_str("{\n");
            for (index, (key, field)) in keys.iter().enumerate() {
                let _ = write!(text, "{indent}{}: ", Value::from(*key));
                let nested = field.map_or(&[][..], |field| fields_of(&field.ty));
                self::value(text, &map[*key], nested, depth + 1);
                text.push_str(if index + 1 < keys.len() { ",\n" } else { "\n" });
            }
            let _ = write!(text, "{}}}", "  ".repeat(depth));
        }
        Value::Array(items) if !items.is_empty() => {
            text.push_str("[\n");
            for (index, item) in items.iter().enumerate() {
                text.push_str(&indent);
                self::value(text, item, fields, depth + 1);
                text.push_str(if index + 1 < items.len() { ",\n" } else { "\n" });
            }
            let _ = write!(text, "{}]", "  ".repeat(depth));
        }
        other => text.push_str(&other.to_string()),
    }
}

/// The fields of an object type, or of the objects an array holds.
fn fields_of(ty: &TypeInfo) -> &'static [FieldInfo] {
    match ty {
        TypeInfo::Struct { fields, .. } => fields,
        TypeInfo::Array(item) => fields_of(item),
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_wire_and_the_catalog() {
        let event = novel_events::novel_engine::CATALOG
            .event("characters.character.created", "1.0.0")
            .unwrap();
        let text = envelope_text(event);
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, event.example_envelope());
        let at = |key: &str| text.find(&format!("\"{key}\":")).unwrap();
        assert!(
            at("eventId") < at("eventType") && at("userId") < at("payload"),
            "{text}"
        );
        assert!(
            at("characterId") < at("name") && at("openness") < at("neuroticism"),
            "{text}"
        );
    }
}
