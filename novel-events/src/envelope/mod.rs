//! The envelope every event travels in, serialized exactly as the Event Structure of the Novel
//! Engine specification.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codec::bounds::numbers_checked;
use crate::codec::guard::known;
use crate::codec::guard::{Guard, GuardState};
use crate::codec::inspect::{Count, inspect_after, oversize};
use crate::codec::{
    FromMap, Limits, MapOnlySeed, deserialize_struct, field_error, next_field, next_key,
    prefix_error, probe, required, shorten, skip_value, strip_position,
};
use crate::event::EventPayload;
use crate::validation::{ValidationError, Violation};

/// An event with its identity, time, causal links and metadata.
///
/// On the wire (JSON) it is the Novel Engine specification's Event Structure, keys in this order:
///
/// ```json
/// {
///   "eventId": "uuid", "eventType": "domain.aggregate.action", "eventVersion": "1.0.0",
///   "aggregateId": "uuid", "aggregateType": "Character", "timestamp": "2025-08-26T10:15:00Z",
///   "correlationId": "uuid", "causationId": "uuid", "userId": "uuid",
///   "payload": { },
///   "metadata": { "source": "service-name", "trace": "trace-id", "schema": "schema-url" }
/// }
/// ```
///
/// `eventType`, `eventVersion` and `aggregateType` come from the payload's type, so a typed
/// `Envelope<T>` cannot disagree with `T`. Decoding checks them: a typed `Envelope<T>` refuses
/// another eventType or version, and `Envelope<AnyEvent>` picks the payload type by them.
/// `userId` (absent for system events), `metadata.trace` and `metadata.schema` are optional
/// and omitted when `None`. Unknown keys are ignored, so that older readers accept newer
/// writers (forward compatibility).
///
/// ```
/// use novel_events::Envelope;
/// use novel_events::novel_engine::characters::CharacterDeleted;
/// use uuid::Uuid;
///
/// let character = Uuid::new_v4();
/// let deleted = Envelope::new(
///     CharacterDeleted {
///         character_id: character,
///         name: "Mira Vale".into(),
///         deletion_reason: "duplicate".into(),
///         deleted_by: Uuid::new_v4(),
///     },
///     "character-service",
/// );
/// assert_eq!(deleted.event_type(), "characters.character.deleted");
/// assert_eq!(deleted.aggregate_id, character);
/// assert!(deleted.is_root());
///
/// let json = serde_json::to_string(&deleted).unwrap();
/// let back: Envelope<CharacterDeleted> = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, deleted);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope<P> {
    /// This event's id (UUID v7 when built by [`Envelope::new`], so ids sort by time).
    pub event_id: Uuid,
    /// The aggregate the event belongs to.
    pub aggregate_id: Uuid,
    /// When the event happened, in UTC.
    pub timestamp: DateTime<Utc>,
    /// The id shared by every event of one flow: the root event's id.
    pub correlation_id: Uuid,
    /// The id of the event that caused this one (its own id for a root event).
    pub causation_id: Uuid,
    /// The user on whose behalf the event happened, if any.
    pub user_id: Option<Uuid>,
    /// The event-specific data.
    pub payload: P,
    /// Where the event comes from.
    pub metadata: Metadata,
}

/// The envelope's `metadata` object.
///
/// Decoded from a JSON object only (like a generated struct: a sequence of its values is
/// refused), its fields named in errors (`metadata.source: invalid type: ...`); unknown keys
/// are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Metadata {
    /// The service that published the event.
    pub source: String,
    /// A trace id, usually a W3C `traceparent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<String>,
    /// The URL of the payload's schema.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
}

impl<'de> Deserialize<'de> for Metadata {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_struct(deserializer)
    }
}

