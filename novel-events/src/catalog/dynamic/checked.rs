//! A payload checked against a catalog's metadata and not kept: for validators, which only
//! need to know whether an envelope is good.

use std::fmt;
use std::marker::PhantomData;

use serde::de::Deserializer;
use serde::ser::Error as _;
use serde::{Serialize, Serializer};
use uuid::Uuid;

use super::payload::{CatalogSource, decode};
use crate::catalog::EventInfo;
use crate::event::EventPayload;

/// A payload of the catalog `C` decoded and checked exactly as [`DynamicPayload`] is (the
/// same rules, the same errors), keeping nothing but its event's metadata and aggregate id:
/// the fastest way to validate envelopes against a catalog loaded at run time.
///
/// It cannot be written back: serializing it is an error (decode a
/// [`DynamicPayload`] to keep the payload).
///
/// [`DynamicPayload`]: super::DynamicPayload
pub struct CheckedPayload<C> {
    info: &'static EventInfo,
    aggregate_id: Uuid,
    marker: PhantomData<fn() -> C>,
}

impl<C> CheckedPayload<C> {
    /// The metadata of the payload's event (eventType and version).
    pub fn info(&self) -> &'static EventInfo {
        self.info
    }
}

impl<C> Clone for CheckedPayload<C> {
    fn clone(&self) -> Self {
        Self {
            info: self.info,
            aggregate_id: self.aggregate_id,
            marker: PhantomData,
        }
    }
}

impl<C> fmt::Debug for CheckedPayload<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CheckedPayload")
            .field("event_type", &self.info.event_type)
            .field("event_version", &self.info.event_version)
            .field("aggregate_id", &self.aggregate_id)
            .finish()
    }
}

impl<C> Serialize for CheckedPayload<C> {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(S::Error::custom(format_args!(
            "a CheckedPayload of `{}` version {} keeps no payload to write; decode a DynamicPayload to keep it",
            self.info.event_type, self.info.event_version
        )))
    }
}

impl<C: CatalogSource> EventPayload for CheckedPayload<C> {
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
        let (info, aggregate_id, _) =
            decode::<false, C, D>(event_type, event_version, deserializer)?;
        Ok(Self {
            info,
            aggregate_id,
            marker: PhantomData,
        })
    }
}
