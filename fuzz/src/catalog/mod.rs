//! The catalog target: mutated catalogs through `parse_catalog` and `generate`.
//!
//! Contract: no input panics, takes more than [`oracle::TIME_BUDGET`], generates more than
//! [`oracle::BYTES_PER_KIB`] per KiB, or generates tokens that are not a Rust file.

mod mutate;
mod oracle;

use crate::rng::Rng;
use crate::target::{Failure, Outcome, Target};

/// The seed catalogs, and those of them that are accepted as they are.
pub struct Catalogs {
    corpus: Vec<String>,
    valid: Vec<usize>,
}

impl Catalogs {
    /// The target over these seed catalogs.
    pub fn new(seeds: Vec<String>) -> Self {
        let valid = seeds
            .iter()
            .enumerate()
            .filter(|(_, text)| novel_events_codegen::parse_catalog(text, "seed.yaml").is_ok())
            .map(|(index, _)| index)
            .collect();
        Self {
            corpus: seeds,
            valid,
        }
    }
}

impl Target for Catalogs {
    const NAME: &'static str = "catalog";
    const EXTENSION: &'static str = "yaml";
    const SEED_DIRS: &'static [&'static str] = &["catalog", "tests/catalogs", "tests/ui/catalogs"];

    fn next_input(&self, rng: &mut Rng) -> String {
        // Catalogs accepted as they are are mutated two times in three, so that most inputs
        // get past the reader to validation and code generation.
        let base = if !self.valid.is_empty() && !rng.one_in(3) {
            &self.corpus[self.valid[rng.below(self.valid.len())]]
        } else {
            &self.corpus[rng.below(self.corpus.len())]
        };
        let corpus: Vec<&str> = self.corpus.iter().map(String::as_str).collect();
        mutate::mutate(base, &corpus, rng)
    }

    fn check(&self, input: &str) -> Result<Outcome, Failure> {
        oracle::check(input)
    }
}