/// Read as generated structs are, so that the guard checks its keys by index.
impl FromMap for Metadata {
    const NAME: &'static str = "Metadata";
    const FIELDS: &'static [&'static str] = &["source", "trace", "schema"];

    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut source: Option<String> = None;
        let mut trace: Option<Option<String>> = None;
        let mut schema: Option<Option<String>> = None;
        while let Some(key) = next_key::<Self, A>(&mut map)? {
            match key {
                0 => next_field(&mut map, &mut source, "source")?,
                1 => next_field(&mut map, &mut trace, "trace")?,
                2 => next_field(&mut map, &mut schema, "schema")?,
                _ => skip_value(&mut map)?,
            }
        }
        Ok(Self {
            source: required(source, "source")?,
            trace: trace.flatten(),
            schema: schema.flatten(),
        })
    }
}

impl Metadata {
    /// Metadata naming only the source service.
    pub fn from_source(source: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            trace: None,
            schema: None,
        }
    }
}

impl<P: EventPayload> Envelope<P> {
    /// A root event: a fresh UUID v7 id, the current time, and correlationId = causationId =
    /// eventId. The aggregate id is taken from the payload.
    pub fn new(payload: P, source: impl Into<String>) -> Self {
        let event_id = Uuid::now_v7();
        Self {
            event_id,
            aggregate_id: payload.aggregate_id(),
            timestamp: Utc::now(),
            correlation_id: event_id,
            causation_id: event_id,
            user_id: None,
            payload,
            metadata: Metadata::from_source(source),
        }
    }

    /// An event caused by `parent`: it joins the parent's flow (correlationId), names the parent
    /// as its cause (causationId = parent's eventId), and keeps the parent's user, source and
    /// trace (change them with the `with_*` methods).
    ///
    /// ```
    /// use novel_events::Envelope;
    /// use novel_events::novel_engine::characters::CharacterDeleted;
    /// # use uuid::Uuid;
    /// # let payload = || CharacterDeleted {
    /// #     character_id: Uuid::nil(), name: String::new(), deletion_reason: String::new(), deleted_by: Uuid::nil(),
    /// # };
    /// let root = Envelope::new(payload(), "character-service");
    /// assert!(root.is_root());
    /// assert_eq!((root.correlation_id, root.causation_id), (root.event_id, root.event_id));
    /// assert_eq!(root.event_id.get_version(), Some(uuid::Version::SortRand)); // UUID v7
    /// let child = Envelope::caused_by(&root, payload());
    /// let grandchild = Envelope::caused_by(&child, payload());
    /// assert_eq!(grandchild.correlation_id, root.event_id);
    /// assert_eq!(grandchild.causation_id, child.event_id);
    /// assert!(!grandchild.is_root());
    /// ```
    pub fn caused_by<Q>(parent: &Envelope<Q>, payload: P) -> Self {
        let event_id = Uuid::now_v7();
        Self {
            event_id,
            aggregate_id: payload.aggregate_id(),
            timestamp: Utc::now(),
            correlation_id: parent.correlation_id,
            causation_id: parent.event_id,
            user_id: parent.user_id,
            payload,
            metadata: parent.metadata.clone(),
        }
    }

    /// Sets the user on whose behalf the event happened.
    #[must_use]
    pub fn with_user(mut self, user_id: Uuid) -> Self {
        self.user_id = Some(user_id);
        self
    }

    /// Sets the publishing service (`metadata.source`).
    #[must_use]
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.metadata.source = source.into();
        self
    }

    /// Sets the trace id (`metadata.trace`).
    #[must_use]
    pub fn with_trace(mut self, trace: impl Into<String>) -> Self {
        self.metadata.trace = Some(trace.into());
        self
    }

    /// Sets the schema URL (`metadata.schema`).
    #[must_use]
    pub fn with_schema(mut self, schema: impl Into<String>) -> Self {
        self.metadata.schema = Some(schema.into());
        self
    }

    /// The payload's eventType.
    pub fn event_type(&self) -> &'static str {
        self.payload.event_type()
    }

    /// The payload's eventVersion.
    pub fn event_version(&self) -> &'static str {
        self.payload.event_version()
    }

    /// The payload's aggregate type.
    pub fn aggregate_type(&self) -> &'static str {
        self.payload.aggregate_type()
    }
}

