//! Why the bus refused a publish, a subscription or a reprocessing.

use crate::bus::handler::HandlerError;
use crate::validation::ValidationError;

/// Why an event was not published.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The payload breaks a constraint of its catalog; nothing was published.
    #[error("refused to publish `{event_type}`: {source}")]
    Invalid {
        /// The eventType of the payload.
        event_type: &'static str,
        /// What is wrong, field by field.
        source: ValidationError,
    },
    /// The bus is shut down (or shutting down).
    #[error("the event bus is shut down; `{event_type}` {event_id} was not published")]
    Closed {
        /// The eventType.
        event_type: &'static str,
        /// The eventId.
        event_id: uuid::Uuid,
    },
    /// `try_publish` found a subscriber's queue full; nothing was published.
    #[error(
        "the queue of subscriber `{subscriber}` is full ({capacity} events); `{event_type}` was not published: retry later, or use `publish`, which waits"
    )]
    QueueFull {
        /// The subscriber whose queue is full.
        subscriber: String,
        /// Its capacity.
        capacity: usize,
        /// The eventType.
        event_type: &'static str,
    },
    /// An immediate subscriber failed; the event was published to everyone else.
    #[error("immediate subscriber `{subscriber}` failed on `{event_type}`: {source}")]
    Handler {
        /// The subscriber.
        subscriber: String,
        /// The eventType.
        event_type: &'static str,
        /// Its error.
        source: HandlerError,
    },
}

/// Why a subscription was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubscribeError {
    /// Subscriptions start workers: call `subscribe` inside a tokio runtime.
    #[error(
        "subscribing `{0}` needs a tokio runtime: call it from within one (for example in #[tokio::main])"
    )]
    NoRuntime(String),
    /// A group's instances must all use the same options.
    #[error(
        "subscriber `{name}` already exists with another {what}; every instance of a group uses the same options"
    )]
    OptionsMismatch {
        /// The subscriber's name.
        name: String,
        /// What differs: `strategy`, `retry policy` or `idempotency`.
        what: &'static str,
    },
    /// The bus is shut down.
    #[error("the event bus is shut down; `{0}` was not subscribed")]
    Closed(String),
}

/// Why a dead letter could not be reprocessed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReprocessError {
    /// No dead letter has this id.
    #[error("no dead letter with id {0}")]
    NotFound(u64),
    /// Its subscriber no longer exists on this bus.
    #[error("subscriber `{0}` of the dead letter is not subscribed to this bus")]
    NoSubscriber(String),
    /// The bus is shut down.
    #[error("the event bus is shut down")]
    Closed,
}
