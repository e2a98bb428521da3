//! The validate target: streams of JSON Lines, each line a mutated envelope of the Novel
//! Engine specification's events, through the core of `novel-events validate`
//! (`novel_events_cli::envelopes`), with the Novel Engine catalog loaded at run time as the
//! command loads it.
//!
//! Contract ([`oracle`]): no stream panics the command's core; its report is well formed and
//! its summary adds up; and the command's verdict on every line (the catalog read at run time,
//! payloads checked from metadata) is the compiled catalog's verdict (`Envelope<AnyEvent>`),
//! so that `validate` accepts exactly what a service built on the catalog accepts.

mod oracle;

use crate::envelope::{self, mutate, tree::Json};
use crate::rng::Rng;
use crate::target::{Failure, Outcome, Target};

/// The seed envelopes, as trees; the catalog is installed on first use.
pub struct Streams {
    seeds: Vec<Json>,
}

impl Streams {
    /// The target over these seed envelope texts (those that are not JSON are left out).
    pub fn new(seeds: &[String]) -> Self {
        Self {
            seeds: envelope::trees(seeds),
        }
    }

    /// Whether a seed could be read.
    pub fn is_empty(&self) -> bool {
        self.seeds.is_empty()
    }
}

/// Line ends a stream may use between lines.
const SEPARATORS: &[&str] = &["\n", "\r\n", "\n\n", "\n \t\n"];

impl Target for Streams {
    const NAME: &'static str = "validate";
    const EXTENSION: &'static str = "jsonl";
    const SEED_DIRS: &'static [&'static str] = &["tests/fixtures/novel-engine"];

    /// One to six envelopes, most of them mutated, on lines of their own.
    fn next_input(&self, rng: &mut Rng) -> String {
        let lines = 1 + rng.below(6);
        let mut stream = String::new();
        for index in 0..lines {
            if index > 0 {
                stream.push_str(SEPARATORS[rng.below(SEPARATORS.len())]);
            }
            let base = rng.below(self.seeds.len());
            if rng.one_in(4) {
                self.seeds[base].render(&mut stream);
            } else {
                stream.push_str(&mutate::mutate(&self.seeds, base, rng));
            }
        }
        if rng.one_in(2) {
            stream.push('\n');
        }
        stream
    }

    fn check(&self, input: &str) -> Result<Outcome, Failure> {
        oracle::check(input)
    }
}
