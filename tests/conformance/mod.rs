//! Conformance suites: the behaviour every implementation of a runtime trait must show, written
//! once, generic over the implementation, so that each bus and each store runs the same tests.
//!
//! - [`bus`]: [`EventBus`](novel_events::EventBus) implementations;
//! - [`store`]: [`EventStore`](novel_events::EventStore) and
//!   [`CheckpointStore`](novel_events::CheckpointStore) implementations.

pub mod bus;
pub mod store;
