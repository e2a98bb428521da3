//! Strict decoding: each rule of the crate documentation ("Decoding rules"), checked by breaking
//! a hand-written fixture and reading the error, which must name the field's path. Also what
//! decoding tolerates: unknown fields, any key order, an absent or null `userId`.

use novel_events::novel_engine::characters::{CharacterRelationshipFormed, RelationshipType};
use novel_events::novel_engine::narratives::{self, Genre};
use novel_events::novel_engine::shared::SystemHealthChanged;
use novel_events::novel_engine::{AnyEvent, CATALOG, HealthStatus, characters};
use novel_events::{Envelope, EventPayload};
use novel_events_tests::{novel_engine_fixture, novel_engine_fixtures};
use serde_json::{Value, json};
use uuid::Uuid;

/// The fixture `name` after `edit`.
fn broken(name: &str, edit: impl FnOnce(&mut Value)) -> Value {
    let mut value = novel_engine_fixture(name);
    edit(&mut value);
    value
}

/// The error of decoding `value` as `Envelope<T>`, from JSON text and from a parsed `Value`;
/// both must fail and, once serde_json's position is removed, say the same thing.
fn error_as<T: EventPayload + std::fmt::Debug>(value: &Value) -> String
where
    Envelope<T>: serde::de::DeserializeOwned,
{
    let text = serde_json::to_string(value).unwrap();
    let from_text = match serde_json::from_str::<Envelope<T>>(&text) {
        Ok(envelope) => panic!("decoded, expected an error: {envelope:?}"),
        Err(error) => error.to_string(),
    };
    let from_value = match serde_json::from_value::<Envelope<T>>(value.clone()) {
        Ok(envelope) => panic!("decoded from a Value, expected an error: {envelope:?}"),
        Err(error) => error.to_string(),
    };
    let (message, position) = from_text
        .rsplit_once(" at line ")
        .unwrap_or_else(|| panic!("no position in {from_text:?}"));
    assert!(
        position.split(" column ").count() == 2,
        "one position at the end: {from_text}"
    );
    assert!(
        !message.contains(" at line "),
        "the position appears twice: {from_text}"
    );
    assert_eq!(message, from_value, "text and Value decoding disagree");
    from_value
}

/// The error of decoding `value` as `Envelope<AnyEvent>`.
fn error(value: &Value) -> String {
    error_as::<AnyEvent>(value)
}

fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(
            message.contains(part),
            "the error does not mention {part:?}: {message}"
        );
    }
}

fn remove(value: &mut Value, key: &str) {
    value
        .as_object_mut()
        .unwrap()
        .remove(key)
        .unwrap_or_else(|| panic!("no key {key}"));
}

/// `value` as JSON text with its keys in the order given (the other keys after them).
fn text_in_order(value: &Value, first: &[&str]) -> String {
    let object = value.as_object().unwrap();
    let mut parts: Vec<String> = first
        .iter()
        .map(|key| format!("{}:{}", json!(key), object[*key]))
        .collect();
    parts.extend(
        object
            .iter()
            .filter(|(key, _)| !first.contains(&key.as_str()))
            .map(|(key, value)| format!("{}:{value}", json!(key))),
    );
    format!("{{{}}}", parts.join(","))
}

mod duplicate_keys;
mod enums;
mod event_header;
mod json_types;
mod missing_fields;
mod numbers;
mod objects;
mod tolerated;
mod uuids_and_datetimes;
mod validate_in_rust;
