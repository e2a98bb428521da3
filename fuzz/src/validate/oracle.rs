//! What must hold for every stream given to `novel-events validate`'s core: no panic; the
//! report is one JSON object per finding plus the summary, and the summary adds up; each
//! line's verdict is the compiled catalog's (`Envelope<AnyEvent>` of the Novel Engine
//! catalog, decoded as serde decodes it, without size limits, as the command does).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::OnceLock;

use novel_events::Envelope;
use novel_events::novel_engine::AnyEvent;
use novel_events_cli::envelopes::{Report, check_envelope, validate_stream};
use novel_events_cli::format::Format;
use novel_events_cli::{catalog_file, loaded, metadata};
use serde_json::Value;

use crate::target::{Failure, Outcome, panic_message};

/// The longest line the command reads in these runs; longer ones are findings, unread.
const MAX_LINE_BYTES: usize = 1 << 20;

/// Loads the Novel Engine catalog at run time, once, as the command does.
fn install() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../novel-events/catalog/novel-engine.yaml");
        let catalog = catalog_file::load(&path).expect("the Novel Engine catalog is valid");
        // A second install (another target in the same process) is the same catalog.
        let _ = loaded::install(metadata::catalog_info(&catalog));
    });
}

fn fail(kind: &'static str, detail: String) -> Result<Outcome, Failure> {
    Err(Failure { kind, detail })
}

/// Runs one stream through the oracles.
pub fn check(input: &str) -> Result<Outcome, Failure> {
    install();
    match catch_unwind(AssertUnwindSafe(|| judge(input))) {
        Ok(result) => result,
        Err(payload) => fail(
            "panic",
            format!("panicked: {}", panic_message(payload.as_ref())),
        ),
    }
}

/// The lines of `input` as the command splits them: at `\n`, without a `\r` before it; no
/// line after a final `\n`.
fn lines(input: &str) -> impl Iterator<Item = &[u8]> {
    let input = input.strip_suffix('\n').unwrap_or(input);
    input
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line).as_bytes())
}

fn judge(input: &str) -> Result<Outcome, Failure> {
    let mut out = Vec::new();
    let mut report = Report::new(&mut out, Format::Json, "fuzz");
    let summary = match validate_stream(input.as_bytes(), MAX_LINE_BYTES, &mut report) {
        Ok(summary) => summary,
        Err(error) => return fail("report", format!("reading from memory failed: {error}")),
    };

    // Each line's verdict, and the compiled catalog's.
    let (mut envelopes, mut valid) = (0u64, 0u64);
    for (index, line) in lines(input).enumerate() {
        if line.iter().all(|byte| matches!(byte, b' ' | b'\t')) {
            continue;
        }
        envelopes += 1;
        if line.len() > MAX_LINE_BYTES {
            continue;
        }
        let ours = check_envelope(line);
        let compiled = serde_json::from_slice::<Envelope<AnyEvent>>(line);
        match (&ours, &compiled) {
            (Ok(()), Ok(_)) => valid += 1,
            (Err(_), Err(_)) => {}
            _ => {
                return fail(
                    "differential",
                    format!(
                        "line {}: the command says {:?}, the compiled catalog says {:?}",
                        index + 1,
                        ours.as_ref().map_err(ToString::to_string),
                        compiled.as_ref().map(drop).map_err(ToString::to_string)
                    ),
                );
            }
        }
    }
    if (summary.envelopes, summary.valid, summary.invalid) != (envelopes, valid, envelopes - valid)
    {
        return fail(
            "summary",
            format!(
                "the summary says {summary:?}; the lines hold {envelopes} envelopes, {valid} valid"
            ),
        );
    }

    // The report: a JSON object per finding, then the summary.
    let text = match String::from_utf8(out) {
        Ok(text) => text,
        Err(error) => return fail("report", format!("the report is not UTF-8: {error}")),
    };
    let objects: Result<Vec<Value>, _> = text.lines().map(serde_json::from_str).collect();
    let objects = match objects {
        Ok(objects) => objects,
        Err(error) => return fail("report", format!("a report line is not JSON: {error}")),
    };
    let kinds: Vec<&str> = objects
        .iter()
        .map(|object| object["kind"].as_str().unwrap_or(""))
        .collect();
    let findings = kinds.iter().filter(|kind| **kind == "invalid").count() as u64;
    if findings != summary.invalid || kinds.last() != Some(&"summary") {
        return fail(
            "report",
            format!(
                "{findings} findings and kinds {kinds:?} for a summary of {} invalid",
                summary.invalid
            ),
        );
    }
    Ok(Outcome {
        accepted: summary.invalid == 0,
    })
}
