//! The attributes that carry an envelope: their names, the values written from an envelope,
//! and the envelope JSON assembled from the values read.

use chrono::{DateTime, Datelike, SecondsFormat, Utc};
use uuid::Uuid;

use super::error::CloudEventError;
use crate::context::TraceContext;
use crate::envelope::Envelope;
use crate::event::EventPayload;

/// The only `specversion` the mapping writes and reads.
pub const SPEC_VERSION: &str = "1.0";
/// The `datacontenttype` the mapping writes: the data is the payload as JSON.
pub const DATA_CONTENT_TYPE: &str = "application/json";

/// Every attribute the mapping writes or reads, in the order it writes them, with what it
/// carries (the words of [`CloudEventError::Missing`]).
const ATTRIBUTES: [(&str, &str); 16] = [
    ("specversion", "the CloudEvents version, `1.0`"),
    ("id", "the envelope's eventId"),
    ("source", "the envelope's metadata.source"),
    ("type", "the envelope's eventType"),
    ("subject", "the envelope's aggregateId"),
    ("time", "the envelope's timestamp"),
    ("datacontenttype", "`application/json`"),
    (
        "dataschema",
        "the registry `$id` of the event version's JSON Schema",
    ),
    ("eventversion", "the envelope's eventVersion"),
    ("aggregatetype", "the envelope's aggregateType"),
    ("correlationid", "the envelope's correlationId"),
    ("causationid", "the envelope's causationId"),
    ("userid", "the envelope's userId"),
    (
        "traceparent",
        "the envelope's metadata.trace, when a W3C trace context",
    ),
    (
        "trace",
        "the envelope's metadata.trace, when not a W3C trace context",
    ),
    ("schema", "the envelope's metadata.schema"),
];

/// What an attribute (or `data`) carries, for error messages.
pub(crate) fn meaning(attribute: &str) -> &'static str {
    if attribute == "data" {
        return "the envelope's payload";
    }
    ATTRIBUTES
        .iter()
        .find(|(name, _)| *name == attribute)
        .map_or("an attribute of the mapping", |(_, meaning)| meaning)
}

/// The index of a known attribute in [`ATTRIBUTES`].
fn index_of(attribute: &str) -> Option<usize> {
    ATTRIBUTES.iter().position(|(name, _)| *name == attribute)
}

/// The attributes of an envelope, in the order they are written; `datacontenttype` is
/// included (the binary mode writes it as `content-type` as well).
pub(crate) fn write<P: EventPayload>(
    envelope: &Envelope<P>,
    dataschema: String,
) -> Result<Vec<(&'static str, String)>, CloudEventError> {
    if envelope.metadata.source.is_empty() {
        return Err(CloudEventError::Unrepresentable {
            attribute: "source",
            message: "metadata.source is empty, and a CloudEvent's source must not be".into(),
        });
    }
    if !(0..=9999).contains(&envelope.timestamp.year()) {
        return Err(CloudEventError::Unrepresentable {
            attribute: "time",
            message: format!(
                "the timestamp {:?} is outside the years 0 to 9999 that RFC 3339 can write",
                envelope.timestamp
            ),
        });
    }
    let mut attributes = vec![
        ("specversion", SPEC_VERSION.to_owned()),
        ("id", envelope.event_id.to_string()),
        ("source", envelope.metadata.source.clone()),
        ("type", envelope.event_type().to_owned()),
        ("subject", envelope.aggregate_id.to_string()),
        (
            "time",
            envelope
                .timestamp
                .to_rfc3339_opts(SecondsFormat::AutoSi, true),
        ),
        ("datacontenttype", DATA_CONTENT_TYPE.to_owned()),
        ("dataschema", dataschema),
        ("eventversion", envelope.event_version().to_owned()),
        ("aggregatetype", envelope.aggregate_type().to_owned()),
        ("correlationid", envelope.correlation_id.to_string()),
        ("causationid", envelope.causation_id.to_string()),
    ];
    if let Some(user_id) = envelope.user_id {
        attributes.push(("userid", user_id.to_string()));
    }
    if let Some(trace) = &envelope.metadata.trace {
        attributes.push((trace_attribute(trace), trace.clone()));
    }
    if let Some(schema) = &envelope.metadata.schema {
        attributes.push(("schema", schema.clone()));
    }
    Ok(attributes)
}

/// `traceparent` for a trace that is a W3C trace context written as the runtime writes one
/// (so that reading it gives back the same text), `trace` for any other.
fn trace_attribute(trace: &str) -> &'static str {
    match trace.parse::<TraceContext>() {
        Ok(context) if context.to_string() == trace => "traceparent",
        _ => "trace",
    }
}

/// The attributes read from a CloudEvent, before they are checked. Attributes the mapping
/// does not know (other extensions) are not kept.
#[derive(Debug, Default)]
pub(crate) struct Received {
    values: [Option<String>; ATTRIBUTES.len()],
}

/// An envelope's JSON assembled from a CloudEvent, with the eventType and eventVersion it
/// names.
pub(crate) struct Assembled {
    pub(crate) json: Vec<u8>,
    pub(crate) event_type: String,
    pub(crate) event_version: String,
}

impl Received {
    /// Whether `attribute` is one the mapping reads.
    pub(crate) fn knows(attribute: &str) -> bool {
        index_of(attribute).is_some()
    }

    /// Records an attribute's value; an attribute the mapping does not know is ignored.
    pub(crate) fn set(&mut self, attribute: &str, value: String) -> Result<(), CloudEventError> {
        let Some(index) = index_of(attribute) else {
            return Ok(());
        };
        match &self.values[index] {
            Some(first) => Err(CloudEventError::Duplicate {
                attribute: attribute.to_owned(),
                detail: if *first == value {
                    String::new()
                } else {
                    format!(" (`{first}` and `{value}`)")
                },
            }),
            None => {
                self.values[index] = Some(value);
                Ok(())
            }
        }
    }

