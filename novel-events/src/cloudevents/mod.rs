//! CloudEvents 1.0: a lossless mapping between [`Envelope`](crate::Envelope) and a
//! CloudEvent, in the structured mode (the JSON event format,
//! `application/cloudevents+json`) and in the binary mode of the HTTP and NATS bindings
//! (`ce-` headers, the payload as the body).
//!
//! Contract: for every envelope a CloudEvent can hold (a non-empty `metadata.source`, a
//! timestamp in the years 0 to 9999), writing it with [`CloudEvents`] and reading the result
//! back gives an equal envelope, in either mode, whichever optional fields are present.
//! Reading goes through the runtime's envelope decoder
//! ([`Envelope::from_json`](crate::Envelope::from_json)), under the same
//! [`Limits`](crate::Limits): a CloudEvent's payload is accepted or refused exactly as
//! the same payload in an envelope, and a structured CloudEvent's JSON is read with the same
//! guard (no key twice, bounded nesting and strings). Every error names the attribute at
//! fault ([`CloudEventError`]).
//!
//! # The mapping
//!
//! | envelope | CloudEvent attribute | notes |
//! | --- | --- | --- |
//! | — | `specversion` | `1.0`; any other is refused |
//! | `eventId` | `id` | a UUID |
//! | `metadata.source` | `source` | verbatim; must not be empty |
//! | `eventType` | `type` | must be an event of the payload type's catalog |
//! | `aggregateId` | `subject` | a UUID: the aggregate the event is about |
//! | `timestamp` | `time` | RFC 3339 in UTC, with as many fraction digits as it needs (0, 3, 6 or 9) |
//! | `payload` | `data` | JSON; `datacontenttype` is `application/json` |
//! | — | `dataschema` | the registry `$id` of the event version ([`crate::catalog::schema_id`]); written, not checked when read |
//! | `eventVersion` | `eventversion` | extension |
//! | `aggregateType` | `aggregatetype` | extension |
//! | `correlationId` | `correlationid` | extension; when absent, read as the `id` (a root event) |
//! | `causationId` | `causationid` | extension; when absent, read as the `id` (a root event) |
//! | `userId` | `userid` | extension; absent when `None` |
//! | `metadata.trace` | `traceparent` | extension of the Distributed Tracing extension, when the trace is a W3C trace context as the runtime writes one |
//! | `metadata.trace` | `trace` | extension, for any other trace; absent when `None` |
//! | `metadata.schema` | `schema` | extension; absent when `None` |
//!
//! Extension names follow the specification's rules: lowercase letters and digits, at most
//! 20 characters. An envelope field without an attribute of its own travels as an extension
//! named after its key, lowercased; `metadata.trace` goes to `traceparent` when it is one, so
//! that tracing tools that know the Distributed Tracing extension continue it.
//!
//! Reading requires `specversion`, `id`, `source`, `type` (the specification's), and
//! `subject`, `time`, `eventversion`, `aggregatetype` and `data` (the envelope's);
//! `datacontenttype`, when present, must be `application/json` (parameters allowed, a
//! `charset` only `utf-8`); data base64-encoded (`data_base64`) is refused. Extensions the
//! mapping does not know are ignored, as unknown envelope keys are.
//!
//! # The binary mode
//!
//! [`BinaryEvent`] holds headers and a body valid for both bindings: each attribute is a
//! `ce-<name>` header, its value percent-encoded as both bindings require (space, `"`, `%`
//! and everything outside printable ASCII), and `datacontenttype` is written both as
//! `content-type` (the HTTP binding's place for it) and as `ce-datacontenttype` (the NATS
//! binding's). Reading matches header names case-insensitively, takes either (both must then
//! agree), accepts double-quoted values (older senders), and ignores headers that are not
//! the event's.

mod attributes;
mod binary;
mod cloud_events;
mod error;
mod percent;
mod structured;

pub use attributes::{DATA_CONTENT_TYPE, SPEC_VERSION};
pub use binary::{BinaryEvent, HEADER_PREFIX};
pub use cloud_events::CloudEvents;
pub use error::CloudEventError;
pub use structured::CONTENT_TYPE as STRUCTURED_CONTENT_TYPE;
