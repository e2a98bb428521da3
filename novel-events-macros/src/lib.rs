//! Procedural macros of `novel-events`. Use them through the `novel-events` crate, which
//! re-exports them next to the runtime they expand to.
//!
//! This crate is glue only: it reads files (once per compilation, see `catalog_cache`), calls
//! `novel-events-codegen`, and turns catalog errors into compile errors, the same for
//! `include_catalog!` and `#[derive(Event)]` (`novel_events_codegen::CatalogError`).

mod catalog_cache;

use std::path::PathBuf;

use proc_macro::TokenStream;
use syn::{DeriveInput, LitStr, parse_macro_input};

/// Implements `novel_events::Event` for a struct with named fields. See `novel_events::Event`.
#[proc_macro_derive(Event, attributes(event))]
pub fn derive_event(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    novel_events_codegen::derive::event(&input, &catalog_cache::load, &runtime()).into()
}

/// Decodes an enum of event types from envelopes. See `novel_events::EventSet`.
#[proc_macro_derive(EventSet)]
pub fn derive_event_set(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    novel_events_codegen::derive::event_set(&input, &runtime()).into()
}

/// Lists the wire values of a user enum for catalog checks. See `novel_events::EventEnum`.
#[proc_macro_derive(EventEnum)]
pub fn derive_event_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    novel_events_codegen::derive::event_enum(&input, &runtime()).into()
}

/// Checks a struct against a catalog's nested object and implements the type-holding traits.
/// See `novel_events::EventObject`.
#[proc_macro_derive(EventObject, attributes(event))]
pub fn derive_event_object(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    novel_events_codegen::derive::event_object(&input, &catalog_cache::load, &runtime()).into()
}

/// The options of every expansion: the runtime at `::novel_events`.
fn runtime() -> novel_events_codegen::Options {
    novel_events_codegen::Options::default()
}

/// Expands a YAML catalog into Rust items. See `novel_events::include_catalog!`.
#[proc_macro]
pub fn include_catalog(input: TokenStream) -> TokenStream {
    let path = parse_macro_input!(input as LitStr);
    match expand(&path) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

/// The directory catalog paths are relative to: `NOVEL_EVENTS_MANIFEST_DIR` when it applies
/// (see [`manifest_dir_override`]), else the calling crate's `CARGO_MANIFEST_DIR`.
fn base_dir() -> Option<PathBuf> {
    manifest_dir_override()
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(PathBuf::from)
}

/// `NOVEL_EVENTS_MANIFEST_DIR`, for tests whose manifest dir is a scratch directory (trybuild).
/// It applies only to the crates cargo was asked to build (`CARGO_PRIMARY_PACKAGE`), never to
/// their dependencies: `novel-events` itself, built as a dependency of a trybuild case, keeps
/// reading its own catalog from its own directory.
fn manifest_dir_override() -> Option<std::ffi::OsString> {
    std::env::var_os("CARGO_PRIMARY_PACKAGE")?;
    std::env::var_os("NOVEL_EVENTS_MANIFEST_DIR")
}

fn expand(literal: &LitStr) -> syn::Result<proc_macro2::TokenStream> {
    let loaded =
        catalog_cache::load(literal).map_err(|error| error.to_syn_error(literal.span()))?;
    let options = novel_events_codegen::Options {
        source_path: Some(loaded.path.to_string_lossy().into_owned()),
        ..runtime()
    };
    let mut tokens = novel_events_codegen::generate(&loaded.catalog, &options);
    // Like the catalog (`source_path`), the lock file is included so that an edit of it
    // rebuilds the crate. A lock created later is seen at the next rebuild.
    let lock = novel_events_codegen::evolution::Lock::path_for(&loaded.path);
    if lock.is_file() {
        let lock = lock.to_string_lossy();
        tokens.extend(quote::quote! {
            const _: &[u8] = ::core::include_bytes!(#lock);
        });
    }
    Ok(tokens)
}
