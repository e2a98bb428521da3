//! The envelope target: mutated envelopes of the Novel Engine specification's events (the
//! fixtures of `tests/fixtures/novel-engine/`) decoded as `Envelope<AnyEvent>`.
//!
//! Contract: no input panics the decoder; an envelope that decodes passes `validate` and
//! survives a round trip (decode, encode, decode: equal, and the same text); the verdict does
//! not depend on whether the payload comes before or after `eventType`/`eventVersion`; what
//! `Envelope::from_json` accepts under the default limits, serde decoding accepts equal
//! ([`oracle`]).

mod members;
pub(crate) mod mutate;
mod oracle;
pub(crate) mod tree;

use crate::rng::Rng;
use crate::target::{Failure, Outcome, Target};
use tree::Json;

/// The seed texts that are JSON, as trees (the others are left out).
pub(crate) fn trees(seeds: &[String]) -> Vec<Json> {
    seeds
        .iter()
        .filter_map(|text| serde_json::from_str::<serde_json::Value>(text).ok())
        .map(|value| Json::from_value(&value))
        .collect()
}

/// The seed envelopes, as trees.
pub struct Envelopes {
    seeds: Vec<Json>,
}

impl Envelopes {
    /// The target over these seed texts (those that are not JSON are left out).
    pub fn new(seeds: &[String]) -> Self {
        Self {
            seeds: trees(seeds),
        }
    }

    /// Whether a seed could be read.
    pub fn is_empty(&self) -> bool {
        self.seeds.is_empty()
    }
}

impl Target for Envelopes {
    const NAME: &'static str = "envelope";
    const EXTENSION: &'static str = "json";
    const SEED_DIRS: &'static [&'static str] = &["tests/fixtures/novel-engine"];

    fn next_input(&self, rng: &mut Rng) -> String {
        let base = rng.below(self.seeds.len());
        mutate::mutate(&self.seeds, base, rng)
    }

    fn check(&self, input: &str) -> Result<Outcome, Failure> {
        oracle::check(input)
    }
}
