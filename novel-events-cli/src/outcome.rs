//! How a command ends, and so the process's exit code.

use std::fmt;
use std::process::ExitCode;

/// A command that ran to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report: exit code 0.
    Clean,
    /// Problems found in the input (a catalog's errors, bad envelopes): exit code 1.
    Findings,
}

/// A command that could not do its work (unreadable file, unusable catalog, failed write):
/// exit code 2, with the message on standard error. Usage errors exit with 2 too (clap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(pub String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Outcome {
    /// The exit code: 0 or 1.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Clean => ExitCode::SUCCESS,
            Outcome::Findings => ExitCode::from(1),
        }
    }
}

impl Failure {
    /// The exit code of a failure: 2.
    pub const EXIT_CODE: u8 = 2;
}
