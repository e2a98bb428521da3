//! End-to-end tests of `novel-events asyncapi`: the Novel Engine catalog's document passes the
//! official AsyncAPI parser in YAML and JSON (`official_parser.rs`), says what the catalog says
//! (`content.rs`), follows its options (`options.rs`), is not written for a broken catalog
//! (`broken_catalog.rs`), and names the subjects and consumers the real JetStream bus uses
//! (`through_the_bus.rs`); and a catalog with several versions of an event (`versions.rs`).
//! With `--encoding cloudevents-binary`, the document of a bus publishing CloudEvents passes
//! the parser and names the `ce-` headers (`cloudevents.rs`), and every header and body the
//! real bus sends in that encoding validates against it (`cloudevents_through_the_bus.rs`).

mod broken_catalog;
mod cloudevents;
mod cloudevents_through_the_bus;
mod content;
mod official_parser;
mod options;
mod support;
mod through_the_bus;
mod versions;
