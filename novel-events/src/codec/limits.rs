//! The limits every entrance enforces on an envelope: its size, its nesting, its strings.

use std::fmt;

/// Limits on the envelopes a bus, a store or a decoder accepts, enforced before the work they
/// bound (a size before parsing or storing, a nesting level before reading it).
///
/// | limit | default | at most |
/// | --- | --- | --- |
/// | [`max_envelope_bytes`](Self::max_envelope_bytes): the envelope as compact JSON | 1 MiB | any |
/// | [`max_depth`](Self::max_depth): arrays and objects nested in one another, the envelope's object included | 64 | 100 |
/// | [`max_string_bytes`](Self::max_string_bytes): one string, a key or a value, in UTF-8 | 256 KiB | any |
///
/// The default envelope size is the default `max_payload` of a NATS server, so an event
/// accepted here also fits a default JetStream stream. Nesting is capped at 100 because
/// serde_json reads no deeper than 127 levels: an event stored at any accepted depth can be
/// read back.
///
/// Where they apply:
/// - [`Envelope::check`](crate::Envelope::check), which [`InMemoryBus`](crate::InMemoryBus)
///   (see [`InMemoryBus::with_limits`](crate::InMemoryBus::with_limits)) and
///   [`check_append`](crate::store::check_append) run on every event (the default limits
///   there, [`check_append_with`](crate::store::check_append_with) for others);
/// - [`Envelope::from_json`](crate::Envelope::from_json), the decoder for input from outside
///   (the network): the size is checked before parsing, then the nesting and the strings as
///   they are read.
///
/// Decoding through serde (`serde_json::from_str::<Envelope<_>>`) is the path of the stores'
/// readers: it refuses duplicate keys and non-finite numbers but applies no size limit, so
/// that an event accepted under raised limits is never refused when read back.
///
/// A limit out of range is an error, not a silent clamp:
///
/// ```
/// use novel_events::Limits;
///
/// let limits = Limits::default().with_max_depth(16)?.with_max_string_bytes(4096)?;
/// assert_eq!(limits.max_depth(), 16);
/// assert_eq!(limits.max_envelope_bytes(), Limits::DEFAULT_MAX_ENVELOPE_BYTES);
///
/// let error = Limits::default().with_max_depth(500).unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "invalid limit `max_depth`: 500 is out of range, expected 2 to 100"
/// );
/// # Ok::<(), novel_events::InvalidLimit>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    max_envelope_bytes: usize,
    max_depth: usize,
    max_string_bytes: usize,
}

impl Limits {
    /// Default [`max_envelope_bytes`](Self::max_envelope_bytes): 1 MiB.
    pub const DEFAULT_MAX_ENVELOPE_BYTES: usize = 1 << 20;
    /// Default [`max_depth`](Self::max_depth): 64.
    pub const DEFAULT_MAX_DEPTH: usize = 64;
    /// Default [`max_string_bytes`](Self::max_string_bytes): 256 KiB.
    pub const DEFAULT_MAX_STRING_BYTES: usize = 256 << 10;
    /// The largest [`max_depth`](Self::max_depth) that can be set: 100.
    pub const MAX_DEPTH: usize = 100;
    /// The smallest [`max_depth`](Self::max_depth): the envelope and its payload.
    pub const MIN_DEPTH: usize = 2;
    /// The smallest [`max_string_bytes`](Self::max_string_bytes): room for an envelope's
    /// uuids, timestamp and eventType.
    pub const MIN_STRING_BYTES: usize = 256;
    /// The smallest [`max_envelope_bytes`](Self::max_envelope_bytes): room for an envelope's
    /// header.
    pub const MIN_ENVELOPE_BYTES: usize = 1024;

    /// The default limits (see the table above).
    pub const fn new() -> Self {
        Self {
            max_envelope_bytes: Self::DEFAULT_MAX_ENVELOPE_BYTES,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            max_string_bytes: Self::DEFAULT_MAX_STRING_BYTES,
        }
    }

    /// What serde decoding of an envelope checks: no size, the deepest nesting JSON is read
    /// at (serde_json stops at 127 levels), no string length.
    pub(crate) const UNSIZED: Self = Self {
        max_envelope_bytes: usize::MAX,
        max_depth: 127,
        max_string_bytes: usize::MAX,
    };

    /// The largest envelope, in bytes of compact JSON.
    pub const fn max_envelope_bytes(&self) -> usize {
        self.max_envelope_bytes
    }

    /// The deepest nesting of arrays and objects, the envelope's own object counting as 1
    /// (its payload as 2).
    pub const fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// The longest string (key or value), in bytes of UTF-8.
    pub const fn max_string_bytes(&self) -> usize {
        self.max_string_bytes
    }

    /// The same limits with envelopes of at most `bytes` (at least 1 KiB).
    pub fn with_max_envelope_bytes(mut self, bytes: usize) -> Result<Self, InvalidLimit> {
        InvalidLimit::check("max_envelope_bytes", bytes, Self::MIN_ENVELOPE_BYTES, None)?;
        self.max_envelope_bytes = bytes;
        Ok(self)
    }

    /// The same limits with nesting of at most `depth` levels (2 to 100).
    pub fn with_max_depth(mut self, depth: usize) -> Result<Self, InvalidLimit> {
        InvalidLimit::check("max_depth", depth, Self::MIN_DEPTH, Some(Self::MAX_DEPTH))?;
        self.max_depth = depth;
        Ok(self)
    }

    /// The same limits with strings of at most `bytes` (at least 256).
    pub fn with_max_string_bytes(mut self, bytes: usize) -> Result<Self, InvalidLimit> {
        InvalidLimit::check("max_string_bytes", bytes, Self::MIN_STRING_BYTES, None)?;
        self.max_string_bytes = bytes;
        Ok(self)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::new()
    }
}

/// A [`Limits`] value out of its range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InvalidLimit {
    /// The limit (`max_depth`).
    pub limit: &'static str,
    /// The value refused.
    pub value: usize,
    /// The smallest value allowed.
    pub min: usize,
    /// The largest value allowed, if any.
    pub max: Option<usize>,
}

impl InvalidLimit {
    fn check(
        limit: &'static str,
        value: usize,
        min: usize,
        max: Option<usize>,
    ) -> Result<(), Self> {
        if value < min || max.is_some_and(|max| value > max) {
            Err(Self {
                limit,
                value,
                min,
                max,
            })
        } else {
            Ok(())
        }
    }
}

impl fmt::Display for InvalidLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid limit `{}`: {} is out of range, expected ",
            self.limit, self.value
        )?;
        match self.max {
            Some(max) => write!(f, "{} to {max}", self.min),
            None => write!(f, "at least {}", self.min),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_limit_refuses_values_out_of_range() {
        let limits = Limits::default();
        assert!(limits.with_max_depth(1).is_err());
        assert!(limits.with_max_depth(101).is_err());
        assert_eq!(limits.with_max_depth(100).unwrap().max_depth(), 100);
        assert!(limits.with_max_string_bytes(255).is_err());
        assert!(limits.with_max_envelope_bytes(0).is_err());
        assert_eq!(
            limits
                .with_max_envelope_bytes(usize::MAX)
                .unwrap()
                .max_envelope_bytes(),
            usize::MAX
        );
        assert_eq!(
            limits.with_max_string_bytes(3).unwrap_err().to_string(),
            "invalid limit `max_string_bytes`: 3 is out of range, expected at least 256"
        );
    }
}
