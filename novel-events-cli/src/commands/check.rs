//! `novel-events check CATALOG`: every error of a catalog, as `include_catalog!` reports it.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use novel_events_codegen::{Catalog, CatalogError, Diagnostic};
use serde_json::json;

use super::{problems, write_failure};
use crate::catalog_file;
use crate::format::Format;
use crate::outcome::{Failure, Outcome};

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The catalog file (YAML).
    pub catalog: PathBuf,
    /// `human`: one `file:line:column: message` line per problem; `json`: one JSON document.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub(super) fn run(args: &CheckArgs, out: &mut dyn Write) -> Result<Outcome, Failure> {
    let file = args.catalog.display().to_string();
    let (outcome, text) = match catalog_file::load(&args.catalog) {
        Ok(catalog) => (Outcome::Clean, clean(&file, &catalog, args.format)),
        Err(CatalogError::Invalid(diagnostics)) => (
            Outcome::Findings,
            invalid(&file, &diagnostics, args.format, ""),
        ),
        Err(error) => return Err(super::unusable_catalog(error)),
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|error| write_failure(&error))?;
    Ok(outcome)
}

fn clean(file: &str, catalog: &Catalog, format: Format) -> String {
    let events = catalog.events().count();
    match format {
        Format::Human => format!(
            "{file}: ok: catalog `{}` {}, {events} event{} in {} domain{}\n",
            catalog.name,
            catalog.version,
            if events == 1 { "" } else { "s" },
            catalog.domains.len(),
            if catalog.domains.len() == 1 { "" } else { "s" },
        ),
        Format::Json => format!(
            "{:#}\n",
            json!({
                "catalog": file,
                "ok": true,
                "name": catalog.name,
                "version": catalog.version,
                "domains": catalog.domains.len(),
                "events": events,
                "problems": [],
            })
        ),
    }
}

/// The catalog's problems: a `file:line:column: message` line each and a count, or one JSON
/// document; `after` ends the count line (`; the lock file was not written`).
pub(super) fn invalid(
    file: &str,
    diagnostics: &[Diagnostic],
    format: Format,
    after: &str,
) -> String {
    match format {
        Format::Human => {
            let mut text = String::new();
            for diagnostic in diagnostics {
                text.push_str(&diagnostic.to_string());
                text.push('\n');
            }
            text.push_str(&format!("{file}: {}{after}\n", problems(diagnostics.len())));
            text
        }
        Format::Json => {
            let problems: Vec<_> = diagnostics
                .iter()
                .map(|diagnostic| {
                    json!({
                        "file": diagnostic.location.file,
                        "line": diagnostic.location.line,
                        "column": diagnostic.location.column,
                        "message": diagnostic.message,
                    })
                })
                .collect();
            format!(
                "{:#}\n",
                json!({ "catalog": file, "ok": false, "problems": problems })
            )
        }
    }
}
