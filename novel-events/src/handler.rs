//! What a subscriber's handler returns: success, or an error it classifies as retryable or
//! permanent.

use std::borrow::Cow;
use std::fmt;

/// The result of handling one event.
pub type HandlerResult = Result<(), HandlerError>;

/// Whether a failed event is worth retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// A transient failure (the seed's `network-timeout`, `service-unavailable`,
    /// `temporary-failure`): try again later.
    Retryable,
    /// Retrying cannot help (bad data, a bug): park the event as a dead letter.
    Permanent,
}

/// A handler's failure, with its class and a short machine-readable code.
#[derive(Debug)]
pub struct HandlerError {
    class: ErrorClass,
    code: Cow<'static, str>,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl HandlerError {
    /// The seed's retryable error code for a network timeout.
    pub const NETWORK_TIMEOUT: &'static str = "network-timeout";
    /// The seed's retryable error code for an unavailable service.
    pub const SERVICE_UNAVAILABLE: &'static str = "service-unavailable";
    /// The seed's retryable error code for any other transient failure.
    pub const TEMPORARY_FAILURE: &'static str = "temporary-failure";

    /// A transient failure with a code such as [`HandlerError::NETWORK_TIMEOUT`].
    pub fn retryable(
        code: impl Into<Cow<'static, str>>,
        error: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            class: ErrorClass::Retryable,
            code: code.into(),
            source: error.into(),
        }
    }

    /// A failure that retrying cannot fix.
    pub fn permanent(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self {
            class: ErrorClass::Permanent,
            code: Cow::Borrowed("permanent"),
            source: error.into(),
        }
    }

    /// Whether the failure is worth retrying.
    pub fn class(&self) -> ErrorClass {
        self.class
    }

    /// The error code (`network-timeout`, ..., or `permanent`).
    pub fn code(&self) -> &str {
        &self.code
    }
}

impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.code,
            match self.class {
                ErrorClass::Retryable => "retryable",
                ErrorClass::Permanent => "permanent",
            },
            self.source
        )
    }
}

impl std::error::Error for HandlerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}