    /// The value of a known attribute, if given.
    pub(crate) fn get(&self, attribute: &str) -> Option<&str> {
        index_of(attribute).and_then(|index| self.values[index].as_deref())
    }

    fn take(&mut self, attribute: &'static str) -> Option<String> {
        index_of(attribute).and_then(|index| self.values[index].take())
    }

    fn required(&mut self, attribute: &'static str) -> Result<String, CloudEventError> {
        self.take(attribute)
            .ok_or(CloudEventError::Missing { attribute })
    }

    /// Checks the attributes and writes the envelope they carry around `data` (one JSON
    /// value, already checked to be one; `None` when the event has none, refused once the
    /// attributes are found right).
    pub(crate) fn assemble(mut self, data: Option<&[u8]>) -> Result<Assembled, CloudEventError> {
        let specversion = self.required("specversion")?;
        if specversion != SPEC_VERSION {
            return Err(CloudEventError::SpecVersion { found: specversion });
        }
        let id = self.required("id")?;
        let source = self.required("source")?;
        let event_type = self.required("type")?;
        let subject = self.required("subject")?;
        let time = self.required("time")?;
        let event_version = self.required("eventversion")?;
        let aggregate_type = self.required("aggregatetype")?;
        if let Some(found) = self.take("datacontenttype") {
            check_content_type(&found)?;
        }
        let event_id = uuid("id", &id)?;
        let aggregate_id = uuid("subject", &subject)?;
        for (attribute, value) in [("source", &source), ("type", &event_type)] {
            if value.is_empty() {
                return Err(invalid(attribute, "must not be empty".into()));
            }
        }
        if event_version.is_empty() {
            return Err(invalid("eventversion", "must not be empty".into()));
        }
        let timestamp = DateTime::parse_from_rfc3339(&time)
            .map_err(|error| {
                invalid(
                    "time",
                    format!("expected an RFC 3339 timestamp (`2025-08-26T10:15:00Z`), found `{time}` ({error})"),
                )
            })?
            .with_timezone(&Utc);
        let correlation_id = self
            .take("correlationid")
            .map(|value| uuid("correlationid", &value))
            .transpose()?
            .unwrap_or(event_id);
        let causation_id = self
            .take("causationid")
            .map(|value| uuid("causationid", &value))
            .transpose()?
            .unwrap_or(event_id);
        let user_id = self
            .take("userid")
            .map(|value| uuid("userid", &value))
            .transpose()?;
        let trace = match (self.take("traceparent"), self.take("trace")) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "trace",
                    "given with `traceparent`: the envelope holds one trace".into(),
                ));
            }
            (Some(traceparent), None) => {
                if let Err(error) = traceparent.parse::<TraceContext>() {
                    return Err(invalid("traceparent", error.to_string()));
                }
                Some(traceparent)
            }
            (None, trace) => trace,
        };
        let schema = self.take("schema");
        let data = data.ok_or(CloudEventError::Missing { attribute: "data" })?;

        let mut json = Vec::with_capacity(data.len() + 512);
        let mut entry = |key: &str, value: &[u8]| {
            json.push(if json.is_empty() { b'{' } else { b',' });
            json.push(b'"');
            json.extend_from_slice(key.as_bytes());
            json.extend_from_slice(b"\":");
            json.extend_from_slice(value);
        };
        entry("eventId", &to_json(&event_id));
        entry("eventType", &to_json(&event_type));
        entry("eventVersion", &to_json(&event_version));
        entry("aggregateId", &to_json(&aggregate_id));
        entry("aggregateType", &to_json(&aggregate_type));
        entry("timestamp", &to_json(&timestamp));
        entry("correlationId", &to_json(&correlation_id));
        entry("causationId", &to_json(&causation_id));
        if let Some(user_id) = &user_id {
            entry("userId", &to_json(user_id));
        }
        entry("payload", data);
        let mut metadata = serde_json::Map::new();
        metadata.insert("source".into(), source.into());
        if let Some(trace) = trace {
            metadata.insert("trace".into(), trace.into());
        }
        if let Some(schema) = schema {
            metadata.insert("schema".into(), schema.into());
        }
        entry("metadata", &to_json(&metadata));
        json.push(b'}');
        Ok(Assembled {
            json,
            event_type,
            event_version,
        })
    }
}

/// A value of the assembled envelope as JSON: strings, uuids, a timestamp and a map of
/// strings, which serialize without fail.
fn to_json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

fn invalid(attribute: &str, message: String) -> CloudEventError {
    CloudEventError::Invalid {
        attribute: attribute.to_owned(),
        message,
    }
}

fn uuid(attribute: &str, value: &str) -> Result<Uuid, CloudEventError> {
    Uuid::parse_str(value).map_err(|_| {
        invalid(
            attribute,
            format!(
                "expected a UUID ({}), found `{}`",
                meaning(attribute),
                crate::codec::shorten(value)
            ),
        )
    })
}

/// Refuses a content type that is not `application/json` (parameters allowed, a `charset`
/// only `utf-8`).
pub(crate) fn check_content_type(found: &str) -> Result<(), CloudEventError> {
    let mut parts = found.split(';');
    let media = parts.next().unwrap_or_default().trim();
    let charset_ok = parts.all(|parameter| match parameter.split_once('=') {
        Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
            value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
        }
        _ => true,
    });
    if media.eq_ignore_ascii_case(DATA_CONTENT_TYPE) && charset_ok {
        Ok(())
    } else {
        Err(CloudEventError::ContentType {
            found: found.to_owned(),
        })
    }
}
