//! The bus's errors: the runtime's, and the transport's own.

use novel_events::{PublishError, ReprocessError, SubscribeError};

/// Why an operation of the JetStream bus failed.
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

    /// Whether the server was unreachable (worth retrying later).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, NatsError::Unavailable { .. })
    }
}
