//! A JSON tree that keeps what a mutation needs and `serde_json::Value` cannot hold: the order
//! of keys, duplicate keys, and scalars as raw text (`1e400`, `-0`, `"\ud800"`).

/// A JSON value; scalars and keys are raw JSON text.
#[derive(Clone)]
pub enum Json {
    /// A number, string, `true`, `false` or `null`, as written.
    Raw(String),
    /// An array.
    Array(Vec<Json>),
    /// An object: keys (raw, with their quotes) and values, in order, duplicates allowed.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The tree of a parsed value.
    pub fn from_value(value: &serde_json::Value) -> Self {
        match value {
            serde_json::Value::Array(items) => {
                Json::Array(items.iter().map(Json::from_value).collect())
            }
            serde_json::Value::Object(map) => Json::Object(
                map.iter()
                    .map(|(key, value)| (quote(key), Json::from_value(value)))
                    .collect(),
            ),
            scalar => Json::Raw(scalar.to_string()),
        }
    }

    /// The text of the tree, compact.
    pub fn render(&self, out: &mut String) {
        match self {
            Json::Raw(text) => out.push_str(text),
            Json::Array(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    item.render(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (index, (key, value)) in members.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    out.push_str(key);
                    out.push(':');
                    value.render(out);
                }
                out.push('}');
            }
        }
    }

    /// The number of values in the tree (this one included).
    pub fn count(&self) -> usize {
        1 + match self {
            Json::Raw(_) => 0,
            Json::Array(items) => items.iter().map(Json::count).sum(),
            Json::Object(members) => members.iter().map(|(_, value)| value.count()).sum(),
        }
    }

    /// The `index`-th value in pre-order (0 is this one), if the tree has that many.
    pub fn nth_mut(&mut self, index: usize) -> Option<&mut Json> {
        let mut rest = index;
        self.find(&mut rest)
    }

    fn find(&mut self, rest: &mut usize) -> Option<&mut Json> {
        if *rest == 0 {
            return Some(self);
        }
        *rest -= 1;
        match self {
            Json::Raw(_) => None,
            Json::Array(items) => items.iter_mut().find_map(|item| item.find(rest)),
            Json::Object(members) => members.iter_mut().find_map(|(_, value)| value.find(rest)),
        }
    }
}

/// `text` as a JSON string, quotes included.
pub fn quote(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}
