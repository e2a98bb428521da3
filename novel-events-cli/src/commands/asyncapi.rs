//! `novel-events asyncapi CATALOG`: the catalog's AsyncAPI 3.0 document, as the JetStream bus
//! carries its events (see [`crate::asyncapi`]), in YAML or JSON, on standard output or in a
//! file. YAML unless `--format json` is given or the file is named `*.json`. The bus's
//! default encoding unless `--encoding cloudevents-binary` is given (then `--base-uri`, as
//! `schema`'s, names the registry `ce-dataschema` points into; without that encoding it is
//! refused, since nothing else in the document uses it).
//!
//! A catalog with problems gives no document: its problems as `check` reports them, on
//! standard output, and exit code 1; `--out` is then neither created nor changed. The file is
//! written whole (to a temporary file beside it, then renamed), so that a reader never sees
//! half a document.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use novel_events::cloudevents::CloudEvents;
use novel_events_codegen::CatalogError;

use super::{check, write_failure};
use crate::asyncapi::{self, Encoding, Options, Server, StreamName};
use crate::catalog_file;
use crate::format::Format;
use crate::outcome::{Failure, Outcome};

/// Arguments of `asyncapi`.
#[derive(Debug, Args)]
pub struct AsyncApiArgs {
    /// The catalog file (YAML).
    pub catalog: PathBuf,
    /// The document's format; default: `json` when `--out` ends in `.json`, else `yaml`.
    #[arg(long, value_enum)]
    pub format: Option<DocumentFormat>,
    /// Write the document to this file (replaced when present) and a line saying so on
    /// standard output; default: the document on standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// The NATS server the bus connects to: `nats://host:port` (or `tls://host:port`).
    #[arg(long, value_name = "URL", default_value = Server::DEFAULT_URL)]
    pub server: Server,
    /// The number of partitions the bus is set up with (`BusOptions::partitions`): the values
    /// of the channels' `{partition}` parameter.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub partitions: u32,
    /// The name the bus is given when it connects (`JetStreamBus::connect`), which names its
    /// stream and begins every subject; default: the catalog's name.
    #[arg(long, value_name = "NAME")]
    pub stream: Option<StreamName>,
    /// How the bus writes each message (`BusOptions::with_encoding`): `envelope`, the whole
    /// envelope as the JSON body and the bus's `Nats-Msg-Id`/`Novel-*` headers; or
    /// `cloudevents-binary`, CloudEvents 1.0 in the binary mode of the NATS binding, the
    /// payload alone as the body and the envelope's other fields in `ce-` headers.
    #[arg(long, value_enum, default_value_t)]
    pub encoding: EncodingName,
    /// With `--encoding cloudevents-binary`: the address the schema registry is served at, as
    /// given to `novel-events schema --base-uri` and `CloudEvents::with_base_uri`; each
    /// message's `ce-dataschema` is then `<base-uri>/<eventType>/<eventVersion>.schema.json`
    /// (default: a `urn:novel-events:` URN).
    #[arg(long, value_name = "URI")]
    pub base_uri: Option<String>,
}

impl AsyncApiArgs {
    /// The format asked for, else JSON for an `--out` file named `*.json`, else YAML.
    pub fn document_format(&self) -> DocumentFormat {
        let json_file = self.out.as_deref().is_some_and(|path| {
            path.extension()
                .is_some_and(|extension| extension.eq_ignore_ascii_case("json"))
        });
        match self.format {
            Some(format) => format,
            None if json_file => DocumentFormat::Json,
            None => DocumentFormat::Yaml,
        }
    }
}

/// The format of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum DocumentFormat {
    /// YAML.
    #[default]
    Yaml,
    /// JSON.
    Json,
}

/// The `--encoding` of the document: which of the bus's encodings it describes
/// ([`Encoding`] names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum EncodingName {
    /// The whole envelope as the JSON body (the bus's default).
    #[default]
    Envelope,
    /// CloudEvents 1.0 in the binary mode: the payload as the body, `ce-` headers.
    #[value(name = "cloudevents-binary")]
    CloudEventsBinary,
}

pub(super) fn run(args: &AsyncApiArgs, out: &mut dyn Write) -> Result<Outcome, Failure> {
    let file = args.catalog.display().to_string();
    if args.base_uri.is_some() && args.encoding != EncodingName::CloudEventsBinary {
        return Err(Failure(
            "`--base-uri` names the registry that `ce-dataschema` points into, a header of the \
             `cloudevents-binary` encoding alone: give `--encoding cloudevents-binary` too, or \
             drop `--base-uri`"
                .to_owned(),
        ));
    }
    let catalog = match catalog_file::load(&args.catalog) {
        Ok(catalog) => catalog,
        Err(CatalogError::Invalid(diagnostics)) => {
            let after = "; no AsyncAPI document was written";
            let report = check::invalid(&file, &diagnostics, Format::Human, after);
            write_all(out, &report)?;
            return Ok(Outcome::Findings);
        }
        Err(error) => return Err(super::unusable_catalog(error)),
    };
    let options = Options {
        server: args.server.clone(),
        stream: args.stream.clone(),
        partitions: args.partitions,
        encoding: match args.encoding {
            EncodingName::Envelope => Encoding::Envelope,
            EncodingName::CloudEventsBinary => {
                let mapping = CloudEvents::new(catalog.name.clone());
                Encoding::CloudEventsBinary(match &args.base_uri {
                    Some(base_uri) => mapping.with_base_uri(base_uri.clone()),
                    None => mapping,
                })
            }
        },
    };
    let document = asyncapi::document(&catalog, &options).map_err(|error| {
        Failure(format!(
            "{file}: the catalog's name {error}; give the stream's name with `--stream NAME`"
        ))
    })?;
    let text = match args.document_format() {
        DocumentFormat::Yaml => document.to_yaml(),
        DocumentFormat::Json => document.to_json(),
    };
    match &args.out {
        None => write_all(out, &text)?,
        Some(path) => {
            write_file(path, &text)?;
            write_all(
                out,
                &format!(
                    "wrote the AsyncAPI {} document of catalog `{}` {}{} to {}: {} channels, {} messages, {} operations\n",
                    asyncapi::ASYNCAPI_VERSION,
                    catalog.name,
                    catalog.version,
                    match options.encoding {
                        Encoding::Envelope => "",
                        Encoding::CloudEventsBinary(_) => " (encoding cloudevents-binary)",
                    },
                    path.display(),
                    document.channels(),
                    document.messages(),
                    document.operations(),
                ),
            )?;
        }
    }
    Ok(Outcome::Clean)
}

fn write_all(out: &mut dyn Write, text: &str) -> Result<(), Failure> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|error| write_failure(&error))
}

/// Writes `text` to a temporary file beside `path`, then renames it to `path`.
fn write_file(path: &Path, text: &str) -> Result<(), Failure> {
    let fail =
        |error: std::io::Error| Failure(format!("cannot write `{}`: {error}", path.display()));
    let Some(name) = path.file_name() else {
        return Err(Failure(format!(
            "cannot write `{}`: it names no file",
            path.display()
        )));
    };
    let mut temporary = name.to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = path.with_file_name(temporary);
    std::fs::write(&temporary, text).map_err(fail)?;
    std::fs::rename(&temporary, path).map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        fail(error)
    })
}
