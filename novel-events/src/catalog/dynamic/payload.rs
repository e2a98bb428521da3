//! A payload of any event of a catalog known at run time, checked against its metadata.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::check::PayloadSeed;
use crate::catalog::{AggregateIdInfo, CatalogInfo, EventInfo};
use crate::codec::{MapOnly, prefix_error, unknown_event};
use crate::event::{EventPayload, name_based_aggregate_id};

/// Names the catalog a [`DynamicPayload`] is checked against.
///
/// [`EventPayload::deserialize_payload`] receives only the eventType and version, so the
/// catalog is reached through the payload's type: a unit struct that returns a catalog
/// compiled in, or one loaded at run time and kept in a `static` (a tool builds its
/// [`CatalogInfo`] once, leaks it, and stores it in a `OnceLock`).
///
/// ```
/// use novel_events::CatalogInfo;
/// use novel_events::catalog::CatalogSource;
///
/// struct NovelEngine;
///
/// impl CatalogSource for NovelEngine {
///     fn catalog() -> &'static CatalogInfo {
///         &novel_events::novel_engine::CATALOG
///     }
/// }
/// ```
pub trait CatalogSource {
    /// The catalog.
    fn catalog() -> &'static CatalogInfo;

    /// The event with this eventType and version: by default a search of the catalog's
    /// events; a source of a large catalog can answer from an index.
    fn event(event_type: &str, event_version: &str) -> Option<&'static EventInfo> {
        Self::catalog().event(event_type, event_version)
    }
}

/// The payload of any event of the catalog `C`, decoded from its metadata alone and kept as
/// JSON: `Envelope<DynamicPayload<C>>` accepts and refuses what the catalog's generated
/// `Envelope<AnyEvent>` does, with the same errors.
///
/// ```
/// use novel_events::catalog::{CatalogSource, DynamicPayload};
/// use novel_events::{CatalogInfo, Envelope, EventPayload};
///
/// struct NovelEngine;
/// impl CatalogSource for NovelEngine {
///     fn catalog() -> &'static CatalogInfo {
///         &novel_events::novel_engine::CATALOG
///     }
/// }
///
/// let line = r#"{"eventId":"0f6c2a7e-3d41-4b9a-8e25-71c4d9a0b3e1",
///   "eventType":"characters.character.deleted","eventVersion":"1.0.0",
///   "aggregateId":"6b1f0e2d-9c8a-4b7e-a6d5-4c3b2a190f8e","aggregateType":"Character",
///   "timestamp":"2025-08-26T09:02:14Z",
///   "correlationId":"0f6c2a7e-3d41-4b9a-8e25-71c4d9a0b3e1",
///   "causationId":"0f6c2a7e-3d41-4b9a-8e25-71c4d9a0b3e1",
///   "payload":{"characterId":"6b1f0e2d-9c8a-4b7e-a6d5-4c3b2a190f8e","name":"Mira Vale",
///     "deletionReason":"duplicate","deletedBy":"3f2a9c4e-7b1d-4e8a-9c2f-5d6e7f8a9b01"},
///   "metadata":{"source":"character-service"}}"#;
/// let envelope: Envelope<DynamicPayload<NovelEngine>> = serde_json::from_str(line).unwrap();
/// assert_eq!(envelope.payload.event_type(), "characters.character.deleted");
/// assert_eq!(envelope.payload.info().name, "CharacterDeleted");
///
/// let bad = line.replace(r#""name":"Mira Vale","#, "");
/// let error = serde_json::from_str::<Envelope<DynamicPayload<NovelEngine>>>(&bad).unwrap_err();
/// assert!(error.to_string().starts_with("payload: missing field `name`"));
/// ```
pub struct DynamicPayload<C> {
    info: &'static EventInfo,
    aggregate_id: Uuid,
    value: Map<String, Value>,
    marker: PhantomData<fn() -> C>,
}

