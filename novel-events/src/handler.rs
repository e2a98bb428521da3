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

    /// The same error with another code (for example `panic`).
    #[must_use]
    pub fn with_code(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        self.code = code.into();
        self
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
        match self.class {
            ErrorClass::Retryable => write!(f, "{} (retryable): {}", self.code, self.source),
            ErrorClass::Permanent if self.code == "permanent" => {
                write!(f, "permanent failure: {}", self.source)
            }
            ErrorClass::Permanent => write!(f, "{} (permanent): {}", self.code, self.source),
        }
    }
}

impl std::error::Error for HandlerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// A boxed future of a handler, for object-safe handler traits.
pub type HandlerFuture<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = HandlerResult> + Send + 'a>>;

/// Handles envelopes of the payload type `P` delivered by a bus, one at a time.
///
/// Implemented by [`handler_fn`] (a closure on any event of `P`), [`on`] (a closure on one
/// event type), [`DispatchHandler`] (a catalog's generated subscriber traits, through their
/// `into_handler`), and your own types.
pub trait Handler<P>: Send + Sync + 'static {
    /// Handles one envelope.
    fn handle<'a>(&'a self, envelope: &'a crate::Envelope<P>) -> HandlerFuture<'a>;

    /// Whether this handler wants envelopes of this eventType and version; the others are not
    /// delivered to it (and not counted).
    fn accepts(&self, event_type: &str, event_version: &str) -> bool {
        let _ = (event_type, event_version);
        true
    }
}

/// Handles envelopes in batches (the seed's batch processing strategy).
pub trait BatchHandler<P>: Send + Sync + 'static {
    /// Handles a batch. An error fails the whole batch (it is retried, then dead-lettered
    /// whole), so make the handler idempotent per event.
    fn handle_batch<'a>(
        &'a self,
        batch: &'a [std::sync::Arc<crate::Envelope<P>>],
    ) -> HandlerFuture<'a>;

    /// Whether this handler wants envelopes of this eventType and version.
    fn accepts(&self, event_type: &str, event_version: &str) -> bool {
        let _ = (event_type, event_version);
        true
    }
}

/// A handler from a closure over any envelope of `P` (the catch-all subscription).
///
/// The closure receives its own clone of the envelope, so the future it returns owns its data.
pub fn handler_fn<P, F, Fut>(f: F) -> FnHandler<F>
where
    P: Clone + Send + Sync + 'static,
    F: Fn(crate::Envelope<P>) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = HandlerResult> + Send + 'static,
{
    FnHandler(f)
}

/// See [`handler_fn`].
#[derive(Debug, Clone)]
pub struct FnHandler<F>(F);

impl<P, F, Fut> Handler<P> for FnHandler<F>
where
    P: Clone + Send + Sync + 'static,
    F: Fn(crate::Envelope<P>) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = HandlerResult> + Send + 'static,
{
    fn handle<'a>(&'a self, envelope: &'a crate::Envelope<P>) -> HandlerFuture<'a> {
        Box::pin((self.0)(envelope.clone()))
    }
}

/// A handler of one event type `T` from a closure; envelopes of other events are not delivered
/// to it.
///
/// ```
/// use novel_events::novel_engine::{AnyEvent, characters::CharacterCreated};
/// use novel_events::{Envelope, Handler, HandlerResult, on};
///
/// let handler = on::<CharacterCreated, _, _>(|event: Envelope<CharacterCreated>| async move {
///     println!("{} joined", event.payload.name);
///     HandlerResult::Ok(())
/// });
/// assert!(Handler::<AnyEvent>::accepts(&handler, "characters.character.created", "1.0.0"));
/// assert!(!Handler::<AnyEvent>::accepts(&handler, "characters.character.deleted", "1.0.0"));
/// ```
pub fn on<T, F, Fut>(f: F) -> OnHandler<T, F>
where
    T: crate::Event,
    F: Fn(crate::Envelope<T>) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = HandlerResult> + Send + 'static,
{
    OnHandler(f, std::marker::PhantomData)
}

/// See [`on`].
pub struct OnHandler<T, F>(F, std::marker::PhantomData<fn() -> T>);

impl<P, T, F, Fut> Handler<P> for OnHandler<T, F>
where
    P: crate::Extract<T> + Send + Sync + 'static,
    T: crate::Event,
    F: Fn(crate::Envelope<T>) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = HandlerResult> + Send + 'static,
{
    fn handle<'a>(&'a self, envelope: &'a crate::Envelope<P>) -> HandlerFuture<'a> {
        match envelope.payload.extract() {
            Some(payload) => Box::pin((self.0)(envelope.with_payload(payload.clone()))),
            None => Box::pin(async { Ok(()) }),
        }
    }

    fn accepts(&self, event_type: &str, event_version: &str) -> bool {
        event_type == T::EVENT_TYPE && event_version == T::EVENT_VERSION
    }
}

/// A bus handler around a catalog's generated subscriber trait (built by its `into_handler`):
/// dispatches each envelope to the trait's method for its event.
pub struct DispatchHandler<S, P> {
    subscriber: S,
    dispatch: for<'a> fn(&'a S, &'a crate::Envelope<P>) -> HandlerFuture<'a>,
    handles: fn(&str, &str) -> bool,
}

impl<S, P> DispatchHandler<S, P> {
    /// A handler calling `dispatch` for the events `handles` accepts.
    pub fn new(
        subscriber: S,
        dispatch: for<'a> fn(&'a S, &'a crate::Envelope<P>) -> HandlerFuture<'a>,
        handles: fn(&str, &str) -> bool,
    ) -> Self {
        Self {
            subscriber,
            dispatch,
            handles,
        }
    }

    /// The subscriber inside.
    pub fn subscriber(&self) -> &S {
        &self.subscriber
    }
}

impl<S: Send + Sync + 'static, P: 'static> Handler<P> for DispatchHandler<S, P> {
    fn handle<'a>(&'a self, envelope: &'a crate::Envelope<P>) -> HandlerFuture<'a> {
        (self.dispatch)(&self.subscriber, envelope)
    }

    fn accepts(&self, event_type: &str, event_version: &str) -> bool {
        (self.handles)(event_type, event_version)
    }
}

impl<P: 'static, H: Handler<P> + ?Sized> Handler<P> for std::sync::Arc<H> {
    fn handle<'a>(&'a self, envelope: &'a crate::Envelope<P>) -> HandlerFuture<'a> {
        (**self).handle(envelope)
    }

    fn accepts(&self, event_type: &str, event_version: &str) -> bool {
        (**self).accepts(event_type, event_version)
    }
}
