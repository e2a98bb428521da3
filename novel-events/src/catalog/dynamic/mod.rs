//! Envelopes checked against a catalog's metadata alone, without its generated types: for
//! tools and gateways that load a catalog at run time (the `novel-events validate` command).
//!
//! Contract: decoding an `Envelope<DynamicPayload<C>>` accepts and refuses exactly what
//! decoding the catalog's generated `Envelope<AnyEvent>` accepts and refuses (one exception,
//! not yet covered: a newer version of the same major that a forward-compatible event's
//! `AnyEvent` reads as its newest version is refused here, as an unknown version), with the same
//! error messages and field paths (`payload.personalityTraits.openness: ...`): the envelope's
//! header rules are the envelope's own code, and every payload value is read through the same
//! codec functions and the same Rust types as the generated code (uuids, RFC 3339 times,
//! 64-bit integers, closed enums, objects only from JSON objects, numeric bounds, duplicate
//! fields refused, unknown fields ignored). The payload is kept as the JSON the generated type
//! would write back (defaults filled in, absent optional fields omitted, uuids and times in
//! their canonical spelling), so nothing accepted is lost.
//!
//! [`CheckedPayload`] is decoded by the same code and keeps nothing: for validators.
//!
//! - `payload`: [`DynamicPayload`] and [`CatalogSource`], which names the catalog;
//! - `checked`: [`CheckedPayload`];
//! - `check`: the walk over a payload's [`TypeInfo`](super::TypeInfo)s, keeping the values
//!   or not.

mod check;
mod checked;
mod payload;

pub use checked::CheckedPayload;
pub use payload::{CatalogSource, DynamicPayload};
