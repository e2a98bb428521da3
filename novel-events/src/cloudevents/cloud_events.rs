//! [`CloudEvents`]: the mapping, set up for one catalog, with its entry points.

use super::attributes::{self, Assembled};
use super::binary::{self, BinaryEvent};
use super::error::CloudEventError;
use super::structured;
use crate::catalog::{CatalogInfo, schema_id};
use crate::codec::{Limits, probe, strip_position};
use crate::envelope::Envelope;
use crate::event::EventPayload;

/// The CloudEvents mapping of one catalog's envelopes: how `dataschema` is named when
/// writing, and the [`Limits`] reading applies.
///
/// Writing needs the catalog's name (and the base URI its schema registry is served at, if
/// any), because a CloudEvent's `dataschema` is the registry `$id` of its event version
/// ([`schema_id`]), the one `novel-events schema` writes into the schema file. Reading needs
/// only the limits: the eventType and `eventversion` decide the payload type, and
/// `dataschema` is not checked (another producer may name its schemas otherwise).
///
/// ```
/// use novel_events::Envelope;
/// use novel_events::cloudevents::CloudEvents;
/// use novel_events::novel_engine::{self, AnyEvent, characters::CharacterDeleted};
///
/// let mapping = CloudEvents::for_catalog(&novel_engine::CATALOG);
/// let deleted = CharacterDeleted {
///     character_id: uuid::Uuid::new_v4(),
///     name: "Mira Vale".into(),
///     deletion_reason: "duplicate".into(),
///     deleted_by: uuid::Uuid::new_v4(),
/// };
/// let envelope: Envelope<AnyEvent> = Envelope::new(deleted.into(), "character-service");
///
/// let json = mapping.to_structured(&envelope)?;
/// let event: serde_json::Value = serde_json::from_slice(&json).unwrap();
/// assert_eq!(event["type"], "characters.character.deleted");
/// assert_eq!(
///     event["dataschema"],
///     "urn:novel-events:novel-engine:characters.character.deleted:1.0.0"
/// );
/// assert_eq!(mapping.from_structured::<AnyEvent>(&json)?, envelope);
///
/// let binary = mapping.to_binary(&envelope)?;
/// assert_eq!(binary.header("ce-source"), Some("character-service"));
/// let headers = binary.headers.iter().map(|(name, value)| (name.as_str(), value.as_str()));
/// assert_eq!(mapping.from_binary::<AnyEvent, _>(headers, &binary.body)?, envelope);
/// # Ok::<(), novel_events::cloudevents::CloudEventError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudEvents {
    catalog: String,
    base_uri: Option<String>,
    limits: Limits,
}

impl CloudEvents {
    /// The mapping of the catalog named `catalog`, its `dataschema` a
    /// `urn:novel-events:<catalog>:...` URN, reading under [`Limits::default`].
    pub fn new(catalog: impl Into<String>) -> Self {
        Self {
            catalog: catalog.into(),
            base_uri: None,
            limits: Limits::default(),
        }
    }

    /// The mapping of a compiled catalog (its `CATALOG` static), named by its `name:`.
    pub fn for_catalog(catalog: &CatalogInfo) -> Self {
        Self::new(catalog.name)
    }

    /// The same mapping with the schema registry served at `base_uri`:
    /// `dataschema` becomes `<base_uri>/<eventType>/<eventVersion>.schema.json`, as with
    /// `novel-events schema --base-uri`.
    #[must_use]
    pub fn with_base_uri(mut self, base_uri: impl Into<String>) -> Self {
        self.base_uri = Some(base_uri.into());
        self
    }

    /// The same mapping reading under these limits (a bus or a store should use its own).
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The limits reading applies.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The `dataschema` of an event version: its registry `$id`.
    pub fn dataschema(&self, event_type: &str, event_version: &str) -> String {
        schema_id(
            &self.catalog,
            event_type,
            event_version,
            self.base_uri.as_deref(),
        )
    }

    fn attributes<P: EventPayload>(
        &self,
        envelope: &Envelope<P>,
    ) -> Result<Vec<(&'static str, String)>, CloudEventError> {
        let dataschema = self.dataschema(envelope.event_type(), envelope.event_version());
        attributes::write(envelope, dataschema)
    }

    /// The envelope as a CloudEvent of the JSON format (structured mode; its media type is
    /// [`STRUCTURED_CONTENT_TYPE`](super::STRUCTURED_CONTENT_TYPE)).
    ///
    /// Fails only for an envelope a CloudEvent cannot hold: an empty `metadata.source`, a
    /// timestamp outside the years 0 to 9999.
    pub fn to_structured<P: EventPayload>(
        &self,
        envelope: &Envelope<P>,
    ) -> Result<Vec<u8>, CloudEventError> {
        structured::write(&self.attributes(envelope)?, &envelope.payload)
    }

