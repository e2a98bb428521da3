//! The engine behind `novel-events`' macros: the catalog model, its YAML parser with
//! line:column errors, its validation, schema evolution (compatibility modes, change logs and
//! the lock file, in [`evolution`]), and Rust code generation.
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
pub mod evolution;
mod expand;
mod json_string;
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
    AggregateId, Catalog, Category, ChangeLog, CompatibilityMode, DeclaredChange, Deprecation,
    Domain, EnumDef, EventDef, EventSpans, Field, Literal, NamedType, StructDef, Subscriber,
    TypeExpr,
};
pub use report::CatalogError;

/// Parses and validates a catalog, including the compatibility of the versions of each event
/// and their change logs ([`evolution`]). `file` names the source in error messages.
///
/// On failure, returns every problem found, sorted by position.
pub fn parse_catalog(source: &str, file: &str) -> Result<Catalog, Vec<Diagnostic>> {
    let root = yaml::parse(source, file).map_err(|diagnostic| vec![diagnostic])?;
    let mut diagnostics = diagnostic::Diagnostics::new();
    let mut catalog = parse::catalog(&root, &mut diagnostics);
    validate::catalog(&catalog, &mut diagnostics);
    resolve::catalog(&mut catalog);
    validate::rust_names(&catalog, &mut diagnostics);
    // The comparison of versions walks named types, so it needs a catalog whose references
    // resolve and whose types are finite.
    if diagnostics.is_empty() {
        evolution::check(&catalog, &mut diagnostics);
    }
    diagnostics.finish(catalog)
}

/// Reads and parses a catalog file, and checks it against its lock file when one stands beside
/// it ([`evolution::Lock::path_for`]). `display` is how errors name the catalog (usually the
/// path as the user wrote it, relative to their crate); the lock is named the same way.
pub fn load_catalog(path: &Path, display: &str) -> Result<Catalog, Vec<Diagnostic>> {
    let source = std::fs::read_to_string(path).map_err(|error| {
        vec![Diagnostic::new(
            Location::new(display, 1, 1),
            format!("cannot read the catalog file `{}`: {error}", path.display()),
        )]
    })?;
    let catalog = parse_catalog(&source, display)?;
    check_lock_file(&catalog, path, display)?;
    Ok(catalog)
}

/// Checks `catalog`, read from `path` (named `display` in errors), against its lock file
/// (`evolution::Lock::path_for(path)`), when it has one: a released version edited in place
/// or deleted too early is an error, and so is a lock file that cannot be read.
pub fn check_lock_file(
    catalog: &Catalog,
    path: &Path,
    display: &str,
) -> Result<(), Vec<Diagnostic>> {
    let lock_display = evolution::Lock::path_for(Path::new(display));
    let lock = evolution::Lock::read_as(
        &evolution::Lock::path_for(path),
        &lock_display.to_string_lossy(),
    )
    .map_err(|diagnostic| vec![diagnostic])?;
    match lock {
        Some(lock) => {
            let problems = evolution::check_lock(catalog, &lock);
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems)
            }
        }
        None => Ok(()),
    }
}
