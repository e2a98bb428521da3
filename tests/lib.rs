//! The shared library of the workspace's integration tests.
//!
//! - [`conformance`]: the conformance suites of the runtime's traits, generic over the
//!   implementation, so that any bus or store (also of another crate) runs them;
//! - [`fixtures`]: the hand-written envelopes of `tests/fixtures/`;
//! - [`crash`]: what the crash tests share (the child's runtime and stdout, seeds);
//! - [`rng`]: a small reproducible PRNG;
//! - [`scratch`]: a directory of its own per test.
//!
//! The items the test binaries use most are re-exported here.

pub mod conformance;
pub mod crash;
pub mod fixtures;
pub mod rng;
pub mod scratch;

pub use crash::{child_stdout_lines, crash_child_runtime, crash_test_seed, unique_temp_dir};
pub use fixtures::{novel_engine_fixture, novel_engine_fixtures, novel_engine_fixtures_dir};
pub use rng::Rng;