impl<P> Envelope<P> {
    /// Whether this event started its flow (its causationId is its own id).
    pub fn is_root(&self) -> bool {
        self.causation_id == self.event_id
    }

    /// The same envelope around another payload (the header is cloned).
    pub fn with_payload<Q>(&self, payload: Q) -> Envelope<Q> {
        Envelope {
            event_id: self.event_id,
            aggregate_id: self.aggregate_id,
            timestamp: self.timestamp,
            correlation_id: self.correlation_id,
            causation_id: self.causation_id,
            user_id: self.user_id,
            payload,
            metadata: self.metadata.clone(),
        }
    }

    /// Transforms the payload, keeping the header.
    pub fn map<Q>(self, f: impl FnOnce(P) -> Q) -> Envelope<Q> {
        Envelope {
            event_id: self.event_id,
            aggregate_id: self.aggregate_id,
            timestamp: self.timestamp,
            correlation_id: self.correlation_id,
            causation_id: self.causation_id,
            user_id: self.user_id,
            payload: f(self.payload),
            metadata: self.metadata,
        }
    }
}

impl<P: EventPayload> Serialize for Envelope<P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(10 + usize::from(self.user_id.is_some())))?;
        map.serialize_entry("eventId", &self.event_id)?;
        map.serialize_entry("eventType", self.payload.event_type())?;
        map.serialize_entry("eventVersion", self.payload.event_version())?;
        map.serialize_entry("aggregateId", &self.aggregate_id)?;
        map.serialize_entry("aggregateType", self.payload.aggregate_type())?;
        map.serialize_entry("timestamp", &self.timestamp)?;
        map.serialize_entry("correlationId", &self.correlation_id)?;
        map.serialize_entry("causationId", &self.causation_id)?;
        if let Some(user_id) = &self.user_id {
            map.serialize_entry("userId", user_id)?;
        }
        map.serialize_entry("payload", &self.payload)?;
        map.serialize_entry("metadata", &self.metadata)?;
        map.end()
    }
}

#[derive(Clone, Copy)]
enum Key {
    EventId,
    EventType,
    EventVersion,
    AggregateId,
    AggregateType,
    Timestamp,
    CorrelationId,
    CausationId,
    UserId,
    Payload,
    Metadata,
    Other,
}

/// The envelope's keys, in the order of [`Key`]'s variants.
const KEYS: [&str; 11] = [
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

impl Key {
    const ALL: [Key; 11] = [
        Key::EventId,
        Key::EventType,
        Key::EventVersion,
        Key::AggregateId,
        Key::AggregateType,
        Key::Timestamp,
        Key::CorrelationId,
        Key::CausationId,
        Key::UserId,
        Key::Payload,
        Key::Metadata,
    ];
}

impl<'de> Deserialize<'de> for Key {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an envelope key")
            }
            /// A known key is reported to the guard, which checks it for duplicates by its
            /// index ([`known`](crate::codec::guard::known)).
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                // A `match` on the text compiles to a switch on its length, then fixed-size
                // comparisons.
                let index = match key {
                    "eventId" => 0,
                    "eventType" => 1,
                    "eventVersion" => 2,
                    "aggregateId" => 3,
                    "aggregateType" => 4,
                    "timestamp" => 5,
                    "correlationId" => 6,
                    "causationId" => 7,
                    "userId" => 8,
                    "payload" => 9,
                    "metadata" => 10,
                    _ => return Ok(Key::Other),
                };
                known::recognized(index, KEYS[index]);
                Ok(Key::ALL[index])
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// The length of a timestamp as JSON, as chrono's `Serialize` writes it (RFC 3339 in UTC with
/// `Z`, the fewest of 0, 3, 6 or 9 fraction digits that hold it), without formatting it;
/// `None` for a year outside 0 to 9999 or a leap second, which are measured by formatting.
fn timestamp_len(timestamp: &DateTime<Utc>) -> Option<usize> {
    use chrono::{Datelike, Timelike};
    if !(0..=9999).contains(&timestamp.year()) {
        return None;
    }
    let fraction = match timestamp.nanosecond() {
        1_000_000_000.. => return None,
        0 => 0,
        nanos if nanos % 1_000_000 == 0 => 4,
        nanos if nanos % 1_000 == 0 => 7,
        _ => 10,
    };
    // `"2025-08-26T09:02:14Z"`: 20 characters and the quotes.
    Some(22 + fraction)
}

/// A header string compared and never kept (eventType, eventVersion, aggregateType): borrowed
/// from the input when it holds no escape, so that reading it allocates nothing.
struct Text<'de>(Cow<'de, str>);

