//! The structured content mode: the whole event as one JSON object of the JSON event format
//! (`application/cloudevents+json`), the attributes as members and the payload as `data`.

use serde::Deserialize;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::attributes::Received;
use super::error::CloudEventError;
use crate::codec::Limits;
use crate::codec::guard::{Guard, GuardState};
use crate::codec::strip_position;

/// The media type of the JSON event format, the `content-type` of a structured message.
pub const CONTENT_TYPE: &str = "application/cloudevents+json";

/// The attributes, then the payload as `data`.
struct Event<'a, P> {
    attributes: &'a [(&'static str, String)],
    payload: &'a P,
}

impl<P: Serialize> Serialize for Event<'_, P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.attributes.len() + 1))?;
        for (name, value) in self.attributes {
            map.serialize_entry(name, value)?;
        }
        map.serialize_entry("data", self.payload)?;
        map.end()
    }
}

/// The JSON of a CloudEvent with these attributes and this payload.
pub(crate) fn write<P: Serialize>(
    attributes: &[(&'static str, String)],
    payload: &P,
) -> Result<Vec<u8>, CloudEventError> {
    serde_json::to_vec(&Event {
        attributes,
        payload,
    })
    .map_err(|error| CloudEventError::Unrepresentable {
        attribute: "data",
        message: error.to_string(),
    })
}

/// The attributes and the data (JSON text), if any, of a structured CloudEvent, read under `limits`
/// (the size first, then every value as the envelope decoder checks it: no key twice, the
/// nesting, the strings, finite numbers).
pub(crate) fn read(
    json: &[u8],
    limits: &Limits,
) -> Result<(Received, Option<Vec<u8>>), CloudEventError> {
    let max = limits.max_envelope_bytes();
    if json.len() > max {
        return Err(CloudEventError::Format {
            message: format!(
                "the event is {} bytes, more than the limit `max_envelope_bytes` ({max})",
                json.len()
            ),
        });
    }
    let format = |message: String| CloudEventError::Format { message };
    let state = GuardState::new(*limits);
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let members = serde_json::Map::<String, Value>::deserialize(Guard {
        inner: &mut deserializer,
        state: &state,
        depth: 0,
    });
    let members = match (members, state.violation()) {
        (_, Some(violation)) => return Err(format(violation)),
        (Err(error), None) => return Err(format(strip_position(&error.to_string()))),
        (Ok(members), None) => members,
    };
    deserializer
        .end()
        .map_err(|error| format(strip_position(&error.to_string())))?;
    let mut received = Received::default();
    let mut data = None;
    for (name, value) in members {
        match (name.as_str(), value) {
            ("data", value) => data = Some(value),
            ("data_base64", _) => {
                return Err(CloudEventError::Invalid {
                    attribute: "data_base64".into(),
                    message: "the data of an event is its payload as JSON: expected it in `data`, not base64-encoded".into(),
                });
            }
            (name, Value::String(value)) => received.set(name, value)?,
            (name, other) if Received::knows(name) => {
                return Err(CloudEventError::Invalid {
                    attribute: name.to_owned(),
                    message: format!(
                        "expected a string, found {}",
                        crate::codec::shorten(&other.to_string())
                    ),
                });
            }
            // Another extension: not the mapping's, ignored as unknown envelope keys are.
            _ => {}
        }
    }
    let data = data
        .map(|data| serde_json::to_vec(&data))
        .transpose()
        .map_err(|error| CloudEventError::Data {
            path: "data".into(),
            message: error.to_string(),
        })?;
    Ok((received, data))
}