impl<C> DynamicPayload<C> {
    /// The metadata of the payload's event (eventType and version).
    pub fn info(&self) -> &'static EventInfo {
        self.info
    }

    /// The payload as the generated type would write it.
    pub fn value(&self) -> &Map<String, Value> {
        &self.value
    }

    /// The payload as JSON, giving up the metadata.
    pub fn into_value(self) -> Map<String, Value> {
        self.value
    }
}

impl<C: CatalogSource> DynamicPayload<C> {
    /// Checks a payload given as JSON against the event `event_type` version `event_version`
    /// of the catalog, as decoding an envelope would (errors read `payload.field: ...`).
    pub fn from_value(
        event_type: &str,
        event_version: &str,
        payload: Value,
    ) -> Result<Self, serde_json::Error> {
        Self::deserialize_payload(event_type, event_version, payload)
    }
}

/// The aggregate id the payload carries, by the event's rule. Decoding has checked that the
/// field holds a uuid (or a string, for a name-based id) unless the catalog made it optional.
fn aggregate_id(info: &EventInfo, value: &Map<String, Value>) -> Uuid {
    match info.aggregate_id {
        AggregateIdInfo::Field(field) => value
            .get(field)
            .and_then(Value::as_str)
            .and_then(|text| Uuid::parse_str(text).ok())
            .unwrap_or_default(),
        AggregateIdInfo::NameBased(field) => value
            .get(field)
            .and_then(Value::as_str)
            .map(name_based_aggregate_id)
            .unwrap_or_default(),
    }
}

impl<C> Clone for DynamicPayload<C> {
    fn clone(&self) -> Self {
        Self {
            info: self.info,
            aggregate_id: self.aggregate_id,
            value: self.value.clone(),
            marker: PhantomData,
        }
    }
}

impl<C> PartialEq for DynamicPayload<C> {
    fn eq(&self, other: &Self) -> bool {
        self.info.event_type == other.info.event_type
            && self.info.event_version == other.info.event_version
            && self.value == other.value
    }
}

impl<C> fmt::Debug for DynamicPayload<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynamicPayload")
            .field("event_type", &self.info.event_type)
            .field("event_version", &self.info.event_version)
            .field("value", &self.value)
            .finish()
    }
}

impl<C> Serialize for DynamicPayload<C> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<C: CatalogSource> EventPayload for DynamicPayload<C> {
    fn event_type(&self) -> &'static str {
        self.info.event_type
    }

    fn event_version(&self) -> &'static str {
        self.info.event_version
    }

    fn aggregate_type(&self) -> &'static str {
        self.info.aggregate_type
    }

    fn aggregate_id(&self) -> Uuid {
        self.aggregate_id
    }

    fn deserialize_payload<'de, D: Deserializer<'de>>(
        event_type: &str,
        event_version: &str,
        deserializer: D,
    ) -> Result<Self, D::Error> {
        let (info, aggregate_id, value) =
            decode::<true, C, D>(event_type, event_version, deserializer)?;
        Ok(Self {
            info,
            aggregate_id,
            value,
            marker: PhantomData,
        })
    }
}

/// A decoded payload: its event, its aggregate id, its JSON (empty when not kept).
pub(super) type Decoded = (&'static EventInfo, Uuid, Map<String, Value>);

/// The payload of `event_type` version `event_version` of the catalog `C`: its metadata, its
/// aggregate id and (with `KEEP`) its JSON; errors read `payload.field: ...`, and an unknown
/// event is the error the generated `AnyEvent` gives.
pub(super) fn decode<'de, const KEEP: bool, C: CatalogSource, D: Deserializer<'de>>(
    event_type: &str,
    event_version: &str,
    deserializer: D,
) -> Result<Decoded, D::Error> {
    let Some(info) = C::event(event_type, event_version) else {
        return Err(unknown_event::<D::Error>(
            C::catalog(),
            event_type,
            event_version,
        ));
    };
    let value = PayloadSeed::<KEEP>::new(info)
        .deserialize(MapOnly(deserializer))
        .map_err(|error| prefix_error::<D::Error>("payload", &error))?;
    Ok((info, aggregate_id(info, &value), value))
}
