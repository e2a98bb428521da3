//! What `validate` writes: a line per finding, then a summary, for people or as JSON Lines.

use std::io::{self, Write};

use serde_json::json;

use super::{Finding, Summary};
use crate::format::Format;

/// The report of one input, written as it is checked.
pub struct Report<W> {
    out: W,
    format: Format,
    file: String,
}

impl<W: Write> Report<W> {
    /// A report on `out` of the input named `file` (`<stdin>` for standard input).
    pub fn new(out: W, format: Format, file: impl Into<String>) -> Self {
        Self {
            out,
            format,
            file: file.into(),
        }
    }

    /// One bad line: `file:line:column: path: message`, or a JSON object with `kind`
    /// `"invalid"`.
    pub fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        match self.format {
            Format::Human => writeln!(
                self.out,
                "{}:{}:{}: {}",
                self.file,
                finding.line,
                finding.column,
                finding.text()
            ),
            Format::Json => {
                let line = json!({
                    "kind": "invalid",
                    "file": self.file,
                    "line": finding.line,
                    "column": finding.column,
                    "path": finding.path,
                    "message": finding.message,
                });
                writeln!(self.out, "{line}")
            }
        }
    }

    /// The closing summary, then flushes the output.
    pub fn summary(&mut self, summary: &Summary) -> io::Result<()> {
        match self.format {
            Format::Human => {
                let blank = match summary.blank {
                    0 => String::new(),
                    1 => ", 1 blank line skipped".to_owned(),
                    n => format!(", {n} blank lines skipped"),
                };
                writeln!(
                    self.out,
                    "{}: {} envelopes, {} valid, {} invalid{blank}",
                    self.file, summary.envelopes, summary.valid, summary.invalid
                )?;
            }
            Format::Json => {
                let line = json!({
                    "kind": "summary",
                    "file": self.file,
                    "envelopes": summary.envelopes,
                    "valid": summary.valid,
                    "invalid": summary.invalid,
                    "blank": summary.blank,
                });
                writeln!(self.out, "{line}")?;
            }
        }
        self.out.flush()
    }
}
