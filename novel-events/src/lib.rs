//! Typed domain events from a YAML catalog.
//!
//! Describe events once in YAML (see [`catalog::format`] for the format) and
//! [`include_catalog!`] turns them into Rust at compile time: a module per domain, a struct per
//! event, an enum per string union, an [`Event`] implementation per event, an `AnyEvent` enum
//! that decodes any envelope of the catalog, a static `CATALOG` with JSON Schema export, and
//! subscriber traits. A mistake in the catalog is a compile error with its file:line:column.
//!
//! ```
//! mod library {
//!     novel_events::include_catalog!("examples/library.yaml");
//! }
//! use library::lending::BookBorrowed;
//! use novel_events::{Envelope, Event};
//!
//! let borrowed = Envelope::new(
//!     BookBorrowed { book_id: uuid::Uuid::new_v4(), due_in_days: 14, format: library::lending::Format::Ebook },
//!     "lending-desk",
//! );
//! assert_eq!(BookBorrowed::EVENT_TYPE, "lending.book.borrowed");
//! let json = serde_json::to_value(&borrowed).unwrap();
//! assert_eq!(json["payload"]["format"], "ebook");
//! ```
//!
//! The Novel Engine catalog is built in as [`novel_engine`] (default feature `novel-engine`).
//!
//! # Decoding rules
//! Decoding is strict where the catalog is strict: a missing required field, a wrong JSON type,
//! a value outside its enum, a malformed uuid or datetime, a number outside its bounds, a
//! non-object where an object is declared, an `aggregateType` or `aggregateId` that is not the
//! payload's, or an unknown eventType or version is an error that names the field's path (`payload.personalityTraits.openness: invalid type: ...`). Unknown
//! extra fields are ignored, so that a reader built against an older catalog accepts events
//! from a newer writer (forward compatibility).
//!
//! # Modules
//! The core vocabulary is at the root: [`Event`] and [`EventPayload`], [`Envelope`] with its
//! [`Metadata`], the validation errors ([`ValidationError`]) and the macros. The subsystems are
//! modules, each stating its contract:
//! - [`bus`]: publishing and subscribing ([`EventBus`], [`InMemoryBus`]), handlers, retries,
//!   dead letters, idempotency, and the [`Publisher`];
//! - [`store`]: the event store ([`EventReader`], [`EventAppender`], the SQLite backend),
//!   upcasting, aggregates, projections and catch-up subscriptions;
//! - [`catalog`]: a catalog's metadata ([`CatalogInfo`]), its JSON Schema, and which Rust types
//!   hold which catalog types;
//! - [`context`]: where an event comes from: its [`lineage`] and its [`TraceContext`];
//! - [`cloudevents`]: envelopes as CloudEvents 1.0, structured or binary (`ce-` headers), for
//!   consumers that speak CloudEvents;
//! - [`Saga`], at the root: an application's process built on a bus.
//!
//! The items of the subsystems that applications name daily are also re-exported here, each
//! under one name; the rest (the projection functions `store::projection::{replay, follow,
//! catch_up}`, the type-holding traits `catalog::holds`) live only in their module.

extern crate self as novel_events;

pub mod bus;
pub mod catalog;
pub mod cloudevents;
mod codec;
pub mod context;
mod decodes;
mod envelope;
mod event;
mod panic;
mod saga;
pub mod store;
mod upcast;
mod validation;

#[cfg(feature = "novel-engine")]
pub mod novel_engine;

#[doc(hidden)]
pub mod __private;

