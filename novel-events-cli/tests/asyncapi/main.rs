//! End-to-end tests of `novel-events asyncapi`: the Novel Engine catalog's document passes the
//! official AsyncAPI parser in YAML and JSON (`official_parser.rs`), says what the catalog says
//! (`content.rs`), follows its options (`options.rs`), is not written for a broken catalog
//! (`broken_catalog.rs`), and names the subjects and consumers the real JetStream bus uses
//! (`through_the_bus.rs`); and a catalog with several versions of an event (`versions.rs`).

mod broken_catalog;
mod content;
mod official_parser;
mod options;
mod support;
mod through_the_bus;
mod versions;
