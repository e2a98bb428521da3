//! What a lane remembers of the events it is retrying: when each first failed, and how many
//! times its handler failed it here, so that an attempt number never goes backwards.
//!
//! The attempt number is the server's delivery count, except when this instance has already
//! seen more failures of the same message (its stream sequence): nats-server 2.9 can deliver
//! a message again with a delivery count that went back to 1 (a redelivery the server could
//! not hand to a pull request, which expired at that very moment, is then taken for a new
//! message). Trusting that count alone would run the handler past the retry policy's
//! attempts and write a dead letter whose attempt count is too low; counting the failures
//! seen here keeps both true. The same server can also deliver again a message that was
//! settled already (acknowledged, or dead-lettered and terminated): the lane remembers what
//! it settled, and such a copy is terminated without running the handler. An instance that
//! never saw the earlier deliveries (another instance handled them) has only the server's
//! count.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

/// Events being retried, and events settled, remembered at most (an event that another
/// instance finished leaves its entry here; past this many, the memory starts again empty).
const MAX_REMEMBERED: usize = 10_000;

/// The failures of one message seen by this instance.
#[derive(Debug, Clone, Copy)]
struct Failures {
    /// When its handler first failed it.
    first: DateTime<Utc>,
    /// The highest attempt that failed.
    attempts: u32,
}

/// The failures a lane saw, by stream sequence.
#[derive(Debug, Default)]
pub(crate) struct Attempts {
    failures: HashMap<u64, Failures>,
    settled: HashSet<u64>,
}

impl Attempts {
    /// The attempt number of a delivery of the message at `sequence` that the server counts
    /// as its `delivered`th: never below 1, nor below one more than the failures seen here.
    pub(crate) fn attempt(&self, sequence: u64, delivered: i64) -> u32 {
        let counted = u32::try_from(delivered.max(1)).unwrap_or(u32::MAX);
        match self.failures.get(&sequence) {
            Some(seen) => counted.max(seen.attempts.saturating_add(1)),
            None => counted,
        }
    }

    /// Records that `attempt` of the message at `sequence` failed; returns when it first
    /// failed.
    pub(crate) fn failed(&mut self, sequence: u64, attempt: u32) -> DateTime<Utc> {
        if self.failures.len() >= MAX_REMEMBERED && !self.failures.contains_key(&sequence) {
            // Events retried by other instances since: their failures are theirs.
            self.failures.clear();
        }
        let seen = self.failures.entry(sequence).or_insert(Failures {
            first: Utc::now(),
            attempts: 0,
        });
        seen.attempts = seen.attempts.max(attempt);
        seen.first
    }

    /// When the message at `sequence` first failed here, if it did.
    pub(crate) fn first_failed_at(&self, sequence: u64) -> Option<DateTime<Utc>> {
        self.failures.get(&sequence).map(|seen| seen.first)
    }

    /// Records that the message at `sequence` was settled for good here (acknowledged, or
    /// dead-lettered and terminated).
    pub(crate) fn settled(&mut self, sequence: u64) {
        self.failures.remove(&sequence);
        if self.settled.len() >= MAX_REMEMBERED {
            self.settled.clear();
        }
        self.settled.insert(sequence);
    }

    /// Whether the message at `sequence` was settled here already: a copy the server
    /// delivers again is not to be handled.
    pub(crate) fn is_settled(&self, sequence: u64) -> bool {
        self.settled.contains(&sequence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_delivery_is_the_servers_count() {
        let attempts = Attempts::default();
        assert_eq!(attempts.attempt(7, 1), 1);
        assert_eq!(attempts.attempt(7, 0), 1, "never below 1");
        assert_eq!(attempts.attempt(7, 3), 3, "failures seen elsewhere count");
    }

    #[test]
    fn a_delivery_count_that_goes_back_does_not_rewind_the_attempts() {
        let mut attempts = Attempts::default();
        let first = attempts.failed(7, attempts.attempt(7, 1));
        assert_eq!(attempts.failed(7, attempts.attempt(7, 2)), first);
        // The server delivers the message again as if it were new.
        assert_eq!(attempts.attempt(7, 1), 3);
        // Other messages keep their own count.
        assert_eq!(attempts.attempt(8, 1), 1);
    }

    #[test]
    fn a_settled_message_is_remembered_as_settled() {
        let mut attempts = Attempts::default();
        assert!(!attempts.is_settled(7));
        let first = attempts.failed(7, 1);
        assert_eq!(attempts.first_failed_at(7), Some(first));
        attempts.settled(7);
        assert!(attempts.is_settled(7));
        assert_eq!(attempts.first_failed_at(7), None);
        assert!(!attempts.is_settled(8));
    }

    #[test]
    fn the_memory_is_bounded() {
        let mut attempts = Attempts::default();
        for sequence in 0..u64::try_from(MAX_REMEMBERED).unwrap() {
            attempts.failed(sequence, 1);
        }
        assert_eq!(attempts.attempt(0, 1), 2);
        attempts.failed(u64::MAX, 1);
        assert!(attempts.failures.len() <= MAX_REMEMBERED);
        assert_eq!(attempts.attempt(u64::MAX, 1), 2);
        for sequence in 0..=u64::try_from(MAX_REMEMBERED).unwrap() {
            attempts.settled(sequence);
        }
        assert!(attempts.settled.len() <= MAX_REMEMBERED);
    }
}
