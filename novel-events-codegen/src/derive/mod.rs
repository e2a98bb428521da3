//! The derives: `#[derive(Event)]` (with optional checks against a catalog),
//! `#[derive(EventSet)]` and `#[derive(EventEnum)]`. Plain functions from a
//! [`syn::DeriveInput`] to tokens; the proc-macro crate only adds file loading.
//!
//! `#[derive(Event)]` runs in stages: `attr` reads the attributes into an `EventInput`; `valid`
//! and, with `catalog = "..."`, `catalog_check` check it and return data (the resolved
//! values of the impl, the type assertions and bounds to emit), recording every mistake in
//! `errors`; `expand` turns that data into tokens, or `fallback` writes a stand-in impl next to
//! the errors so that one mistake does not cascade into rustc errors.
//!
//! Contract: the derives never panic on input; what the derives and `include_catalog!` both
//! emit (the `Event` impl, the event-set impls, bounds checks) comes from the one generator of
//! each in `crate::expand`; the output reaches the runtime through the `__private` module of
//! [`Options::runtime`](crate::Options::runtime) (and `::core`/`::std`), except the public
//! `Extract` trait that `#[derive(EventSet)]` implements.

mod attr;
mod catalog_check;
mod errors;
mod event;
mod event_enum;
mod event_set;
mod expand;
mod fallback;
mod serde_names;
mod valid;

use std::path::PathBuf;
use std::sync::Arc;

pub use event::event;
pub use event_enum::event_enum;
pub use event_set::event_set;

use syn::LitStr;

use crate::model::Catalog;
use crate::report::CatalogError;

/// A catalog loaded from a file, for the checks of `#[derive(Event)]`.
#[derive(Debug)]
pub struct LoadedCatalog {
    /// The parsed, validated catalog.
    pub catalog: Catalog,
    /// Its absolute path, so that the expansion can make cargo rebuild when it changes.
    pub path: PathBuf,
}

/// Loads the catalog named by the literal of `catalog = "..."`; its errors are reported on
/// that literal, as `include_catalog!` reports them.
pub type CatalogLoader<'a> = &'a dyn Fn(&LitStr) -> Result<Arc<LoadedCatalog>, CatalogError>;
