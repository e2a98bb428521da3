//! The bus's errors: the runtime's, and the transport's own.

use novel_events::{DeadLetterError, PublishError, ReprocessError, SubscribeError};

/// Why an operation of the JetStream bus failed: what is JetStream's own (connecting, setting
/// up streams, names, TLS). The [`EventBus`](novel_events::EventBus) operations return the
/// runtime's errors, into which this one converts ([`into_publish_error`](Self::into_publish_error)
/// and its siblings), and which convert into it (`?` in a function returning `NatsError`).
#[derive(Debug, thiserror::Error)]
pub enum NatsError {
    /// The runtime refused to publish (an invalid payload, a closed bus).
    #[error(transparent)]
    Publish(#[from] PublishError),
    /// The runtime refused to subscribe (a closed bus, options differing from the group's).
    #[error(transparent)]
    Subscribe(#[from] SubscribeError),
    /// A dead letter could not be reprocessed (no such letter, no such subscriber).
    #[error(transparent)]
    Reprocess(#[from] ReprocessError),
    /// The dead letters could not be read or changed.
    #[error(transparent)]
    DeadLetter(#[from] DeadLetterError),
    /// The server did not answer in time, or the connection is down: nothing was done (a
    /// publish may be retried; its `Nats-Msg-Id` makes a retry within the duplicate window
    /// harmless).
    #[error("the NATS server is unavailable while {operation}: {message}")]
    Unavailable {
        /// What was being done (`publishing characters.character.created`).
        operation: String,
        /// The client's error.
        message: String,
    },
    /// The server answered with an error.
    #[error("the NATS server refused {operation}: {message}")]
    Server {
        /// What was being done.
        operation: String,
        /// The server's or client's error.
        message: String,
    },
    /// A name the server cannot take (a catalog name that is not a stream name).
    #[error("invalid name: {0}")]
    InvalidName(String),
    /// Something this build does not offer (TLS without the `tls` feature).
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// A processing strategy this bus does not offer across processes.
    #[error(
        "subscriber `{0}`: the immediate strategy runs handlers inside `publish`, which a broker cannot do across processes; use an asynchronous or batch subscription"
    )]
    UnsupportedStrategy(String),
}

impl NatsError {
    /// An error of the client while doing `operation`: `Unavailable` when it timed out or the
    /// connection is down, `Server` otherwise.
    pub(crate) fn client(operation: impl Into<String>, error: &dyn std::fmt::Display) -> Self {
        let message = error.to_string();
        let lowered = message.to_ascii_lowercase();
        let operation = operation.into();
        if lowered.contains("timed out")
            || lowered.contains("timeout")
            || lowered.contains("no responders")
            || lowered.contains("broken pipe")
            || lowered.contains("disconnected")
            || lowered.contains("connection")
        {
            NatsError::Unavailable { operation, message }
        } else {
            NatsError::Server { operation, message }
        }
    }

    /// This error as the runtime's [`PublishError`] for the event `event_type` `event_id`.
    pub fn into_publish_error(
        self,
        event_type: &'static str,
        event_id: uuid::Uuid,
    ) -> PublishError {
        match self {
            NatsError::Publish(error) => error,
            other => {
                let (operation, message) = other.operation_and_message();
                PublishError::Unavailable {
                    event_type,
                    event_id,
                    operation,
                    message,
                }
            }
        }
    }

    /// This error as the runtime's [`SubscribeError`] for the subscriber `name`.
    pub fn into_subscribe_error(self, name: &str) -> SubscribeError {
        match self {
            NatsError::Subscribe(error) => error,
            NatsError::UnsupportedStrategy(name) => SubscribeError::UnsupportedStrategy {
                name,
                strategy: "immediate",
                reason: "a broker cannot run a handler inside `publish` across processes"
                    .to_owned(),
            },
            other => {
                let (operation, message) = other.operation_and_message();
                SubscribeError::Unavailable {
                    name: name.to_owned(),
                    operation,
                    message,
                }
            }
        }
    }

    /// This error as the runtime's [`ReprocessError`] for the dead letter `id`.
    pub fn into_reprocess_error(self, id: u64) -> ReprocessError {
        match self {
            NatsError::Reprocess(error) => error,
            other => {
                let (operation, message) = other.operation_and_message();
                ReprocessError::Unavailable {
                    id,
                    operation,
                    message,
                }
            }
        }
    }

    /// This error as the runtime's [`DeadLetterError`].
    pub fn into_dead_letter_error(self) -> DeadLetterError {
        match self {
            NatsError::DeadLetter(error) => error,
            other => {
                let (operation, message) = other.operation_and_message();
                DeadLetterError::Unavailable { operation, message }
            }
        }
    }

    /// What was being done, and what went wrong, for the runtime's `Unavailable` variants.
    fn operation_and_message(self) -> (String, String) {
        match self {
            NatsError::Unavailable { operation, message } => (operation, message),
            NatsError::Server { operation, message } => {
                (operation, format!("the server refused: {message}"))
            }
            other => ("talking to the NATS server".to_owned(), other.to_string()),
        }
    }

    /// Whether the server was unreachable (worth retrying later).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, NatsError::Unavailable { .. })
    }
}
