//! The catalog a command loaded, as the [`CatalogSource`] of
//! [`DynamicPayload`](novel_events::catalog::DynamicPayload): envelopes are decoded as
//! `Envelope<DynamicPayload<Loaded>>` once [`install`] has been called.

use std::collections::HashMap;
use std::sync::OnceLock;

use novel_events::catalog::CatalogSource;
use novel_events::{CatalogInfo, EventInfo};

static LOADED: OnceLock<&'static CatalogInfo> = OnceLock::new();

/// The versions of each eventType of the loaded catalog, so that finding an envelope's event
/// costs the same in a catalog of a thousand events as in one of ten.
static INDEX: OnceLock<HashMap<&'static str, Vec<&'static EventInfo>>> = OnceLock::new();

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

    fn event(event_type: &str, event_version: &str) -> Option<&'static EventInfo> {
        // Nothing installed: no event (the index is built once a catalog is, from it alone).
        let catalog = LOADED.get()?;
        let index = INDEX.get_or_init(|| {
            let mut index: HashMap<&'static str, Vec<&'static EventInfo>> = HashMap::new();
            for event in catalog.events {
                index.entry(event.event_type).or_default().push(event);
            }
            index
        });
        index
            .get(event_type)?
            .iter()
            .find(|event| event.event_version == event_version)
            .copied()
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
