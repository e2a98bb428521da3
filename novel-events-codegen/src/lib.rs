//! The engine behind `novel-events`' macros: the catalog model, its YAML parser with
//! line:column errors, its validation, and Rust code generation.
//!
//! Everything here is a plain function over strings, the [`Catalog`] model and
//! [`proc_macro2::TokenStream`], so it is unit-testable and usable from build scripts and tools.
//! Users normally reach it through `novel_events::include_catalog!`.
//!
//! ```
//! let source = r#"
//! catalog: demo
//! version: "1.0.0"
//! domains:
//!   accounts:
//!     events:
//!       - name: AccountOpened
//!         eventType: accounts.account.opened
//!         eventVersion: "1.0.0"
//!         aggregateType: Account
//!         aggregateId: accountId
//!         payload:
//!           accountId: uuid
//!           plan: "free|pro"
//! "#;
//! let catalog = novel_events_codegen::parse_catalog(source, "demo.yaml").unwrap();
//! assert_eq!(catalog.events().count(), 1);
//! let tokens = novel_events_codegen::generate(&catalog, &novel_events_codegen::Options::default());
//! assert!(tokens.to_string().contains("AccountOpened"));
//! ```

pub mod derive;
mod diagnostic;
mod expand;
mod model;
pub mod naming;
mod parse;
mod report;
mod resolve;
mod validate;
mod yaml;

use std::path::Path;

pub use diagnostic::{Diagnostic, Location, did_you_mean, nearest, shorten};
pub use expand::{Options, generate};
pub use model::{
    AggregateId, Catalog, Category, CompatibilityMode, Deprecation, Domain, EnumDef, EventDef,
    EventSpans, Field, Literal, NamedType, StructDef, Subscriber, TypeExpr,
};
pub use report::CatalogError;

/// Parses and validates a catalog. `file` names the source in error messages.
///
/// On failure, returns every problem found, sorted by position.
pub fn parse_catalog(source: &str, file: &str) -> Result<Catalog, Vec<Diagnostic>> {
    let root = yaml::parse(source, file).map_err(|diagnostic| vec![diagnostic])?;
    let mut diagnostics = diagnostic::Diagnostics::new();
    let mut catalog = parse::catalog(&root, &mut diagnostics);
    validate::catalog(&catalog, &mut diagnostics);
    resolve::catalog(&mut catalog);
    validate::rust_names(&catalog, &mut diagnostics);
    diagnostics.finish(catalog)
}

/// Reads and parses a catalog file. `display` is how errors name it (usually the path as the
/// user wrote it, relative to their crate).
pub fn load_catalog(path: &Path, display: &str) -> Result<Catalog, Vec<Diagnostic>> {
    let source = std::fs::read_to_string(path).map_err(|error| {
        vec![Diagnostic::new(
            Location::new(display, 1, 1),
            format!("cannot read the catalog file `{}`: {error}", path.display()),
        )]
    })?;
    parse_catalog(&source, display)
}
