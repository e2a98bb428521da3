//! Streams of envelopes (JSON Lines) checked against a catalog loaded at run time.
//!
//! Contract: the input is read line by line and never held whole: at most one line of at
//! most `max_line_bytes` bytes is in memory ([`JsonLines`]); a longer line is skipped to its
//! end and reported, never parsed. Each non-blank line is decoded as the runtime decodes an
//! envelope of the catalog (`Envelope<DynamicPayload<Loaded>>`: the envelope's own rules, and
//! the payload checked as the generated code checks it, see
//! [`novel_events::catalog::dynamic`]); a line that fails becomes one [`Finding`] with its line
//! number, column, field path and message. No input panics: every failure is a finding, and
//! only reading the input or writing the report can fail ([`std::io::Error`]).

mod finding;
mod lines;
mod report;
mod stream;

pub use finding::Finding;
pub use lines::{JsonLines, Line};
pub use report::Report;
pub use stream::{Summary, check_envelope, validate_stream};
