//! The `novel-events` command: check a catalog and its lock file, compare versions, export
//! its JSON Schemas, its AsyncAPI 3.0 document and a static documentation site, and validate
//! streams of envelopes against it, without compiling the catalog.
//!
//! Install it with `cargo install --path novel-events-cli`; `novel-events --help` lists the
//! subcommands. Exit codes: 0 ok, 1 problems found in the input, 2 usage or I/O error.
//!
//! Everything goes through the crates the compiler uses: the catalog is parsed and validated
//! by `novel_events_codegen::parse_catalog` (so `check` reports what `include_catalog!`
//! would), its runtime metadata ([`novel_events::CatalogInfo`]) is built from that model
//! ([`metadata`]), the JSON Schemas are the runtime's own export of that metadata, and
//! envelopes are decoded by the runtime's envelope code with the payload checked from the
//! metadata ([`novel_events::catalog::DynamicPayload`]), so that `validate` accepts what a
//! service built on the catalog accepts.

pub mod asyncapi;
pub mod catalog_file;
pub mod commands;
pub mod envelopes;
pub mod format;
pub mod loaded;
pub mod metadata;
pub mod outcome;
pub mod site;
