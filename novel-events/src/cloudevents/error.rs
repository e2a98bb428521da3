//! The errors of the CloudEvents mapping, each naming the attribute it is about.

use super::attributes::meaning;

/// Why a CloudEvent could not be read into an envelope, or an envelope written as one.
///
/// Every variant names the CloudEvents attribute at fault ([`attribute`](Self::attribute)),
/// and the message says what was expected:
///
/// ```
/// use novel_events::cloudevents::{CloudEventError, CloudEvents};
/// use novel_events::novel_engine::AnyEvent;
///
/// let mapping = CloudEvents::new("novel-engine");
/// let json = br#"{"specversion": "0.3", "id": "1", "source": "s", "type": "t"}"#;
/// let error = mapping.from_structured::<AnyEvent>(json).unwrap_err();
/// assert_eq!(error.attribute(), Some("specversion"));
/// assert_eq!(error.to_string(), "specversion: expected `1.0` (CloudEvents 1.0), found `0.3`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CloudEventError {
    /// An attribute the envelope needs is absent (one of the four the CloudEvents
    /// specification requires, or one of the mapping's: `subject`, `time`, `eventversion`,
    /// `aggregatetype`, or the `data`).
    #[error(
        "the CloudEvent has no `{attribute}` attribute ({})",
        meaning(attribute)
    )]
    Missing {
        /// The attribute's name.
        attribute: &'static str,
    },
    /// `specversion` is not `1.0`.
    #[error("specversion: expected `1.0` (CloudEvents 1.0), found `{found}`")]
    SpecVersion {
        /// The specversion received.
        found: String,
    },
    /// The payload type does not take this `type` and `eventversion` (an event its catalog,
    /// or its event set, does not hold).
    #[error("type: {message}")]
    UnknownType {
        /// The `type` received.
        event_type: String,
        /// The `eventversion` received.
        event_version: String,
        /// Why the payload type refuses it (with a suggestion for a likely typo).
        message: String,
    },
    /// `datacontenttype` (or the binary mode's `content-type`) is not JSON.
    #[error(
        "datacontenttype: expected `application/json` (the data is the event's payload as JSON), found `{found}`"
    )]
    ContentType {
        /// The content type received.
        found: String,
    },
    /// An attribute's value is malformed: a `time` that is not an RFC 3339 timestamp, an `id`,
    /// `subject` or id extension that is not a UUID, an empty `source`, a `traceparent` that
    /// is not a W3C trace context, a value of the JSON format that is not a string, a header
    /// value whose percent-encoding is broken.
    #[error("{attribute}: {message}")]
    Invalid {
        /// The attribute's name.
        attribute: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// An attribute given twice (two headers of one name, or `content-type` and
    /// `ce-datacontenttype` that disagree).
    #[error("{attribute}: given twice{detail}")]
    Duplicate {
        /// The attribute's name.
        attribute: String,
        /// The two values, when they disagree.
        detail: String,
    },
    /// The data is not a valid payload of its event (the runtime's decoder refused it); the
    /// path starts at `data` (`data.personalityTraits.openness: ...`).
    #[error("{path}: {message}")]
    Data {
        /// The path of the value at fault, from `data`.
        path: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The input is not a CloudEvent of the JSON format at all: not JSON, not an object, a
    /// key twice, over the [`Limits`](crate::Limits).
    #[error("not a CloudEvent in the JSON format: {message}")]
    Format {
        /// What is wrong.
        message: String,
    },
    /// The envelope cannot be written as a CloudEvent: an empty `metadata.source` (a
    /// CloudEvent's `source` must not be empty), a timestamp outside the years 0 to 9999
    /// (RFC 3339 has no other), a payload that does not serialize.
    #[error("cannot write the attribute `{attribute}`: {message}")]
    Unrepresentable {
        /// The attribute that cannot hold the envelope's value.
        attribute: &'static str,
        /// Why.
        message: String,
    },
}

impl CloudEventError {
    /// The attribute the error is about (`data` for a payload's error), if any: every error
    /// but [`Format`](Self::Format) names one.
    pub fn attribute(&self) -> Option<&str> {
        match self {
            Self::Missing { attribute } | Self::Unrepresentable { attribute, .. } => {
                Some(attribute)
            }
            Self::SpecVersion { .. } => Some("specversion"),
            Self::UnknownType { .. } => Some("type"),
            Self::ContentType { .. } => Some("datacontenttype"),
            Self::Invalid { attribute, .. } | Self::Duplicate { attribute, .. } => Some(attribute),
            Self::Data { .. } => Some("data"),
            Self::Format { .. } => None,
        }
    }
}
