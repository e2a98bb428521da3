//! Support for generated code. Not public API: may change in any release.

use serde::Deserialize;
use serde::de::{Deserializer, Error as _};

use crate::catalog_info::CatalogInfo;
use crate::event::Event;
use crate::validation::{ValidationError, Violation};

pub use chrono;
pub use serde;
pub use serde_json;
pub use uuid;

/// Numeric bounds and nested objects, checked before publishing.
pub trait Validate {
    /// Records every violation under `path` (`payload`, `payload.traits`, ...).
    fn validate_into(&self, path: &str, violations: &mut Vec<Violation>);
}

/// A field value whose bounds can be checked (`f64`, `i64` and their options).
pub trait Bounded {
    /// The value as a float, `None` when absent.
    fn bounded_value(&self) -> Option<f64>;
}

impl Bounded for f64 {
    fn bounded_value(&self) -> Option<f64> {
        Some(*self)
    }
}

impl Bounded for i64 {
    #[allow(clippy::cast_precision_loss)]
    fn bounded_value(&self) -> Option<f64> {
        Some(*self as f64)
    }
}

impl<T: Bounded> Bounded for Option<T> {
    fn bounded_value(&self) -> Option<f64> {
        self.as_ref().and_then(Bounded::bounded_value)
    }
}

fn bounds_message(value: f64, min: Option<f64>, max: Option<f64>) -> Option<String> {
    let below = min.is_some_and(|min| value < min);
    let above = max.is_some_and(|max| value > max);
    if !(below || above || value.is_nan()) {
        return None;
    }
    let expected = match (min, max) {
        (Some(min), Some(max)) => format!("a number from {min} to {max}"),
        (Some(min), None) => format!("a number of at least {min}"),
        (None, Some(max)) => format!("a number of at most {max}"),
        (None, None) => "a number".to_owned(),
    };
    Some(format!("{value} is out of range: expected {expected}"))
}

/// Records a violation when the value lies outside `min..=max`.
pub fn check_bounds<T: Bounded>(
    value: &T,
    min: Option<f64>,
    max: Option<f64>,
    path: &str,
    field: &str,
    violations: &mut Vec<Violation>,
) {
    if let Some(message) = value
        .bounded_value()
        .and_then(|value| bounds_message(value, min, max))
    {
        violations.push(Violation {
            path: format!("{path}.{field}"),
            message,
        });
    }
}

/// Runs [`Validate`] from the payload's root.
pub fn validate_payload<T: Validate>(payload: &T) -> Result<(), ValidationError> {
    let mut violations = Vec::new();
    payload.validate_into("payload", &mut violations);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ValidationError { violations })
    }
}

/// Removes the " at line L column C" that serde_json appends, so that an error re-wrapped
/// with a path gets its position once.
pub fn strip_position(message: &str) -> String {
    if let Some(index) = message.rfind(" at line ") {
        let tail = &message[index + " at line ".len()..];
        let mut parts = tail.split(" column ");
        let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        if let (Some(line), Some(column), None) = (parts.next(), parts.next(), parts.next())
            && digits(line)
            && digits(column)
        {
            return message[..index].to_owned();
        }
    }
    message.to_owned()
}

/// `key: message`, or `key.path: message` when the inner error already names a path.
///
/// A path is the text before the first `": "` when it holds no space.
pub fn prefix_error<E: serde::de::Error>(key: &str, error: &dyn std::fmt::Display) -> E {
    let message = strip_position(&error.to_string());
    match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => {
            let separator = if path.starts_with('[') { "" } else { "." };
            E::custom(format_args!("{key}{separator}{path}: {rest}"))
        }
        _ => E::custom(format_args!("{key}: {message}")),
    }
}

/// Decodes one field, naming it in any error.
#[inline]
pub fn deserialize_field<'de, D, T>(deserializer: D, field: &'static str) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map_err(|error| prefix_error(field, &error))
}

/// Decodes one numeric field and checks its bounds, naming it in any error.
#[inline]
pub fn deserialize_bounded<'de, D, T>(
    deserializer: D,
    field: &'static str,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Bounded,
{
    let value = deserialize_field::<D, T>(deserializer, field)?;
    match value
        .bounded_value()
        .and_then(|number| bounds_message(number, min, max))
    {
        Some(message) => Err(D::Error::custom(format_args!("{field}: {message}"))),
        None => Ok(value),
    }
}

/// Decodes an event's payload, prefixing errors with `payload`.
#[inline]
pub fn deserialize_event<'de, E, D>(deserializer: D) -> Result<E, D::Error>
where
    E: Event,
    D: Deserializer<'de>,
{
    E::deserialize(deserializer).map_err(|error| prefix_error("payload", &error))
}

/// The error for an eventType and version that a catalog does not have.
pub fn unknown_event<E: serde::de::Error>(
    catalog: &CatalogInfo,
    event_type: &str,
    event_version: &str,
) -> E {
    let versions: Vec<&str> = catalog
        .versions(event_type)
        .map(|event| event.event_version)
        .collect();
    if versions.is_empty() {
        let types = catalog.events.iter().map(|event| event.event_type);
        let hint = nearest(event_type, types)
            .map(|near| format!(" (did you mean `{near}`?)"))
            .unwrap_or_default();
        E::custom(format_args!(
            "eventType: unknown eventType `{event_type}` in catalog `{}`{hint}",
            catalog.name
        ))
    } else {
        E::custom(format_args!(
            "eventVersion: `{event_type}` has no version {event_version} in catalog `{}`; known versions: {}",
            catalog.name,
            versions.join(", ")
        ))
    }
}

/// The candidate closest to `word` by edit distance, if close enough to be a typo.
fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.len() / 3).max(2);
    candidates
        .map(|candidate| (edit_distance(word, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            current.push(
                (previous[j] + usize::from(ca != *cb))
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_serde_json_positions_only() {
        assert_eq!(
            strip_position("invalid type: string at line 1 column 20"),
            "invalid type: string"
        );
        assert_eq!(strip_position("stay at line one"), "stay at line one");
    }

    #[test]
    fn joins_paths() {
        let error: serde_json::Error = prefix_error("payload", &"openness: invalid type: string");
        assert_eq!(error.to_string(), "payload.openness: invalid type: string");
        let error: serde_json::Error = prefix_error("payload", &"missing field `name`");
        assert_eq!(error.to_string(), "payload: missing field `name`");
    }

    #[test]
    fn bounds() {
        assert!(bounds_message(0.5, Some(0.0), Some(1.0)).is_none());
        assert_eq!(
            bounds_message(1.5, Some(0.0), Some(1.0)).unwrap(),
            "1.5 is out of range: expected a number from 0 to 1"
        );
        assert!(bounds_message(f64::NAN, None, None).is_some());
    }
}
