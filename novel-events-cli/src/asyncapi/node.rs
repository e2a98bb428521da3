//! The document's tree: JSON values whose objects keep their keys in the order they were
//! written, so that the document reads from the top (`asyncapi`, `info`, `servers`,
//! `channels`, `operations`, `components`) in JSON and in YAML alike. (`serde_json::Value`
//! sorts its keys, and turning on its `preserve_order` feature would change every crate's
//! JSON in the workspace.)

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Number, Value};

/// A JSON value with ordered objects.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as `serde_json` holds it.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    List(Vec<Node>),
    /// An object, keys in order.
    Map(Map),
}

/// An object whose keys keep the order they were inserted in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map(Vec<(String, Node)>);

impl Map {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value`: in place when the key is present, else at the end.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Node>) {
        let key = key.into();
        let value = value.into();
        match self.0.iter_mut().find(|(existing, _)| *existing == key) {
            Some((_, slot)) => *slot = value,
            None => self.0.push((key, value)),
        }
    }

    /// This object with `key` set to `value` (see [`insert`](Self::insert)).
    #[must_use]
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Node>) -> Self {
        self.insert(key, value);
        self
    }

    /// This object with `key` set to `value` when there is one.
    #[must_use]
    pub fn with_some(self, key: impl Into<String>, value: Option<impl Into<Node>>) -> Self {
        match value {
            Some(value) => self.with(key, value),
            None => self,
        }
    }

    /// This object with `key` set to `text` unless `text` is empty (the catalog's "none").
    #[must_use]
    pub fn with_text(self, key: impl Into<String>, text: &str) -> Self {
        self.with_some(key, Some(text).filter(|text| !text.is_empty()))
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.0
            .iter()
            .find(|(existing, _)| existing == key)
            .map(|(_, value)| value)
    }

    /// The entries, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.0.iter().map(|(key, value)| (key.as_str(), value))
    }

    /// How many entries the object has.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the object has no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Node {
    /// A Reference Object: `{ "$ref": "#/<segments, escaped and joined by />" }`.
    pub fn reference(segments: &[&str]) -> Node {
        let mut pointer = String::from("#");
        for segment in segments {
            pointer.push('/');
            pointer.push_str(&segment.replace('~', "~0").replace('/', "~1"));
        }
        Map::new().with("$ref", pointer).into()
    }

    /// The object this node is, if it is one.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Node::Map(map) => Some(map),
            _ => None,
        }
    }
}

impl From<Map> for Node {
    fn from(map: Map) -> Self {
        Node::Map(map)
    }
}

impl From<&str> for Node {
    fn from(text: &str) -> Self {
        Node::String(text.to_owned())
    }
}

impl From<String> for Node {
    fn from(text: String) -> Self {
        Node::String(text)
    }
}

impl From<bool> for Node {
    fn from(value: bool) -> Self {
        Node::Bool(value)
    }
}

impl From<Vec<Node>> for Node {
    fn from(items: Vec<Node>) -> Self {
        Node::List(items)
    }
}

/// A `serde_json` value, its objects in `serde_json`'s (sorted) key order.
impl From<Value> for Node {
    fn from(value: Value) -> Self {
        match value {
            Value::Null => Node::Null,
            Value::Bool(value) => Node::Bool(value),
            Value::Number(number) => Node::Number(number),
            Value::String(text) => Node::String(text),
            Value::Array(items) => Node::List(items.into_iter().map(Node::from).collect()),
            Value::Object(object) => Node::Map(Map(object
                .into_iter()
                .map(|(key, value)| (key, Node::from(value)))
                .collect())),
        }
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(value) => serializer.serialize_bool(*value),
            Node::Number(number) => number.serialize(serializer),
            Node::String(text) => serializer.serialize_str(text),
            Node::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Map(map) => {
                let mut object = serializer.serialize_map(Some(map.len()))?;
                for (key, value) in map.iter() {
                    object.serialize_entry(key, value)?;
                }
                object.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_order_and_insert_replaces_in_place() {
        let map = Map::new()
            .with("zeta", "z")
            .with("alpha", true)
            .with("zeta", "again")
            .with_text("empty", "")
            .with_some("absent", None::<&str>);
        let json = serde_json::to_string(&Node::from(map)).unwrap();
        assert_eq!(json, r#"{"zeta":"again","alpha":true}"#);
    }

    #[test]
    fn references_escape_their_segments() {
        let node = Node::reference(&["channels", "a/b~c", "messages"]);
        assert_eq!(
            serde_json::to_string(&node).unwrap(),
            r##"{"$ref":"#/channels/a~1b~0c/messages"}"##
        );
    }
}