impl Text<'_> {
    fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // What `String` expects, so that errors read as before.
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(text)))
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(text.to_owned())))
            }
            fn visit_string<E: de::Error>(self, text: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(text)))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

/// Decodes the payload once eventType and eventVersion are known.
struct PayloadSeed<'a, P> {
    event_type: &'a str,
    event_version: &'a str,
    marker: PhantomData<P>,
}

impl<'de, P: EventPayload> DeserializeSeed<'de> for PayloadSeed<'_, P> {
    type Value = P;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<P, D::Error> {
        P::deserialize_payload(self.event_type, self.event_version, deserializer)
    }
}

/// The visitor of an envelope's object, its values read through a [`Guard`].
struct EnvelopeVisitor<'s, P> {
    state: &'s GuardState,
    marker: PhantomData<P>,
}

/// Reads one header value, prefixing any error with the key's name. Structs (`metadata`) are
/// read from JSON objects only.
#[inline]
fn header<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    key: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(key));
    }
    let value = map
        .next_value_seed(MapOnlySeed(PhantomData::<T>))
        .map_err(|error| field_error::<T, A::Error>(key, &error))?;
    *slot = Some(value);
    Ok(())
}

/// Once eventType and eventVersion are both read, whether `P` takes them: an error here is
/// reported where the second of them stands, not at the payload.
fn check_event<P: EventPayload, E: de::Error>(
    event_type: Option<&Text<'_>>,
    event_version: Option<&Text<'_>>,
) -> Result<(), E> {
    if let (Some(event_type), Some(event_version)) = (event_type, event_version)
        && let Some(message) = probe::refusal::<P>(event_type.as_str(), event_version.as_str())
    {
        return Err(E::custom(strip_position(&message)));
    }
    Ok(())
}

/// Whether the envelope's aggregateType and aggregateId (those read so far) are the
/// payload's, checked as soon as both sides are read so that the error points near them.
fn check_aggregate<P: EventPayload, E: de::Error>(
    payload: &P,
    aggregate_type: Option<&Text<'_>>,
    aggregate_id: Option<&Uuid>,
) -> Result<(), E> {
    if let Some(aggregate_type) = aggregate_type
        && aggregate_type.as_str() != payload.aggregate_type()
    {
        return Err(E::custom(format_args!(
            "aggregateType: expected `{}` for `{}` version {}, found `{}`",
            payload.aggregate_type(),
            payload.event_type(),
            payload.event_version(),
            shorten(aggregate_type.as_str())
        )));
    }
    if let Some(aggregate_id) = aggregate_id
        && *aggregate_id != payload.aggregate_id()
    {
        return Err(E::custom(format_args!(
            "aggregateId: expected `{}`, the aggregate id the payload of `{}` carries, found `{aggregate_id}`",
            payload.aggregate_id(),
            payload.event_type()
        )));
    }
    Ok(())
}

impl<'de, P: EventPayload> Visitor<'de> for EnvelopeVisitor<'_, P> {
    type Value = Envelope<P>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event envelope (a JSON object with eventId, eventType, payload, ...)")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Envelope<P>, A::Error> {
        let result = read_envelope(map);
        // A violation of the guard (a duplicate key, a limit) is reported as the guard wrote
        // it, with its whole path: the types it crossed may have reworded it. A violation that
        // a type swallowed fails the decoding all the same.
        if let Some(violation) = self.state.violation() {
            return Err(de::Error::custom(violation));
        }
        result
    }
}

