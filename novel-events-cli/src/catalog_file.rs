//! A catalog file named on the command line: read, then parsed and validated by the one
//! parser (`novel_events_codegen::parse_catalog`), as `include_catalog!` does.

use std::path::Path;

use novel_events_codegen::{Catalog, CatalogError, parse_catalog};

/// Reads and parses the catalog at `path`, naming it `path` as written in every error.
///
/// A file that cannot be read (or is not UTF-8) is [`CatalogError::Unreadable`]; a catalog
/// with problems is [`CatalogError::Invalid`], every problem with its file:line:column.
pub fn load(path: &Path) -> Result<Catalog, CatalogError> {
    let display = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|error| {
        CatalogError::Unreadable(format!("cannot read the catalog file `{display}`: {error}"))
    })?;
    parse_catalog(&source, &display).map_err(CatalogError::Invalid)
}