pub use bus::{
    Backoff, BatchHandler, DeadLetter, DeadLetterError, DeadLetterQueue, DeadLetters, DeadMessage,
    Delivered, DispatchHandler, ErrorClass, EventBus, FnHandler, Handler, HandlerError,
    HandlerFuture, HandlerResult, IdempotencyStore, InMemoryBus, InMemoryDeadLetters,
    InMemoryIdempotency, OnHandler, PublishError, Publisher, ReprocessError, RetryAction,
    RetryPolicy, ShutdownReport, Strategy, SubscribeError, Subscription, SubscriptionOptions,
    handler_fn, on,
};
pub use catalog::{AggregateIdInfo, CatalogInfo, DeprecationInfo, EventInfo, FieldInfo, TypeInfo};
pub use codec::{InvalidLimit, Limits};
pub use context::{InvalidTraceparent, Lineage, TraceContext, lineage};
pub use decodes::{DecodeScope, Decoded, DecodedVersion, Decodes};
pub use envelope::{Envelope, Metadata};
pub use event::{
    AGGREGATE_NAMESPACE, Event, EventCategory, EventPayload, Extract, SubscriberInfo,
    name_based_aggregate_id,
};
pub use saga::{Saga, SagaFailure};
pub use store::{
    Aggregate, AggregateOutcome, AggregateTest, AppendOutcome, CatchUp, CheckpointStore,
    CommandError, EventAppender, EventReader, EventStore, ExpectedVersion, HoldingsCheck,
    Projection, ProjectionError, Repository, StoreError, StoredEvent, Upcasters,
};
#[cfg(feature = "sqlite")]
pub use store::{
    Durability, OutboxError, OutboxRelay, SCHEMA_VERSION, SqliteEventStore, SqliteProjection,
    StoreOptions,
};
pub use store::{LogRelay, RelayError, RelayTarget};
pub use upcast::{IntoLatest, Latest, Upcast, UpcastEvents};
pub use validation::{UnknownValue, ValidationError, Violation};

/// The `chrono` this crate builds on (envelope timestamps, `datetime` fields): use it instead of
/// a `chrono` of your own, so that the types are the same whatever version you would pin.
pub use chrono;
/// The `serde_json` this crate builds on (`object` fields are `serde_json::Map`s, envelopes
/// go to and from JSON through it).
pub use serde_json;
/// The `uuid` this crate builds on (eventIds, aggregate ids, `uuid` fields).
pub use uuid;

/// Expands a YAML catalog into Rust items, at compile time.
///
/// The path is relative to the calling crate's `CARGO_MANIFEST_DIR` (set
/// `NOVEL_EVENTS_MANIFEST_DIR` to override it for the crates cargo is asked to build, not for
/// their dependencies: for example in trybuild tests). Cargo rebuilds
/// the crate when the file changes. Errors in the catalog are compile errors that name the
/// file, line and column; all of them are reported at once.
///
/// What the expansion holds is described in the crate documentation and [`catalog::format`].
pub use novel_events_macros::include_catalog;

/// Derives [`Event`](trait@Event) for a struct with named fields; see the trait's documentation.
pub use novel_events_macros::Event;
/// Derives the wire values of a user enum, for the catalog checks of `#[derive(Event)]`.
pub use novel_events_macros::EventEnum;
/// Checks a struct against one of the catalog's nested objects, field by field, and implements
/// [`HoldsObject`](catalog::holds::HoldsObject) and [`CheckedObject`](catalog::holds::CheckedObject) for it:
///
/// ```
/// use novel_events::{EventObject, catalog::holds::CheckedObject};
///
/// // The Novel Engine specification's `personalityTraits`, as a struct of your own.
/// #[derive(serde::Serialize, serde::Deserialize, EventObject)]
/// #[event(object = "PersonalityTraits", catalog = "catalog/novel-engine.yaml")]
/// struct Traits {
///     openness: f64,
///     conscientiousness: f64,
///     extraversion: f64,
///     agreeableness: f64,
///     neuroticism: f64,
/// }
///
/// assert_eq!(<Traits as CheckedObject>::OBJECT, Some("PersonalityTraits"));
/// ```
///
/// A field missing, misspelled, of the wrong type or too narrow is a compile error:
///
/// ```compile_fail
/// # use novel_events::EventObject;
/// #[derive(serde::Serialize, serde::Deserialize, EventObject)]
/// #[event(object = "PersonalityTraits", catalog = "catalog/novel-engine.yaml")]
/// struct Traits {
///     openness: f64,
///     conscientiousness: f64,
/// }
/// ```
///
/// `object` is the catalog's name of the object: a named type under `types:`, or an inline
/// object's `name:` (as `include_catalog!` names its struct). The checks are those of
/// `#[derive(Event)]` on a payload: every field present once (through serde's renames),
/// optionality, each type able to hold its catalog type (nested objects again through this
/// derive).
pub use novel_events_macros::EventObject;
/// Derives decoding of an enum of event types from envelopes, like a catalog's `AnyEvent`.
pub use novel_events_macros::EventSet;

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
