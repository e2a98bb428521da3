//! The catalog a command loaded, as the [`CatalogSource`] of
//! [`DynamicPayload`](novel_events::catalog::DynamicPayload): envelopes are decoded as
//! `Envelope<DynamicPayload<Loaded>>` once [`install`] has been called.

use std::sync::OnceLock;

use novel_events::CatalogInfo;
use novel_events::catalog::CatalogSource;

static LOADED: OnceLock<&'static CatalogInfo> = OnceLock::new();

/// No catalog: every eventType is unknown.
static EMPTY: CatalogInfo = CatalogInfo {
    name: "(none loaded)",
    version: "",
    description: "",
    events: &[],
};

/// The catalog installed by [`install`] (an empty one before).
pub struct Loaded;

impl CatalogSource for Loaded {
    fn catalog() -> &'static CatalogInfo {
        LOADED.get().copied().unwrap_or(&EMPTY)
    }
}

/// Makes `catalog` the one [`Loaded`] names, for the rest of the process. Installing another
/// catalog later is refused (it returns the one in place); installing the same one again is
/// accepted.
pub fn install(catalog: &'static CatalogInfo) -> Result<(), &'static CatalogInfo> {
    let installed = *LOADED.get_or_init(|| catalog);
    if std::ptr::eq(installed, catalog) {
        Ok(())
    } else {
        Err(installed)
    }
}
