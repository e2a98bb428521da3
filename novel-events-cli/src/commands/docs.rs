//! `novel-events docs CATALOG --out DIR`: the catalog as a static site people can read (see
//! [`site`](crate::site)): an index of domains and events with a diagram of who publishes
//! what to whom, and a page per event version with its payload, subscribers, versions and an
//! example envelope. Open `DIR/index.html` in a browser; no server is needed.
//!
//! A catalog with problems writes nothing: its problems are reported as `check` reports them
//! (exit code 1).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use novel_events_codegen::CatalogError;
use serde_json::json;

use super::{check, write_failure};
use crate::catalog_file;
use crate::format::Format;
use crate::outcome::{Failure, Outcome};
use crate::site;

/// Arguments of `docs`.
#[derive(Debug, Args)]
pub struct DocsArgs {
    /// The catalog file (YAML).
    pub catalog: PathBuf,
    /// The directory to write the site into: missing (it is created), empty, or a site this
    /// command wrote before (it is replaced as a whole); anything else is refused.
    #[arg(long, short)]
    pub out: PathBuf,
    /// `human`: a line saying what was written; `json`: the list of files written.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub(super) fn run(args: &DocsArgs, out: &mut dyn Write) -> Result<Outcome, Failure> {
    let file = args.catalog.display().to_string();
    let (outcome, text) = match catalog_file::load(&args.catalog) {
        Ok(catalog) => {
            let site = site::render(&catalog);
            site.write(&args.out)
                .map_err(|error| Failure(error.to_string()))?;
            let index = args.out.join("index.html");
            let text = match args.format {
                Format::Human => format!(
                    "wrote the documentation of catalog `{}` {} to {}: {} pages ({} event versions), open {}\n",
                    catalog.name,
                    catalog.version,
                    args.out.display(),
                    site.pages(),
                    site.pages() - 1,
                    index.display()
                ),
                Format::Json => format!(
                    "{:#}\n",
                    json!({
                        "catalog": catalog.name,
                        "version": catalog.version,
                        "out": args.out.display().to_string(),
                        "index": index.display().to_string(),
                        "files": site.files().iter().map(|file| file.path.as_str()).collect::<Vec<_>>(),
                    })
                ),
            };
            (Outcome::Clean, text)
        }
        Err(CatalogError::Invalid(diagnostics)) => (
            Outcome::Findings,
            check::invalid(&file, &diagnostics, args.format, "; no site was written"),
        ),
        Err(error) => return Err(super::unusable_catalog(error)),
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|error| write_failure(&error))?;
    Ok(outcome)
}