fn read_envelope<'de, P: EventPayload, A: MapAccess<'de>>(
    mut map: A,
) -> Result<Envelope<P>, A::Error> {
    let mut event_id = None;
    let mut event_type: Option<Text<'de>> = None;
    let mut event_version: Option<Text<'de>> = None;
    let mut aggregate_id = None;
    let mut aggregate_type: Option<Text<'de>> = None;
    let mut timestamp = None;
    let mut correlation_id = None;
    let mut causation_id = None;
    let mut user_id: Option<Option<Uuid>> = None;
    let mut payload: Option<P> = None;
    // The payload as a JSON value, when it arrives before eventType and eventVersion. It was
    // read through the guard like any value, so it was checked as it would have been in place.
    let mut early_payload: Option<serde_json::Value> = None;
    let mut metadata = None;
    // Whether aggregateType and aggregateId were checked against the payload while reading.
    let (mut type_checked, mut id_checked) = (false, false);
    while let Some(key) = map.next_key::<Key>()? {
        match key {
            Key::EventId => header(&mut map, &mut event_id, "eventId")?,
            Key::EventType => {
                header(&mut map, &mut event_type, "eventType")?;
                check_event::<P, _>(event_type.as_ref(), event_version.as_ref())?;
            }
            Key::EventVersion => {
                header(&mut map, &mut event_version, "eventVersion")?;
                check_event::<P, _>(event_type.as_ref(), event_version.as_ref())?;
            }
            Key::AggregateId => {
                header(&mut map, &mut aggregate_id, "aggregateId")?;
                if let Some(payload) = &payload {
                    check_aggregate(payload, None, aggregate_id.as_ref())?;
                    id_checked = true;
                }
            }
            Key::AggregateType => {
                header(&mut map, &mut aggregate_type, "aggregateType")?;
                if let Some(payload) = &payload {
                    check_aggregate(payload, aggregate_type.as_ref(), None)?;
                    type_checked = true;
                }
            }
            Key::Timestamp => header::<_, DateTime<Utc>>(&mut map, &mut timestamp, "timestamp")?,
            Key::CorrelationId => header(&mut map, &mut correlation_id, "correlationId")?,
            Key::CausationId => header(&mut map, &mut causation_id, "causationId")?,
            Key::UserId => header(&mut map, &mut user_id, "userId")?,
            Key::Metadata => header::<_, Metadata>(&mut map, &mut metadata, "metadata")?,
            Key::Payload => {
                if payload.is_some() || early_payload.is_some() {
                    return Err(de::Error::duplicate_field("payload"));
                }
                match (&event_type, &event_version) {
                    (Some(event_type), Some(event_version)) => {
                        let read = map.next_value_seed(PayloadSeed {
                            event_type: event_type.as_str(),
                            event_version: event_version.as_str(),
                            marker: PhantomData,
                        })?;
                        check_aggregate(&read, aggregate_type.as_ref(), aggregate_id.as_ref())?;
                        type_checked = aggregate_type.is_some();
                        id_checked = aggregate_id.is_some();
                        payload = Some(read);
                    }
                    _ => {
                        early_payload = Some(
                            map.next_value()
                                .map_err(|error| prefix_error::<A::Error>("payload", &error))?,
                        );
                    }
                }
            }
            Key::Other => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    let event_type = event_type.ok_or_else(|| de::Error::missing_field("eventType"))?;
    let event_version = event_version.ok_or_else(|| de::Error::missing_field("eventVersion"))?;
    let payload = match (payload, early_payload) {
        (Some(payload), _) => payload,
        (None, Some(value)) => {
            P::deserialize_payload(event_type.as_str(), event_version.as_str(), value)
                .map_err(|error| de::Error::custom(strip_position(&error.to_string())))?
        }
        (None, None) => return Err(de::Error::missing_field("payload")),
    };
    let aggregate_type = aggregate_type.ok_or_else(|| de::Error::missing_field("aggregateType"))?;
    let aggregate_id: Uuid = aggregate_id.ok_or_else(|| de::Error::missing_field("aggregateId"))?;
    check_aggregate(
        &payload,
        (!type_checked).then_some(&aggregate_type),
        (!id_checked).then_some(&aggregate_id),
    )?;
    Ok(Envelope {
        event_id: event_id.ok_or_else(|| de::Error::missing_field("eventId"))?,
        aggregate_id,
        timestamp: timestamp.ok_or_else(|| de::Error::missing_field("timestamp"))?,
        correlation_id: correlation_id.ok_or_else(|| de::Error::missing_field("correlationId"))?,
        causation_id: causation_id.ok_or_else(|| de::Error::missing_field("causationId"))?,
        user_id: user_id.flatten(),
        payload,
        metadata: metadata.ok_or_else(|| de::Error::missing_field("metadata"))?,
    })
}

/// Decodes an envelope through a [`Guard`] with these limits.
fn decode<'de, P: EventPayload, D: Deserializer<'de>>(
    deserializer: D,
    limits: Limits,
) -> Result<Envelope<P>, D::Error> {
    let state = GuardState::new(limits);
    Guard {
        inner: deserializer,
        state: &state,
        depth: 0,
    }
    .deserialize_map(EnvelopeVisitor {
        state: &state,
        marker: PhantomData,
    })
}

/// Decoding through serde refuses duplicate keys anywhere in the envelope (whatever the key
/// order: a payload given before its eventType is checked the same), non-finite numbers, and
/// nesting deeper than serde_json reads, but no size: it is how stores read back what they
/// accepted. Input from outside goes through [`Envelope::from_json`], which applies
/// [`Limits`].
impl<'de, P: EventPayload> Deserialize<'de> for Envelope<P> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        decode(deserializer, Limits::UNSIZED)
    }
}

