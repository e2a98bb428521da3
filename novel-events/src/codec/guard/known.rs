//! Keys that the visitor reading an object recognizes as one of its fields, reported to the
//! guard by their index so that it checks them without keeping their text.
//!
//! The visitors of generated structs ([`FieldIndex`](crate::codec::structs)), of the envelope
//! and of its metadata turn each key into the index of a field of theirs. They report that
//! index here ([`recognized`]) as they read the key; the guard clears the report before it
//! reads a key and takes it right after ([`GuardMap`](super::map::GuardMap)), so a report
//! never outlives the key it is about. A key the visitor does not recognize (an unknown
//! field, or any key of a map read by another visitor, such as a `serde_json::Value`) is not
//! reported, and the guard checks it by its text, as before.
//!
//! Within one object the field list is the same for every key (one visitor reads them all),
//! so two keys with the same index are the same key, whatever their spelling (`"name"` and
//! `"na\u006de"`): one bit per field index finds a duplicate.

use std::cell::Cell;

thread_local! {
    /// The field the key being read was recognized as: its index and its name.
    static RECOGNIZED: Cell<Option<(usize, &'static str)>> = const { Cell::new(None) };
}

/// Reports that the key just read is the field `name`, at `index` in its visitor's list of
/// fields. Called by the visitor of the key, whatever deserializer reads it; only the guard
/// takes the report.
#[inline]
pub(crate) fn recognized(index: usize, name: &'static str) {
    RECOGNIZED.with(|cell| cell.set(Some((index, name))));
}

/// Forgets any report, before a key is read.
#[inline]
pub(super) fn clear() {
    RECOGNIZED.with(|cell| cell.set(None));
}

/// The report about the key just read, if its visitor recognized it.
#[inline]
pub(super) fn take() -> Option<(usize, &'static str)> {
    RECOGNIZED.with(Cell::take)
}