    /// The envelope in the binary mode: `ce-` headers and the payload's JSON as the body.
    /// Fails as [`to_structured`](Self::to_structured) does.
    pub fn to_binary<P: EventPayload>(
        &self,
        envelope: &Envelope<P>,
    ) -> Result<BinaryEvent, CloudEventError> {
        let attributes = self.attributes(envelope)?;
        let body = serde_json::to_vec(&envelope.payload).map_err(|error| {
            CloudEventError::Unrepresentable {
                attribute: "data",
                message: error.to_string(),
            }
        })?;
        Ok(binary::write(attributes, body))
    }

    /// Reads a CloudEvent of the JSON format into a typed envelope.
    ///
    /// The JSON is read under the limits as an envelope is (size, nesting, strings, no key
    /// twice), the attributes are checked, then the envelope they carry is decoded by
    /// [`Envelope::from_json`]: the payload is accepted or refused exactly as in an envelope,
    /// its errors' paths starting at `data`.
    pub fn from_structured<P: EventPayload>(
        &self,
        json: &[u8],
    ) -> Result<Envelope<P>, CloudEventError> {
        let (received, data) = structured::read(json, &self.limits)?;
        self.decode(received.assemble(data.as_deref())?)
    }

    /// Reads a CloudEvent in the binary mode (HTTP or NATS: `ce-` headers, names matched
    /// case-insensitively, and the body) into a typed envelope, as
    /// [`from_structured`](Self::from_structured) does. Headers that are not the event's are
    /// ignored, so a message's whole header map can be given.
    pub fn from_binary<'a, P: EventPayload, I>(
        &self,
        headers: I,
        body: &[u8],
    ) -> Result<Envelope<P>, CloudEventError>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let (received, has_data) = binary::read(headers, body, &self.limits)?;
        self.decode(received.assemble(has_data.then_some(body))?)
    }

    /// The envelope JSON (the Novel Engine specification's Event Structure) that a structured
    /// CloudEvent carries, its attributes checked but its payload not decoded: for a reader
    /// that decodes envelopes later, through [`Envelope::from_json`] (which checks the
    /// payload under the same limits).
    pub fn structured_to_envelope_json(&self, json: &[u8]) -> Result<Vec<u8>, CloudEventError> {
        let (received, data) = structured::read(json, &self.limits)?;
        Ok(received.assemble(data.as_deref())?.json)
    }

    /// The envelope JSON that a binary CloudEvent carries, as
    /// [`structured_to_envelope_json`](Self::structured_to_envelope_json).
    pub fn binary_to_envelope_json<'a, I>(
        &self,
        headers: I,
        body: &[u8],
    ) -> Result<Vec<u8>, CloudEventError>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let (received, has_data) = binary::read(headers, body, &self.limits)?;
        Ok(received.assemble(has_data.then_some(body))?.json)
    }

    /// The typed envelope of assembled JSON: the payload type asked first whether it takes
    /// the eventType and version (so that the error names `type`), then the envelope decoder.
    fn decode<P: EventPayload>(
        &self,
        assembled: Assembled,
    ) -> Result<Envelope<P>, CloudEventError> {
        if let Some(message) = probe::refusal::<P>(&assembled.event_type, &assembled.event_version)
        {
            return Err(CloudEventError::UnknownType {
                event_type: assembled.event_type,
                event_version: assembled.event_version,
                message: strip_position(&message),
            });
        }
        // The size was checked on the CloudEvent as it arrived; the envelope written from it
        // differs by its keys' names alone.
        let max = self.limits.max_envelope_bytes().max(assembled.json.len());
        let limits = self
            .limits
            .with_max_envelope_bytes(max)
            .unwrap_or(self.limits);
        Envelope::from_json(&assembled.json, &limits)
            .map_err(|error| refused(&strip_position(&error.to_string())))
    }
}

/// An error of the envelope decoder, about the envelope a CloudEvent carried, renamed for
/// the CloudEvent's attributes (`payload.name` is `data.name`, `aggregateId` is `subject`).
fn refused(message: &str) -> CloudEventError {
    const RENAMED: [(&str, &str); 3] = [
        ("payload", "data"),
        ("aggregateType", "aggregatetype"),
        ("aggregateId", "subject"),
    ];
    let (path, rest) = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') => (path, rest),
        _ => ("payload", message),
    };
    for (key, attribute) in RENAMED {
        if let Some(tail) = path.strip_prefix(key)
            && (tail.is_empty() || tail.starts_with(['.', '[']))
        {
            if attribute == "data" {
                return CloudEventError::Data {
                    path: format!("data{tail}"),
                    message: rest.to_owned(),
                };
            }
            return CloudEventError::Invalid {
                attribute: attribute.to_owned(),
                message: rest.replace(key, attribute),
            };
        }
    }
    CloudEventError::Data {
        path: "data".into(),
        message: message.to_owned(),
    }
}
