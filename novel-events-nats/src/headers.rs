//! The message headers the bus writes and reads.
//!
//! Every event message carries, besides its envelope (the JSON body, which is the source of
//! truth):
//! - `Nats-Msg-Id`: the eventId, for the stream's duplicate window;
//! - `Novel-Event-Type` and `Novel-Event-Version`: the eventType and eventVersion (also in the
//!   body), so that tools and filters need not parse the body;
//! - `Novel-Correlation-Id` and `Novel-Causation-Id`;
//! - `traceparent`: the W3C trace context of `metadata.trace`, when it is one, so that a trace
//!   continues in the consuming process.
//!
//! With [`Encoding::CloudEventsBinary`](crate::Encoding::CloudEventsBinary) the body is the
//! payload's JSON and the envelope travels in CloudEvents `ce-` headers (and `content-type`)
//! beside these (see `novel_events::cloudevents`); subscribers read either form.
//!
//! A dead letter keeps the message's body as it arrived, and its headers, and adds
//! `Novel-Subscriber`, `Novel-Error`, `Novel-Error-Code`, `Novel-Attempts`,
//! `Novel-First-Failed-At`, `Novel-Last-Failed-At` (RFC 3339), `Novel-Source-Subject` and
//! `Novel-Source-Sequence` (where the event was: its subject, and its sequence in its stream).

use async_nats::HeaderMap;
use novel_events::{Envelope, EventPayload, TraceContext};

/// The eventType.
pub const EVENT_TYPE: &str = "Novel-Event-Type";
/// The eventVersion.
pub const EVENT_VERSION: &str = "Novel-Event-Version";
/// The correlationId.
pub const CORRELATION_ID: &str = "Novel-Correlation-Id";
/// The causationId.
pub const CAUSATION_ID: &str = "Novel-Causation-Id";
/// The W3C trace context.
pub const TRACEPARENT: &str = "traceparent";
/// The subscriber of a dead letter.
pub const SUBSCRIBER: &str = "Novel-Subscriber";
/// A dead letter's last error, as text.
pub const ERROR: &str = "Novel-Error";
/// A dead letter's last error code.
pub const ERROR_CODE: &str = "Novel-Error-Code";
/// How many times the handler was tried.
pub const ATTEMPTS: &str = "Novel-Attempts";
/// On a dead letter: why it was not retried (any more), as [`novel_events::bus::GiveUp`] says it.
pub const REASON: &str = "Novel-Give-Up-Reason";
/// When the first attempt failed (RFC 3339).
pub const FIRST_FAILED_AT: &str = "Novel-First-Failed-At";
/// When the last attempt failed (RFC 3339).
pub const LAST_FAILED_AT: &str = "Novel-Last-Failed-At";
/// The dead-lettered message's sequence in the stream it came from.
pub const SOURCE_SEQUENCE: &str = "Novel-Source-Sequence";
/// The subject the dead-lettered message came from.
pub const SOURCE_SUBJECT: &str = "Novel-Source-Subject";

/// The headers of an event message.
pub(crate) fn for_event<P: EventPayload>(envelope: &Envelope<P>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        async_nats::header::NATS_MESSAGE_ID,
        envelope.event_id.to_string().as_str(),
    );
    headers.insert(EVENT_TYPE, envelope.event_type());
    headers.insert(EVENT_VERSION, envelope.event_version());
    headers.insert(CORRELATION_ID, envelope.correlation_id.to_string().as_str());
    headers.insert(CAUSATION_ID, envelope.causation_id.to_string().as_str());
    if let Some(trace) = envelope
        .metadata
        .trace
        .as_deref()
        .and_then(|trace| trace.parse::<TraceContext>().ok())
    {
        headers.insert(TRACEPARENT, trace.to_string().as_str());
    }
    headers
}

/// A header's value, if present.
pub(crate) fn get<'a>(headers: Option<&'a HeaderMap>, name: &str) -> Option<&'a str> {
    headers?.get(name).map(async_nats::HeaderValue::as_str)
}

/// A header value as one line (headers cannot hold line breaks).
pub(crate) fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}