impl<P: EventPayload> Envelope<P> {
    /// Decodes an envelope from JSON received from outside (the network, a file), under
    /// `limits`: the size is checked before parsing, the nesting and every string as they are
    /// read; a key twice in one object, anywhere, is refused. Errors name the limit and the
    /// path of the value (`payload.notes: a string of 300000 bytes is longer than the limit
    /// ...`).
    ///
    /// ```
    /// use novel_events::{Envelope, Limits};
    /// use novel_events::novel_engine::AnyEvent;
    ///
    /// let limits = Limits::default().with_max_envelope_bytes(2048)?;
    /// let huge = format!(r#"{{"eventType": "{}"}}"#, "x".repeat(4096));
    /// let error = Envelope::<AnyEvent>::from_json(huge.as_bytes(), &limits).unwrap_err();
    /// assert!(error.to_string().contains("the limit `max_envelope_bytes` (2048)"));
    /// # Ok::<(), novel_events::InvalidLimit>(())
    /// ```
    pub fn from_json(json: &[u8], limits: &Limits) -> Result<Self, serde_json::Error> {
        let max = limits.max_envelope_bytes();
        if json.len() > max {
            return Err(de::Error::custom(format_args!(
                "the envelope is {} bytes, more than the limit `max_envelope_bytes` ({max})",
                json.len()
            )));
        }
        let mut deserializer = serde_json::Deserializer::from_slice(json);
        let envelope = decode(&mut deserializer, *limits)?;
        deserializer.end()?;
        Ok(envelope)
    }

