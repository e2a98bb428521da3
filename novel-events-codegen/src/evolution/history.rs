//! The versions of each event of a catalog, oldest first, and the renames their change logs
//! declare between two of them.

use std::collections::HashMap;

use super::change::ChangeKind;
use super::compare::Rename;
use super::version::Version;
use crate::model::{Catalog, EventDef};

/// Every event type of `catalog` with its versions sorted oldest first, in order of first
/// appearance.
pub(crate) fn histories(catalog: &Catalog) -> Vec<Vec<&EventDef>> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut histories: Vec<Vec<&EventDef>> = Vec::new();
    for event in catalog.events() {
        let slot = *index.entry(&event.event_type).or_insert_with(|| {
            histories.push(Vec::new());
            histories.len() - 1
        });
        histories[slot].push(event);
    }
    for history in &mut histories {
        history.sort_by_cached_key(|event| Version::new(&event.event_version));
    }
    histories
}

/// The renames declared by the change logs of `versions` (the versions after the older one,
/// up to the newer one, oldest first), composed: a field renamed `a` → `b` then `b` → `c` is
/// the rename `a` → `c`.
pub(crate) fn renames<'e>(versions: impl IntoIterator<Item = &'e EventDef>) -> Vec<Rename> {
    let mut renames: Vec<Rename> = Vec::new();
    for event in versions {
        let Some(log) = &event.changes else { continue };
        for declared in &log.entries {
            let (ChangeKind::FieldRenamed, Some(from)) = (declared.kind, &declared.from) else {
                continue;
            };
            match renames.iter_mut().find(|(_, to)| to == from) {
                Some(rename) => rename.1 = declared.field.clone(),
                None => renames.push((from.clone(), declared.field.clone())),
            }
        }
    }
    renames
}
