//! The names a catalog takes on the server: streams, subjects, consumers and keys.
//!
//! A catalog `novel-engine` with 4 partitions owns three streams:
//! - `novel-engine`, subjects `novel-engine.>`: the events, each on
//!   `novel-engine.<partition>.<eventType>` (`novel-engine.2.characters.character.created`);
//! - `novel-engine-reprocess`, subjects `novel-engine-reprocess.>`: dead letters sent back to one
//!   subscriber, on `novel-engine-reprocess.<subscriber>`;
//! - `novel-engine-dead-letters`, subjects `novel-engine-dead-letters.>`: dead letters, on
//!   `novel-engine-dead-letters.<subscriber>`;
//!
//! and `novel-engine-idempotency`, subjects `novel-engine-idempotency.<subscriber>.<eventId>`:
//! the eventIds each subscriber claimed.
//!
//! Names and tokens the server refuses (`.`, `*`, `>`, whitespace) are escaped: every byte
//! outside `[A-Za-z0-9-]` becomes `_` and two hex digits (`_` itself is `_5f`), so that two
//! different names never share a token.

use uuid::Uuid;

/// The server-side names of one catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Names {
    catalog: String,
    partitions: u32,
}

impl Names {
    /// The names of `catalog` (a stream name: letters, digits, `-` and `_`), or why not.
    pub(crate) fn new(catalog: &str, partitions: u32) -> Result<Self, String> {
        if catalog.is_empty()
            || !catalog
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
        {
            return Err(format!(
                "catalog name `{catalog}` must be letters, digits, `-` and `_` (it names streams)"
            ));
        }
        Ok(Self {
            catalog: catalog.to_owned(),
            partitions: partitions.max(1),
        })
    }

    /// The catalog's name.
    pub(crate) fn catalog(&self) -> &str {
        &self.catalog
    }

    /// How many partitions the publisher spreads aggregates over.
    pub(crate) fn partitions(&self) -> u32 {
        self.partitions
    }

    /// The events stream.
    pub(crate) fn events_stream(&self) -> String {
        self.catalog.clone()
    }

    /// Every event subject.
    pub(crate) fn events_filter(&self) -> String {
        format!("{}.>", self.catalog)
    }

    /// The subjects of one partition.
    pub(crate) fn partition_filter(&self, partition: u32) -> String {
        format!("{}.{partition}.>", self.catalog)
    }

    /// The subject of an event.
    pub(crate) fn event_subject(&self, event_type: &str, aggregate_id: Uuid) -> String {
        format!(
            "{}.{}.{}",
            self.catalog,
            partition(aggregate_id, self.partitions),
            event_type_tokens(event_type)
        )
    }

    /// The stream of dead letters sent back.
    pub(crate) fn reprocess_stream(&self) -> String {
        format!("{}-reprocess", self.catalog)
    }

    /// The subject of dead letters sent back to `subscriber`.
    pub(crate) fn reprocess_subject(&self, subscriber: &str) -> String {
        format!("{}-reprocess.{}", self.catalog, token(subscriber))
    }

    /// The dead-letter stream.
    pub(crate) fn dead_letter_stream(&self) -> String {
        format!("{}-dead-letters", self.catalog)
    }

    /// The subject of `subscriber`'s dead letters.
    pub(crate) fn dead_letter_subject(&self, subscriber: &str) -> String {
        format!("{}-dead-letters.{}", self.catalog, token(subscriber))
    }

    /// The idempotency stream.
    pub(crate) fn idempotency_stream(&self) -> String {
        format!("{}-idempotency", self.catalog)
    }
}

/// The partition of an aggregate: the same for every event of the aggregate while the number
/// of partitions stays the same.
pub(crate) fn partition(aggregate_id: Uuid, partitions: u32) -> u32 {
    let (high, low) = aggregate_id.as_u64_pair();
    #[allow(clippy::cast_possible_truncation)]
    let part = ((high ^ low) % u64::from(partitions.max(1))) as u32;
    part
}

/// A name as one subject token (or consumer name): see the module documentation.
pub(crate) fn token(name: &str) -> String {
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

/// An eventType as subject tokens: each dot-separated segment escaped.
fn event_type_tokens(event_type: &str) -> String {
    event_type
        .split('.')
        .map(token)
        .collect::<Vec<_>>()
        .join(".")
}

/// The subject tokens of `event_id` handled by `subscriber` in the idempotency stream.
pub(crate) fn idempotency_key(subscriber: &str, event_id: Uuid) -> String {
    format!("{}.{}", token(subscriber), event_id.simple())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_partition_is_the_xor_of_the_halves_modulo_the_count() {
        let id = Uuid::from_u128(0x0000_0000_0000_0007_0000_0000_0000_0002);
        assert_eq!(partition(id, 4), (7 ^ 2) % 4);
        assert_eq!(partition(id, 1), 0);
    }

    #[test]
    fn subjects_and_tokens() {
        let names = Names::new("novel-engine", 1).unwrap();
        assert_eq!(
            names.event_subject("characters.character.created", Uuid::new_v4()),
            "novel-engine.0.characters.character.created"
        );
        assert_eq!(token("memory-service"), "memory-service");
        assert_eq!(token("a.b c_d"), "a_2eb_20c_5fd");
        assert_eq!(names.reprocess_subject("x*"), "novel-engine-reprocess.x_2a");
        assert!(Names::new("a.b", 1).is_err());
        assert!(Names::new("", 1).is_err());
        let id = Uuid::new_v4();
        assert_eq!(partition(id, 8), partition(id, 8));
        assert!(partition(id, 8) < 8);
        assert_eq!(partition(id, 0), 0);
    }
}
