//! What must hold for every input: parsing and generation do not panic, an accepted catalog
//! generates tokens that parse as a Rust file, generation is quick, and the output grows at
//! most linearly with the input.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use novel_events_codegen::{Options, generate, parse_catalog};

use crate::target::{Failure, Outcome, panic_message};

/// The most time parsing, validating and generating one input may take.
pub const TIME_BUDGET: Duration = Duration::from_secs(2);

/// The most output per KiB of input (with 2 MiB allowed for any input).
pub const BYTES_PER_KIB: usize = 2 << 20;

/// Runs one input through the oracles.
pub fn check(input: &str) -> Result<Outcome, Failure> {
    let started = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| {
        parse_catalog(input, "fuzz.yaml")
            .ok()
            .map(|catalog| generate(&catalog, &Options::default()))
    }));
    let elapsed = started.elapsed();
    let tokens = match result {
        Ok(tokens) => tokens,
        Err(payload) => {
            return Err(Failure {
                kind: "panic",
                detail: format!("panicked: {}", panic_message(payload.as_ref())),
            });
        }
    };
    if elapsed > TIME_BUDGET {
        return Err(Failure {
            kind: "slow",
            detail: format!("took {elapsed:?} for {} bytes", input.len()),
        });
    }
    let Some(tokens) = tokens else {
        return Ok(Outcome { accepted: false });
    };
    let text = tokens.to_string();
    let budget = (input.len() / 1024 + 1) * BYTES_PER_KIB;
    if text.len() > budget {
        return Err(Failure {
            kind: "size",
            detail: format!(
                "{} bytes of output for {} bytes of input",
                text.len(),
                input.len()
            ),
        });
    }
    if let Err(error) = syn::parse2::<syn::File>(tokens) {
        return Err(Failure {
            kind: "syntax",
            detail: format!("the output is not a Rust file: {error}"),
        });
    }
    Ok(Outcome { accepted: true })
}
