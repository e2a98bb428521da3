//! W3C Trace Context (`traceparent`) carried in `metadata.trace`.

use std::fmt;

/// A W3C `traceparent`: version 00, a 16-byte trace id, an 8-byte parent span id, flags.
///
/// ```
/// use novel_events::TraceContext;
///
/// let parent: TraceContext = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".parse().unwrap();
/// let child = parent.child();
/// assert_eq!(child.trace_id(), parent.trace_id());
/// assert_ne!(child.span_id(), parent.span_id());
/// assert!(child.to_string().starts_with("00-4bf92f3577b34da6a3ce929d0e0e4736-"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TraceContext {
    trace_id: [u8; 16],
    span_id: [u8; 8],
    flags: u8,
}

/// A `traceparent` that does not follow the W3C format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid traceparent `{0}`: expected `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`"
)]
pub struct InvalidTraceparent(String);

impl TraceContext {
    /// A new trace (random ids, sampled).
    pub fn new_root() -> Self {
        let trace = uuid::Uuid::new_v4().into_bytes();
        let mut context = Self {
            trace_id: trace,
            span_id: [0; 8],
            flags: 1,
        };
        context.span_id = random_span_id();
        context
    }

    /// The same trace with a new span id: the context of work caused by this one.
    #[must_use]
    pub fn child(&self) -> Self {
        Self {
            span_id: random_span_id(),
            ..*self
        }
    }

    /// The trace id, in hex.
    pub fn trace_id(&self) -> String {
        hex(&self.trace_id)
    }

    /// The span id, in hex.
    pub fn span_id(&self) -> String {
        hex(&self.span_id)
    }
}

fn random_span_id() -> [u8; 8] {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let mut span = [0; 8];
    span.copy_from_slice(&bytes[..8]);
    if span == [0; 8] {
        span[7] = 1;
    }
    span
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != N * 2
        || !text
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return None;
    }
    let mut out = [0; N];
    for (index, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[index * 2..index * 2 + 2], 16).ok()?;
    }
    Some(out)
}

impl fmt::Display for TraceContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "00-{}-{}-{:02x}",
            self.trace_id(),
            self.span_id(),
            self.flags
        )
    }
}

impl std::str::FromStr for TraceContext {
    type Err = InvalidTraceparent;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidTraceparent(text.to_owned());
        let parts: Vec<&str> = text.split('-').collect();
        let [version, trace, span, flags] = parts.as_slice() else {
            return Err(invalid());
        };
        if *version != "00" {
            return Err(invalid());
        }
        let trace_id = unhex::<16>(trace)
            .filter(|id| *id != [0; 16])
            .ok_or_else(invalid)?;
        let span_id = unhex::<8>(span)
            .filter(|id| *id != [0; 8])
            .ok_or_else(invalid)?;
        let [flags] = unhex::<1>(flags).ok_or_else(invalid)?;
        Ok(Self {
            trace_id,
            span_id,
            flags,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_malformed() {
        let text = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assert_eq!(text.parse::<TraceContext>().unwrap().to_string(), text);
        for bad in [
            "",
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f-00f067aa0ba902b7-01",
        ] {
            assert!(bad.parse::<TraceContext>().is_err(), "{bad}");
        }
        let root = TraceContext::new_root();
        assert_eq!(root.to_string().parse::<TraceContext>().unwrap(), root);
    }
}
