//! Where an event comes from: the causation tree of a flow, and the W3C trace context an
//! envelope carries.
//!
//! Contract: every envelope names its correlationId (the flow) and causationId (the event or
//! command that caused it), and may carry a `traceparent` in `metadata.trace`; [`lineage`]
//! rebuilds a flow's tree from the store by those ids, [`TraceContext`] parses and continues the
//! `traceparent`. The folder is named for the context an event carries, not for the `tracing`
//! crate, which the runtime uses for its own spans.

mod lineage;
mod trace_context;

pub use lineage::{Lineage, lineage};
pub use trace_context::{InvalidTraceparent, TraceContext};
