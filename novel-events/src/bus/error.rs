//! Why the bus refused a publish, a subscription, a reprocessing or a dead-letter operation.
//!
//! The variants cover every transport: an in-process bus never returns the `Unavailable`
//! ones, a broker returns them when it cannot be reached.

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
    /// The transport is unreachable (a broker down, a connection lost, an acknowledgement
    /// that did not come); nothing was published. Retrying is safe: the eventId dedupes.
    #[error(
        "`{event_type}` {event_id} was not published: the event bus is unavailable while {operation} ({message}); retry later, the eventId makes a retry harmless"
    )]
    Unavailable {
        /// The eventType.
        event_type: &'static str,
        /// The eventId.
        event_id: uuid::Uuid,
        /// What was being done (`publishing characters.character.created`).
        operation: String,
        /// The transport's error.
        message: String,
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
    /// An option is out of range ([`SubscriptionOptions::validate`](crate::SubscriptionOptions::validate)).
    #[error("subscriber `{name}` was not subscribed: invalid options: {reason}")]
    InvalidOptions {
        /// The subscriber's name.
        name: String,
        /// Which option, its value and its range.
        reason: String,
    },
    /// This bus does not offer the processing strategy asked for (a broker cannot run a
    /// handler inside `publish` across processes).
    #[error(
        "subscriber `{name}`: this event bus does not offer the {strategy} strategy ({reason}); use an asynchronous or batch subscription"
    )]
    UnsupportedStrategy {
        /// The subscriber's name.
        name: String,
        /// The strategy refused (`immediate`).
        strategy: &'static str,
        /// Why this bus cannot offer it.
        reason: String,
    },
    /// The transport is unreachable: the subscriber's consumer could not be set up; nothing
    /// was subscribed. Subscribe again once the broker is back.
    #[error(
        "subscriber `{name}` was not subscribed: the event bus is unavailable while {operation} ({message}); subscribe again once it is reachable"
    )]
    Unavailable {
        /// The subscriber's name.
        name: String,
        /// What was being done (`creating consumer memory-service`).
        operation: String,
        /// The transport's error.
        message: String,
    },
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
    /// The dead letter holds a message that never decoded: there is no event to deliver.
    #[error(
        "dead letter {0} holds a message that never decoded, so it cannot be delivered; inspect it and discard it"
    )]
    Undecodable(u64),
    /// The bus is shut down.
    #[error("the event bus is shut down; dead letters can be reprocessed only by a running bus")]
    Closed,
    /// The transport is unreachable; the dead letter stays where it was. Try again later.
    #[error(
        "dead letter {id} was not reprocessed: the event bus is unavailable while {operation} ({message}); it is still a dead letter, try again later"
    )]
    Unavailable {
        /// The dead letter's id.
        id: u64,
        /// What was being done.
        operation: String,
        /// The transport's error.
        message: String,
    },
}

/// Why a dead-letter operation (list, get, count, discard) failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadLetterError {
    /// The transport is unreachable; nothing was changed. Try again later.
    #[error(
        "the dead letters are unavailable while {operation} ({message}); nothing was changed, try again later"
    )]
    Unavailable {
        /// What was being done (`listing dead letters`, `discarding dead letter 7`).
        operation: String,
        /// The transport's error.
        message: String,
    },
}
