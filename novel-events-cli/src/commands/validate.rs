//! `novel-events validate CATALOG [FILE]`: a stream of envelopes checked against a catalog.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::PathBuf;

use clap::Args;

use super::unusable_catalog;
use crate::envelopes::{Report, validate_stream};
use crate::format::Format;
use crate::outcome::{Failure, Outcome};
use crate::{catalog_file, loaded, metadata};

/// The default of `--max-line-bytes`: 16 MiB.
pub const DEFAULT_MAX_LINE_BYTES: usize = 16 << 20;

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The catalog file (YAML).
    pub catalog: PathBuf,
    /// The envelopes, one JSON object per line (JSON Lines); standard input when absent or `-`.
    pub file: Option<PathBuf>,
    /// The longest line read, in bytes (without its newline); a longer line is reported as
    /// invalid without being read into memory.
    #[arg(long, default_value_t = DEFAULT_MAX_LINE_BYTES, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_line_bytes: usize,
    /// `human`: `file:line:column: path: message` per bad envelope, then a summary; `json`: a
    /// JSON object per line (`"kind": "invalid"`, then `"kind": "summary"`).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub(super) fn run(args: &ValidateArgs, out: &mut dyn Write) -> Result<Outcome, Failure> {
    let catalog = catalog_file::load(&args.catalog).map_err(unusable_catalog)?;
    let info = metadata::catalog_info(&catalog);
    loaded::install(info).map_err(|installed| {
        Failure(format!(
            "another catalog (`{}`) is already loaded in this process",
            installed.name
        ))
    })?;
    let (input, name): (Box<dyn BufRead>, String) = match &args.file {
        None => (Box::new(io::stdin().lock()), "<stdin>".to_owned()),
        Some(path) if path.as_os_str() == "-" => {
            (Box::new(io::stdin().lock()), "<stdin>".to_owned())
        }
        Some(path) => {
            let file = File::open(path)
                .map_err(|error| Failure(format!("cannot read `{}`: {error}", path.display())))?;
            (
                Box::new(BufReader::with_capacity(1 << 18, file)),
                path.display().to_string(),
            )
        }
    };
    let mut report = Report::new(out, args.format, name.clone());
    let summary = validate_stream(input, args.max_line_bytes, &mut report)
        .map_err(|error| Failure(format!("cannot validate `{name}`: {error}")))?;
    Ok(if summary.invalid == 0 {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
