//! The decoding core that generated code and the envelope share.
//!
//! Contract: decoding is strict where the catalog is strict, and every error names the path of
//! the value it is about (`payload.personalityTraits.openness: invalid type: ...`).
//!
//! - [`map_only`]: structs are read from JSON objects only, never from sequences of their
//!   field values ([`MapOnly`]);
//! - [`field`]: one field, decoded through [`MapOnly`] and named in any error, its numeric
//!   bounds checked as it is read;
//! - [`structs`] and [`enums`]: the visitors behind a generated struct and a generated enum of
//!   strings;
//! - [`bounds`]: numeric bounds, and [`Validate`] of a payload before publishing;
//! - [`payload`]: an event's payload ([`deserialize_event`], and [`deserialize_event_payload`]
//!   behind the `EventPayload` impl of one event type);
//! - [`error_path`]: the prefixing of errors with the path of their value;
//! - [`limits`]: the [`Limits`] every entrance enforces (size, nesting, string length);
//! - [`guard`]: what decoding an envelope checks of every value it reads, whatever type reads
//!   it (no key twice, the limits, finite numbers), so that acceptance does not depend on the
//!   order of the envelope's keys;
//! - [`inspect`]: what publishing, appending and `validate` check of a value (finite numbers,
//!   the limits), by walking its `Serialize`;
//! - [`probe`]: whether a payload type takes an eventType and eventVersion, asked as soon as
//!   both are read;
//! - [`quote`]: how errors quote input ([`shorten`]);
//! - [`unknown_event`] and [`event_set`]: the errors for an event a catalog or an event set
//!   does not hold, with a suggestion for a likely typo.
//!
//! Nothing here is public API but [`Limits`] (re-exported at the crate's root): generated code
//! reaches the rest through `novel_events::__private`.

pub(crate) mod bounds;
pub(crate) mod enums;
pub(crate) mod error_path;
pub(crate) mod event_set;
pub(crate) mod field;
pub(crate) mod guard;
pub(crate) mod inspect;
pub(crate) mod limits;
pub(crate) mod map_only;
pub(crate) mod payload;
pub(crate) mod probe;
pub(crate) mod quote;
pub(crate) mod structs;
pub(crate) mod unknown_event;

pub use bounds::{Bounded, Validate, check_bounds, finite_numbers, validate_payload};
pub use enums::deserialize_enum;
pub use error_path::{field_error, prefix_error, strip_position};
pub use event_set::{assert_distinct_events, not_in_set};
pub use field::{deserialize_bounded, deserialize_field, next_bounded, next_field, required};
pub use limits::{InvalidLimit, Limits};
pub use map_only::{MapOnly, MapOnlySeed};
pub use payload::{deserialize_event, deserialize_event_payload};
pub use quote::shorten;
pub use structs::{FromMap, deserialize_struct, next_key, serialize_optional, skip_value};
pub(crate) use unknown_event::{nearest, release};
pub use unknown_event::{reads_newer_version, unknown_event};
