//! What a fuzz target is to the driver: its seeds, how it makes the next input, and the
//! oracles that judge an input.

use crate::rng::Rng;

/// How an input fared when it passed.
pub struct Outcome {
    /// Whether the input was accepted (a catalog generated, an envelope decoded).
    pub accepted: bool,
}

/// How an input failed: a short kind for the file name, and what happened.
pub struct Failure {
    /// `panic`, `slow`, `size`, `syntax` (catalogs); `panic`, `roundtrip`, `validate`,
    /// `order`, `limits` (envelopes).
    pub kind: &'static str,
    /// A sentence for the report.
    pub detail: String,
}

/// One fuzz target.
pub trait Target {
    /// Its name on the command line and in the findings' file names.
    const NAME: &'static str;
    /// The extension of its seed files and findings (`yaml`, `json`).
    const EXTENSION: &'static str;
    /// The folders its seeds are read from when none are given.
    const SEED_DIRS: &'static [&'static str];

    /// The next input, made from the seeds.
    fn next_input(&self, rng: &mut Rng) -> String;

    /// Runs one input through the oracles.
    fn check(&self, input: &str) -> Result<Outcome, Failure>;
}

/// The message of a caught panic.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned())
}
