//! The subcommands of `novel-events`.
//!
//! Contract: each subcommand is one file holding its arguments (clap derive) and its `run`,
//! which writes its results to the given output (standard output) and returns an
//! [`Outcome`] (exit 0: clean, 1: findings) or a [`Failure`] (exit 2, the message goes to
//! standard error). A catalog is always loaded by [`catalog_file::load`](crate::catalog_file),
//! through the one parser; its runtime metadata comes from [`metadata`](crate::metadata).
//! Results for people are the default; `--format json` gives JSON where a program reads them.

mod asyncapi;
mod check;
mod diff;
mod docs;
mod lock;
mod schema;
mod validate;

use std::io::Write;

use clap::{Parser, Subcommand};

pub use asyncapi::{AsyncApiArgs, DocumentFormat};
pub use check::CheckArgs;
pub use diff::DiffArgs;
pub use docs::DocsArgs;
pub use lock::LockArgs;
pub use schema::SchemaArgs;
pub use validate::ValidateArgs;

use crate::outcome::{Failure, Outcome};

/// `novel-events`: check a catalog of domain events, export its JSON Schemas, its AsyncAPI
/// document and its documentation site, and validate streams of envelopes against it,
/// without compiling anything.
#[derive(Debug, Parser)]
#[command(name = "novel-events", version, about, long_about = None)]
#[command(after_help = "Exit codes: 0 ok, 1 problems found in the input, 2 usage or I/O error.")]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// A subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report every error of a catalog, as the compiler would (file:line:column: message),
    /// compatibility violations and lock file violations included.
    Check(CheckArgs),
    /// Write or update the catalog's lock file (`<stem>.lock.json`), the registry of its
    /// released versions; `--check` only tells whether it is up to date.
    Lock(LockArgs),
    /// What changed between two catalogs (or a lock file and a catalog), per event type, with
    /// the compatibility verdict of each.
    Diff(DiffArgs),
    /// Write one JSON Schema (draft 2020-12) per (eventType, eventVersion) of a catalog.
    Schema(SchemaArgs),
    /// Check a stream of envelopes (JSON Lines, from a file or standard input) against a
    /// catalog: a line per bad envelope, then a summary.
    Validate(ValidateArgs),
    /// Write the catalog's documentation as a static site (HTML and CSS, works from
    /// `file://`): domains and events, a page per event version, a diagram of who publishes
    /// what to whom, search by name.
    Docs(DocsArgs),
    /// Write the catalog's AsyncAPI 3.0 document (YAML or JSON): a channel per eventType on
    /// the JetStream bus's subjects, a message per version, operations per service.
    #[command(name = "asyncapi")]
    AsyncApi(AsyncApiArgs),
}

impl Command {
    /// Runs the command, writing its results to `out`.
    pub fn run(self, out: &mut dyn Write) -> Result<Outcome, Failure> {
        match self {
            Command::Check(args) => check::run(&args, out),
            Command::Lock(args) => lock::run(&args, out),
            Command::Diff(args) => diff::run(&args, out),
            Command::Schema(args) => schema::run(&args, out),
            Command::Validate(args) => validate::run(&args, out),
            Command::Docs(args) => docs::run(&args, out),
            Command::AsyncApi(args) => asyncapi::run(&args, out),
        }
    }
}

/// The failure of writing results to `out`.
fn write_failure(error: &std::io::Error) -> Failure {
    Failure(format!("cannot write the results: {error}"))
}

/// The failure of a command that needs a usable catalog and was given one with problems.
fn unusable_catalog(error: novel_events_codegen::CatalogError) -> Failure {
    use novel_events_codegen::CatalogError;
    match error {
        CatalogError::Unreadable(message) => Failure(message),
        CatalogError::Invalid(diagnostics) => {
            let mut message = String::new();
            for diagnostic in &diagnostics {
                message.push_str(&diagnostic.to_string());
                message.push('\n');
            }
            message.push_str(&format!(
                "the catalog has {} and cannot be used (`novel-events check` lists them)",
                problems(diagnostics.len())
            ));
            Failure(message)
        }
        CatalogError::ReportedElsewhere { catalog, count, .. } => {
            Failure(format!("the catalog `{catalog}` has {}", problems(count)))
        }
    }
}

/// "1 problem", "3 problems".
fn problems(count: usize) -> String {
    if count == 1 {
        "1 problem".to_owned()
    } else {
        format!("{count} problems")
    }
}
