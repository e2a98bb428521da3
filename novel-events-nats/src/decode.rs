//! Reading an envelope off the wire, upcast to the newest version when an upcaster applies:
//! the envelope's JSON, or a CloudEvent (binary mode, recognized by its `ce-specversion`
//! header; structured mode, by a `Content-Type` of `application/cloudevents`), whichever
//! encoding the publisher chose.

use std::borrow::Cow;

use async_nats::HeaderMap;
use novel_events::cloudevents::{CloudEvents, HEADER_PREFIX};
use novel_events::{Envelope, EventPayload, Limits, Upcasters};

/// The envelope JSON of a message: its body, or the envelope a CloudEvent carries (its
/// attributes checked, its payload left to the envelope decoder, under the same limits).
fn envelope_json<'a>(
    headers: Option<&HeaderMap>,
    limits: &Limits,
    bytes: &'a [u8],
) -> Result<Cow<'a, [u8]>, String> {
    let Some(headers) = headers else {
        return Ok(Cow::Borrowed(bytes));
    };
    let pairs = || {
        headers.iter().flat_map(|(name, values)| {
            let name: &str = name.as_ref();
            values.iter().map(move |value| (name, value.as_str()))
        })
    };
    let specversion = format!("{HEADER_PREFIX}specversion");
    let structured = pairs().any(|(name, value)| {
        name.eq_ignore_ascii_case("content-type")
            && value
                .trim_start()
                .get(..23)
                .is_some_and(|media| media.eq_ignore_ascii_case("application/cloudevents"))
    });
    // Reading a CloudEvent needs only the limits (no catalog name: `dataschema` is not checked).
    let mapping = || CloudEvents::new(String::new()).with_limits(*limits);
    let cloudevent = if structured {
        mapping().structured_to_envelope_json(bytes)
    } else if pairs().any(|(name, _)| name.eq_ignore_ascii_case(&specversion)) {
        mapping().binary_to_envelope_json(pairs(), bytes)
    } else {
        return Ok(Cow::Borrowed(bytes));
    };
    cloudevent
        .map(Cow::Owned)
        .map_err(|error| format!("CloudEvent: {error}"))
}

/// The envelope in a message of these headers and body, or why it is not one of `P`'s (not JSON, not an envelope, an
/// unknown eventType or version, a payload breaking its catalog, a failing upcaster, over
/// `limits`).
///
/// Without upcasters, `Envelope::from_json` reads it: the size limit first, then the guard
/// over every value (duplicate keys, nesting, string lengths, finite numbers). With
/// upcasters, the JSON is read into a tree to convert its payload: the size limit is checked
/// first, and the converted envelope is decoded with the same guard, but a key repeated in the
/// message is not seen (the tree keeps its last value).
pub(crate) fn decode<P: EventPayload>(
    upcasters: Option<&Upcasters>,
    limits: &Limits,
    headers: Option<&HeaderMap>,
    bytes: &[u8],
) -> Result<Envelope<P>, String> {
    let json = envelope_json(headers, limits, bytes)?;
    let bytes = &json[..];
    let Some(upcasters) = upcasters else {
        return Envelope::from_json(bytes, limits).map_err(|error| error.to_string());
    };
    let max = limits.max_envelope_bytes();
    if bytes.len() > max {
        return Err(format!(
            "the envelope is {} bytes, more than the limit `max_envelope_bytes` ({max})",
            bytes.len()
        ));
    }
    let mut value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|error| error.to_string())?;
    let Some(object) = value.as_object_mut() else {
        return Err("the envelope is not a JSON object".to_owned());
    };
    let event_type = object.get("eventType").and_then(serde_json::Value::as_str);
    let version = object
        .get("eventVersion")
        .and_then(serde_json::Value::as_str);
    if let (Some(event_type), Some(version)) = (event_type, version)
        && upcasters.handles(event_type, version)
    {
        let (event_type, version) = (event_type.to_owned(), version.to_owned());
        let payload = object
            .get_mut("payload")
            .map(serde_json::Value::take)
            .unwrap_or_default();
        let (version, payload) = upcasters.upcast(&event_type, &version, payload)?;
        object.insert("payload".to_owned(), payload);
        object.insert(
            "eventVersion".to_owned(),
            serde_json::Value::String(version),
        );
    }
    let converted = serde_json::to_vec(&value).map_err(|error| error.to_string())?;
    Envelope::from_json(&converted, limits).map_err(|error| error.to_string())
}
