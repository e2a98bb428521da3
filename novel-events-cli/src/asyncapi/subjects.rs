//! Where the JetStream bus (`novel-events-nats`) puts a catalog's events, and how it names
//! its subscribers' consumers, as the document states them.
//!
//! The bus is given a name when it connects (`JetStreamBus::connect(url, name, options)`,
//! usually the catalog's name). That name is its events stream, and every event is published
//! on `<name>.<partition>.<eventType>`, each dot-separated segment of the eventType one subject
//! token. A subscription is a durable consumer named after the subscription's name. Names and
//! tokens are escaped as the bus escapes them: every byte outside `[A-Za-z0-9-]` becomes `_`
//! and two hex digits. A test publishes through the real bus and checks its subjects against
//! these addresses.

use std::fmt;
use std::str::FromStr;

/// The name the bus is given: its events stream's name and the first token of its subjects.
/// Letters, digits, `-` and `_`, as the bus accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamName(String);

/// A name the bus would refuse for its stream.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` cannot name the JetStream stream: expected letters, digits, `-` and `_` (it names the stream and begins every subject)"
)]
pub struct InvalidStreamName(pub String);

impl StreamName {
    /// The name, if the bus accepts it.
    pub fn new(name: &str) -> Result<Self, InvalidStreamName> {
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
        if valid {
            Ok(Self(name.to_owned()))
        } else {
            Err(InvalidStreamName(name.to_owned()))
        }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for StreamName {
    type Err = InvalidStreamName;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::new(name)
    }
}

impl fmt::Display for StreamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The channel parameter that stands for the partition token.
pub const PARTITION: &str = "partition";

/// The address of an eventType's channel: `<stream>.{partition}.<eventType tokens>`.
pub fn channel_address(stream: &StreamName, event_type: &str) -> String {
    let tokens: Vec<String> = event_type.split('.').map(token).collect();
    format!("{stream}.{{{PARTITION}}}.{}", tokens.join("."))
}

/// The durable consumer the bus creates for a subscription named `subscription` (a
/// subscription with several workers on several partitions adds `-p<partition>` per
/// partition).
pub fn durable_consumer(subscription: &str) -> String {
    token(subscription)
}

/// A name as one subject token or consumer name, escaped as the bus escapes it.
fn token(name: &str) -> String {
    if name.is_empty() {
        return "_".to_owned();
    }
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("_{byte:02x}"));
        }
    }
    out
}

/// What the partition parameter means, for `partitions` partitions.
pub fn partition_rule(partitions: u32) -> String {
    format!(
        "The aggregate's partition, `0` to `{last}`: the high 64 bits of `aggregateId` XOR its low \
         64 bits, modulo the number of partitions the bus is set up with (`BusOptions::partitions`, \
         {partitions} here). Every event of one aggregate is on the same partition, so a consumer \
         of one partition (`<stream>.<partition>.>`) sees each of its aggregates' events in order.",
        last = partitions.max(1) - 1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_consumers_escape_as_the_bus_does() {
        let stream = StreamName::new("novel-engine").unwrap();
        assert_eq!(
            channel_address(&stream, "characters.character.created"),
            "novel-engine.{partition}.characters.character.created"
        );
        assert_eq!(durable_consumer("Memory Service"), "Memory_20Service");
        assert_eq!(durable_consumer("a.b c_d"), "a_2eb_20c_5fd");
        assert_eq!(durable_consumer(""), "_");
    }

    #[test]
    fn stream_names_are_what_the_bus_accepts() {
        assert!(StreamName::new("novel_engine-2").is_ok());
        for bad in ["", "a.b", "a b", "a>", "a*"] {
            let error = StreamName::new(bad).unwrap_err();
            assert!(error.to_string().contains("letters, digits"), "{error}");
        }
    }
}
