//! A stored row, decoded into a [`StoredEvent`] with upcasting on read.

use novel_events::{Envelope, EventPayload, StoreError, StoredEvent, Upcasters};
use sqlx::Row as _;
use sqlx::postgres::PgRow;

use crate::error::{database_error, unsigned};

/// The columns of a read (see `statements::COLUMNS`).
pub(crate) struct Row {
    position: u64,
    stream_version: u64,
    event_id: String,
    event_type: String,
    event_version: String,
    envelope: String,
}

impl Row {
    /// The columns of `row`.
    pub(crate) fn from_pg(row: &PgRow) -> Result<Self, StoreError> {
        Ok(Self {
            position: unsigned(row.try_get(0).map_err(database_error)?),
            stream_version: unsigned(row.try_get(1).map_err(database_error)?),
            event_id: row.try_get(2).map_err(database_error)?,
            event_type: row.try_get(3).map_err(database_error)?,
            event_version: row.try_get(4).map_err(database_error)?,
            envelope: row.try_get(5).map_err(database_error)?,
        })
    }

    /// The event, upcast to its newest version. A row that does not decode is
    /// [`StoreError::Undecodable`], naming its position, eventId, type and version.
    pub(crate) fn decode<P: EventPayload>(
        self,
        upcasters: &Upcasters,
    ) -> Result<StoredEvent<P>, StoreError> {
        let undecodable = |message: String| StoreError::Undecodable {
            position: self.position,
            event_id: self.event_id.clone(),
            event_type: self.event_type.clone(),
            event_version: self.event_version.clone(),
            message,
        };
        let envelope: Envelope<P> = if upcasters.handles(&self.event_type, &self.event_version) {
            let mut value: serde_json::Value = serde_json::from_str(&self.envelope)
                .map_err(|error| undecodable(error.to_string()))?;
            let Some(object) = value.as_object_mut() else {
                return Err(undecodable("the envelope is not a JSON object".to_owned()));
            };
            let payload = object.remove("payload").unwrap_or_default();
            let (version, payload) = upcasters
                .upcast(&self.event_type, &self.event_version, payload)
                .map_err(undecodable)?;
            object.insert("payload".to_owned(), payload);
            object.insert(
                "eventVersion".to_owned(),
                serde_json::Value::String(version),
            );
            serde_json::from_value(value).map_err(|error| undecodable(error.to_string()))?
        } else {
            serde_json::from_str(&self.envelope).map_err(|error| undecodable(error.to_string()))?
        };
        Ok(StoredEvent {
            position: self.position,
            stream_version: self.stream_version,
            envelope,
        })
    }
}
