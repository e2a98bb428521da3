//! What a catalog says, at run time: its metadata, its JSON Schema, and which Rust types can
//! hold its types.
//!
//! Contract: [`CatalogInfo`] (the `CATALOG` static that `include_catalog!` writes) describes
//! every event, field, bound and subscriber of a catalog, exactly as compiled; its JSON Schema
//! export ([`CatalogInfo::json_schema`]) is derived from that metadata alone, and each schema's
//! registry `$id` from the catalog's name alone ([`schema_id`]). The traits of
//! [`holds`] let `#[derive(Event)]` with `catalog = "..."` prove at compile time that each
//! field's Rust type can hold its catalog type. The catalog format itself is described in
//! [`format`](mod@format). [`dynamic`] checks envelopes against a [`CatalogInfo`] chosen at
//! run time, with the same rules and errors as the generated code.

pub mod format {
    #![doc = include_str!("../../catalog/README.md")]
}
pub mod dynamic;
mod example;
pub mod holds;
mod info;
mod json_schema;
mod schema_id;

pub use dynamic::{CatalogSource, CheckedPayload, DynamicPayload};
pub use example::{EXAMPLE_NAMESPACE, EXAMPLE_TIMESTAMP};
pub use info::{AggregateIdInfo, CatalogInfo, DeprecationInfo, EventInfo, FieldInfo, TypeInfo};
pub use schema_id::schema_id;