    /// What every entrance (a bus's `publish`, a store's `append`) checks before it accepts an
    /// envelope: its size as JSON, its nesting and its strings under `limits`, every number
    /// finite (NaN and the infinities have no JSON form), then the payload's own
    /// [`validate`](EventPayload::validate). The walk that measures the envelope writes
    /// nothing and stops at the first problem, so an envelope far over the size limit costs
    /// no more than the limit to refuse. It counts the size as an upper bound first (no
    /// formatting of floats, no scan of strings for escapes) and counts it exactly only when
    /// that bound is over `max_envelope_bytes`: the verdict is always the exact size's, so an
    /// envelope the in-memory bus accepts is accepted by a JetStream bus and the stores under
    /// the same limits, and one it refuses is refused there too.
    ///
    /// ```
    /// use novel_events::{Envelope, Limits};
    /// use novel_events::novel_engine::{AnyEvent, characters::CharacterDeleted};
    ///
    /// let deleted = CharacterDeleted {
    ///     character_id: uuid::Uuid::nil(),
    ///     name: "Oren Kast".repeat(1000),
    ///     deletion_reason: "retired".into(),
    ///     deleted_by: uuid::Uuid::nil(),
    /// };
    /// let envelope: Envelope<AnyEvent> = Envelope::new(deleted.into(), "character-service");
    /// assert!(envelope.check(&Limits::default()).is_ok());
    /// let strict = Limits::default().with_max_string_bytes(1000)?;
    /// let error = envelope.check(&strict).unwrap_err();
    /// assert_eq!(
    ///     error.violations[0].to_string(),
    ///     "payload.name: a string of 9000 bytes is longer than the limit `max_string_bytes` (1000)"
    /// );
    /// # Ok::<(), novel_events::InvalidLimit>(())
    /// ```
    pub fn check(&self, limits: &Limits) -> Result<(), ValidationError> {
        if let Err(violation) = self.inspect(limits) {
            return Err(ValidationError {
                violations: vec![violation],
            });
        }
        // Every number was found finite just above: `validate` need not walk them again.
        numbers_checked(|| self.payload.validate())
    }

    /// The first violation of `limits`, if any. The envelope is walked once with its size
    /// counted as an upper bound ([`Count::Bound`]: no formatting, no scan of strings); only
    /// if that bound is over `max_envelope_bytes` is it walked again, counted exactly. The
    /// verdict is the exact count's: the bound is never below it, so a walk that stays under
    /// the limit with the bound stays under it exactly, and a violation it finds first (a
    /// string, the nesting, a number) is also the first the exact walk finds.
    fn inspect(&self, limits: &Limits) -> Result<(), Violation> {
        match self.measure(limits, Count::Bound) {
            // Only the size of the envelope as a whole has no path.
            Err(violation) if violation.path.is_empty() => {
                self.measure(limits, Count::Exact).map(|_| ())
            }
            other => other.map(|_| ()),
        }
    }

    /// The envelope's size as compact JSON (what [`Serialize`] writes), counted as `count`
    /// says, or the first violation of `limits`. The header is counted without formatting it
    /// (a uuid is always 36 characters); the timestamp, the payload and the metadata are
    /// walked.
    fn measure(&self, limits: &Limits, count: Count) -> Result<usize, Violation> {
        const UUID: usize = 38;
        let entry = |key: &str, value: usize| key.len() + 3 + value;
        let mut bytes = 2 // the braces
            + entry("eventId", UUID)
            + entry("eventType", count.quoted(self.payload.event_type()))
            + entry("eventVersion", count.quoted(self.payload.event_version()))
            + entry("aggregateId", UUID)
            + entry("aggregateType", count.quoted(self.payload.aggregate_type()))
            + entry("timestamp", 0)
            + entry("correlationId", UUID)
            + entry("causationId", UUID)
            + entry("payload", 0)
            + entry("metadata", 0)
            + 9; // the commas
        if self.user_id.is_some() {
            bytes += entry("userId", UUID) + 1;
        }
        if bytes > limits.max_envelope_bytes() {
            return Err(Violation {
                path: String::new(),
                message: oversize(limits),
            });
        }
        let bytes = match timestamp_len(&self.timestamp) {
            Some(length) => bytes + length,
            None => inspect_after(&self.timestamp, "timestamp", 1, limits, bytes, count)?,
        };
        let bytes = inspect_after(&self.payload, "payload", 1, limits, bytes, count)?;
        inspect_after(&self.metadata, "metadata", 1, limits, bytes, count)
    }
}

#[cfg(test)]
mod tests;
