//! `novel-events schema CATALOG --out DIR`: the catalog as a registry of JSON Schema files.
//!
//! Files: `DIR/<eventType>/<eventVersion>.schema.json` for each event version (the runtime's
//! [`novel_events::CatalogInfo::json_schema`] of the whole envelope, plus a `$id`), and `DIR/index.json`
//! listing them. The `$id` is stable: it depends only on the catalog's name, the eventType and
//! the version: `urn:novel-events:<catalog>:<eventType>:<eventVersion>`, or
//! `<base-uri>/<eventType>/<eventVersion>.schema.json` with `--base-uri` (serve DIR at that
//! address and every `$id` resolves to its file). The id is the runtime's
//! [`novel_events::catalog::schema_id`], which the CloudEvents mapping sends as `dataschema`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use novel_events::EventInfo;
use novel_events::catalog::schema_id;
use serde_json::{Value, json};

use super::{unusable_catalog, write_failure};
use crate::format::Format;
use crate::outcome::{Failure, Outcome};
use crate::{catalog_file, metadata};

/// Arguments of `schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The catalog file (YAML).
    pub catalog: PathBuf,
    /// The directory to write the schemas into (created when missing; existing schema files of
    /// the same events are replaced, other files are left alone).
    #[arg(long, short)]
    pub out: PathBuf,
    /// The address the directory is served at; each `$id` becomes
    /// `<base-uri>/<eventType>/<eventVersion>.schema.json` (default: a `urn:novel-events:` URN).
    #[arg(long)]
    pub base_uri: Option<String>,
    /// `human`: a line saying what was written; `json`: the index (as in `index.json`).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub(super) fn run(args: &SchemaArgs, out: &mut dyn Write) -> Result<Outcome, Failure> {
    let catalog = catalog_file::load(&args.catalog).map_err(unusable_catalog)?;
    let info = metadata::catalog_info(&catalog);
    let mut entries = Vec::new();
    for event in info.events {
        let relative = relative_path(event)?;
        let id = schema_id(
            info.name,
            event.event_type,
            event.event_version,
            args.base_uri.as_deref(),
        );
        let Some(mut schema) = info.json_schema(event.event_type, event.event_version) else {
            continue;
        };
        if let Value::Object(map) = &mut schema {
            map.insert("$id".into(), Value::String(id.clone()));
        }
        write_json(&args.out.join(&relative), &schema)?;
        entries.push(json!({
            "eventType": event.event_type,
            "eventVersion": event.event_version,
            "name": event.name,
            "$id": id,
            "file": relative.replace('\\', "/"),
        }));
    }
    let count = entries.len();
    let index = json!({
        "catalog": info.name,
        "version": info.version,
        "schemas": entries,
    });
    write_json(&args.out.join("index.json"), &index)?;
    let text = match args.format {
        Format::Human => format!(
            "wrote {count} JSON Schema{} (draft 2020-12) of catalog `{}` {} to {}, listed in {}\n",
            if count == 1 { "" } else { "s" },
            info.name,
            info.version,
            args.out.display(),
            args.out.join("index.json").display()
        ),
        Format::Json => format!("{index:#}\n"),
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|error| write_failure(&error))?;
    Ok(Outcome::Clean)
}

/// `<eventType>/<eventVersion>.schema.json`, refusing any name that could leave the directory
/// (validation already limits eventTypes to letters, digits, dashes and dots).
fn relative_path(event: &EventInfo) -> Result<String, Failure> {
    for part in [event.event_type, event.event_version] {
        let safe = !part.is_empty()
            && !part.starts_with('.')
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'));
        if !safe {
            return Err(Failure(format!(
                "cannot name a schema file after `{part}` (eventType `{}` version {}): expected letters, digits, `.`, `-`, `_` or `+`",
                event.event_type, event.event_version
            )));
        }
    }
    Ok(format!(
        "{}/{}.schema.json",
        event.event_type, event.event_version
    ))
}

fn write_json(path: &Path, value: &Value) -> Result<(), Failure> {
    let fail =
        |error: std::io::Error| Failure(format!("cannot write `{}`: {error}", path.display()));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::write(path, format!("{value:#}\n")).map_err(fail)
}
