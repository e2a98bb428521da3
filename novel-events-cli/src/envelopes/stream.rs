//! The loop: each line of the input decoded as an envelope of the loaded catalog.

use std::io::{self, BufRead, Write};

use novel_events::Envelope;
use novel_events::catalog::CheckedPayload;

use super::{Finding, JsonLines, Line, Report};
use crate::loaded::Loaded;

/// What a stream held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Lines that were not blank.
    pub envelopes: u64,
    /// Envelopes the catalog accepts.
    pub valid: u64,
    /// Lines reported as findings.
    pub invalid: u64,
    /// Blank lines (only spaces, tabs or nothing), skipped.
    pub blank: u64,
}

/// Decodes one line as an envelope of the [installed](crate::loaded::install) catalog, as the
/// runtime would (`Envelope<CheckedPayload<Loaded>>`: the checks of `DynamicPayload`, keeping nothing).
pub fn check_envelope(line: &[u8]) -> Result<(), serde_json::Error> {
    serde_json::from_slice::<Envelope<CheckedPayload<Loaded>>>(line).map(drop)
}

/// Checks every line of `reader` against the installed catalog, writing a finding per bad
/// line and the summary to `report`.
pub fn validate_stream<R: BufRead, W: Write>(
    reader: R,
    max_line_bytes: usize,
    report: &mut Report<W>,
) -> io::Result<Summary> {
    let mut lines = JsonLines::new(reader, max_line_bytes);
    let mut summary = Summary::default();
    while let Some((number, line)) = lines.next_line()? {
        let finding = match line {
            Line::Text(text) if text.iter().all(|byte| matches!(byte, b' ' | b'\t')) => {
                summary.blank += 1;
                continue;
            }
            Line::Text(text) => match check_envelope(text) {
                Ok(()) => None,
                Err(error) => Some(Finding::from_error(number, &error)),
            },
            Line::TooLong { bytes } => Some(Finding::too_long(number, bytes, max_line_bytes)),
        };
        summary.envelopes += 1;
        match finding {
            None => summary.valid += 1,
            Some(finding) => {
                summary.invalid += 1;
                report.finding(&finding)?;
            }
        }
    }
    report.summary(&summary)?;
    Ok(summary)
}
