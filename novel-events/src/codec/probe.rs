//! Whether a payload type takes an envelope's eventType and eventVersion, asked as soon as both
//! are read, so that an error about them points at them and not at the payload.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};

use crate::event::EventPayload;

/// `Err(message)` when `P` refuses an envelope of this eventType and eventVersion.
///
/// `P::deserialize_payload` checks the two before it reads anything (the contract of
/// [`EventPayload::deserialize_payload`]); it is given a deserializer that stops at the first
/// read. Reaching it means the pair is accepted.
pub(crate) fn refusal<P: EventPayload>(event_type: &str, event_version: &str) -> Option<String> {
    REACHED.with(|reached| reached.set(false));
    let result = P::deserialize_payload(event_type, event_version, Probe);
    let reached = REACHED.with(|reached| reached.replace(false));
    match result {
        Err(_) if reached => None,
        Err(ProbeError(message)) => Some(message),
        // A payload that reads nothing (a unit struct): accepted.
        Ok(_) => None,
    }
}

thread_local! {
    /// Whether the probe of this thread was reached: from then on, the errors the payload type
    /// wraps around the probe's are not formatted (decoding pays for no message it drops).
    static REACHED: Cell<bool> = const { Cell::new(false) };
}

/// The error of a probe: the payload type's message.
#[derive(Debug)]
struct ProbeError(String);

impl fmt::Display for ProbeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProbeError {}

impl de::Error for ProbeError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        if REACHED.with(Cell::get) {
            ProbeError(String::new())
        } else {
            ProbeError(message.to_string())
        }
    }
}

/// A deserializer that records that it was reached, and stops.
struct Probe;

impl<'de> Deserializer<'de> for Probe {
    type Error = ProbeError;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, ProbeError> {
        REACHED.with(|reached| reached.set(true));
        Err(ProbeError(String::new()))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

#[cfg(all(test, feature = "novel-engine"))]
mod tests {
    use super::refusal;
    use crate::novel_engine::AnyEvent;
    use crate::novel_engine::characters::CharacterDeleted;

    #[test]
    fn accepts_known_pairs_and_names_the_unknown() {
        assert_eq!(
            refusal::<AnyEvent>("characters.character.deleted", "1.0.0"),
            None
        );
        assert_eq!(
            refusal::<CharacterDeleted>("characters.character.deleted", "1.0.0"),
            None
        );
        let message = refusal::<AnyEvent>("characters.character.deleted", "9.0.0").unwrap();
        assert!(message.starts_with("eventVersion: "), "{message}");
        let message = refusal::<CharacterDeleted>("x.y.z", "1.0.0").unwrap();
        assert!(message.contains("x.y.z"), "{message}");
    }
}
