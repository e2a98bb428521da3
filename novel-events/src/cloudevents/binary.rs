//! The binary content mode of the HTTP and NATS bindings: each attribute a `ce-<name>` header
//! (its value percent-encoded), the data the body, `content-type` its media type.

use serde::de::IgnoredAny;

use super::attributes::Received;
use super::error::CloudEventError;
use super::percent;
use crate::codec::Limits;
use crate::codec::strip_position;

/// The prefix of the header of each attribute.
pub const HEADER_PREFIX: &str = "ce-";

/// A CloudEvent in the binary mode: headers and a body, for an HTTP request or response or a
/// NATS message.
///
/// The headers are `ce-<attribute>` for every attribute (values percent-encoded as both
/// bindings require), and `content-type`, the HTTP binding's place of `datacontenttype`
/// (written as `ce-datacontenttype` too, the NATS binding's place, so that one set of
/// headers serves both). Names are lowercase; both bindings match them case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinaryEvent {
    /// The headers, in the order of the mapping's table.
    pub headers: Vec<(String, String)>,
    /// The data: the payload as JSON.
    pub body: Vec<u8>,
}

impl BinaryEvent {
    /// The value of a header (its name matched case-insensitively), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// The binary form of these attributes and this body.
pub(crate) fn write(attributes: Vec<(&'static str, String)>, body: Vec<u8>) -> BinaryEvent {
    let mut headers = Vec::with_capacity(attributes.len() + 1);
    for (name, value) in attributes {
        if name == "datacontenttype" {
            headers.push(("content-type".to_owned(), value.clone()));
        }
        headers.push((
            format!("{HEADER_PREFIX}{name}"),
            percent::encode(&value).into_owned(),
        ));
    }
    BinaryEvent { headers, body }
}

/// The attributes of a binary CloudEvent and whether it has data, its body checked to be one
/// JSON value (which the envelope decoder then reads under the limits). Headers that are not `ce-` nor
/// `content-type` are not the event's; `ce-` headers of other extensions are ignored.
pub(crate) fn read<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    body: &[u8],
    limits: &Limits,
) -> Result<(Received, bool), CloudEventError> {
    let mut received = Received::default();
    let mut content_type: Option<&str> = None;
    let mut size = body.len();
    for (name, value) in headers {
        size += name.len() + value.len();
        if name.eq_ignore_ascii_case("content-type") {
            if let Some(first) = content_type {
                return Err(twice("datacontenttype", first, value));
            }
            content_type = Some(value.trim());
            continue;
        }
        let Some(attribute) = name
            .get(..HEADER_PREFIX.len())
            .filter(|prefix| prefix.eq_ignore_ascii_case(HEADER_PREFIX))
            .map(|_| name[HEADER_PREFIX.len()..].to_ascii_lowercase())
        else {
            continue;
        };
        if !Received::knows(&attribute) {
            continue;
        }
        let value = percent::decode(value).map_err(|message| CloudEventError::Invalid {
            attribute: attribute.clone(),
            message: format!("the header `{name}`: {message}"),
        })?;
        received.set(&attribute, value)?;
    }
    match (content_type, received.get("datacontenttype")) {
        (Some(header), Some(attribute)) if header != attribute => {
            return Err(twice("datacontenttype", attribute, header));
        }
        (Some(header), None) => received.set("datacontenttype", header.to_owned())?,
        _ => {}
    }
    let max = limits.max_envelope_bytes();
    if size > max {
        return Err(CloudEventError::Data {
            path: "data".into(),
            message: format!(
                "the event is {size} bytes (headers and body), more than the limit `max_envelope_bytes` ({max})"
            ),
        });
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok((received, false));
    }
    serde_json::from_slice::<IgnoredAny>(body).map_err(|error| CloudEventError::Data {
        path: "data".into(),
        message: format!("not JSON: {}", strip_position(&error.to_string())),
    })?;
    Ok((received, true))
}

fn twice(attribute: &str, first: &str, second: &str) -> CloudEventError {
    CloudEventError::Duplicate {
        attribute: attribute.to_owned(),
        detail: format!(" (`{first}` and `{second}`)"),
    }
}
