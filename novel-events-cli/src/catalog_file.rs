//! A catalog file named on the command line: read, then parsed and validated by the one
//! parser (`novel_events_codegen::parse_catalog`) and checked against its lock file, as
//! `include_catalog!` does.

use std::path::Path;

use novel_events_codegen::{Catalog, CatalogError, check_lock_file, parse_catalog};

/// Reads and parses the catalog at `path`, naming it `path` as written in every error.
///
/// A file that cannot be read (or is not UTF-8) is [`CatalogError::Unreadable`]; a catalog
/// with problems, or one that breaks its lock file, is [`CatalogError::Invalid`], every
/// problem with its file:line:column.
pub fn load(path: &Path) -> Result<Catalog, CatalogError> {
    let catalog = parse(path)?;
    check_lock_file(&catalog, path, &path.display().to_string()).map_err(CatalogError::Invalid)?;
    Ok(catalog)
}

/// [`load`] without the lock file's check: for `novel-events lock`, which checks the lock
/// itself before it rewrites it.
pub fn parse(path: &Path) -> Result<Catalog, CatalogError> {
    let display = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|error| {
        CatalogError::Unreadable(format!("cannot read the catalog file `{display}`: {error}"))
    })?;
    parse_catalog(&source, &display).map_err(CatalogError::Invalid)
}
