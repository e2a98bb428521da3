//! An event's payload, decoded from a JSON object and checked like the catalog says.

use serde::de::{Deserializer, Error as _};

use super::error_path::prefix_error;
use super::map_only::MapOnly;
use crate::event::Event;

/// Decodes an event's payload, prefixing errors with `payload`. The payload is read from a
/// JSON object only.
#[inline]
pub fn deserialize_event<'de, E, D>(deserializer: D) -> Result<E, D::Error>
where
    E: Event,
    D: Deserializer<'de>,
{
    let event =
        E::deserialize(MapOnly(deserializer)).map_err(|error| prefix_error("payload", &error))?;
    if !E::CHECKS_ON_DECODE
        && let Err(invalid) = event.validate()
    {
        let violations: Vec<String> = invalid.violations.iter().map(ToString::to_string).collect();
        return Err(D::Error::custom(violations.join("; ")));
    }
    Ok(event)
}

/// The `EventPayload::deserialize_payload` of one event type: refuses an envelope of another
/// eventType or eventVersion, then decodes like [`deserialize_event`].
#[inline]
pub fn deserialize_event_payload<'de, E, D>(
    event_type: &str,
    event_version: &str,
    deserializer: D,
) -> Result<E, D::Error>
where
    E: Event,
    D: Deserializer<'de>,
{
    if event_type != E::EVENT_TYPE || event_version != E::EVENT_VERSION {
        return Err(D::Error::custom(format_args!(
            "expected an envelope of `{}` version {}, found `{}` version {}",
            E::EVENT_TYPE,
            E::EVENT_VERSION,
            super::quote::shorten(event_type),
            super::quote::shorten(event_version),
        )));
    }
    deserialize_event::<E, D>(deserializer)
}
