//! What a subscriber's handler returns: success, or an error it classifies as retryable or
//! permanent.

use std::borrow::Cow;
use std::fmt;

/// The result of handling one event.
pub type HandlerResult = Result<(), HandlerError>;

/// Whether a failed event is worth retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// A transient failure (the Novel Engine specification's `network-timeout`,
    /// `service-unavailable`, `temporary-failure`): try again later.
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
    /// The Novel Engine specification's retryable error code for a network timeout.
    pub const NETWORK_TIMEOUT: &'static str = "network-timeout";
    /// The Novel Engine specification's retryable error code for an unavailable service.
    pub const SERVICE_UNAVAILABLE: &'static str = "service-unavailable";
    /// The Novel Engine specification's retryable error code for any other transient failure.
    pub const TEMPORARY_FAILURE: &'static str = "temporary-failure";

    /// A transient failure with a code such as [`HandlerError::NETWORK_TIMEOUT`].
    ///
    /// It is retried only if the subscription's [`RetryPolicy`](crate::RetryPolicy) lists the
    /// code in its `retryable_errors`; the default lists the Novel Engine specification's three
    /// codes ([`NETWORK_TIMEOUT`](Self::NETWORK_TIMEOUT),
    /// [`SERVICE_UNAVAILABLE`](Self::SERVICE_UNAVAILABLE),
    /// [`TEMPORARY_FAILURE`](Self::TEMPORARY_FAILURE)). With another code, the event is
    /// dead-lettered after one attempt, the letter's [`reason`](crate::DeadLetter::reason) says
    /// why, and the bus warns (see [`GiveUp::observe`](crate::bus::GiveUp::observe)).
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

    /// Handles one envelope that the bus shares with its other subscribers. The bus calls this
    /// method; by default it calls [`handle`](Self::handle). A handler that wants to keep the
    /// envelope beyond the call (in its future, say) overrides it to clone the `Arc` instead
    /// of the envelope, as [`handler_fn`] does for closures taking `Arc<Envelope<P>>`.
    fn handle_shared<'a>(
        &'a self,
        envelope: &'a std::sync::Arc<crate::Envelope<P>>,
    ) -> HandlerFuture<'a> {
        self.handle(envelope)
    }

    /// Whether this handler wants envelopes of this eventType and version; the others are not
    /// delivered to it (and not counted).
    fn accepts(&self, event_type: &str, event_version: &str) -> bool {
        let _ = (event_type, event_version);
        true
    }
}

/// Handles envelopes in batches (the Novel Engine specification's batch processing strategy).
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
/// The closure takes the envelope as `Arc<Envelope<P>>`: the bus's own envelope, shared with
/// the other subscribers and never copied; or as `Envelope<P>`: its own deep clone, made for
/// every delivery (simpler to take apart, but a copy of every string in the event). Either
/// way the future it returns owns its data.
///
/// ```
/// use std::sync::Arc;
/// use novel_events::novel_engine::AnyEvent;
/// use novel_events::{Envelope, Handler, HandlerResult, handler_fn};
///
/// // Shared: no copy of the envelope.
/// let audit = handler_fn(|event: Arc<Envelope<AnyEvent>>| async move {
///     println!("{} {}", event.event_type(), event.event_id);
///     HandlerResult::Ok(())
/// });
/// // Owned: the closure gets its own clone.
/// let owned = handler_fn(|event: Envelope<AnyEvent>| async move {
///     let _payload: AnyEvent = event.payload;
///     HandlerResult::Ok(())
/// });
/// # fn is_handler<H: Handler<AnyEvent>>(_: &H) {}
/// # is_handler(&audit);
/// # is_handler(&owned);
/// ```
pub fn handler_fn<A, F, Fut>(f: F) -> FnHandler<F, A>
where
    F: Fn(A) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = HandlerResult> + Send + 'static,
{
    FnHandler(f, std::marker::PhantomData)
}

/// What a [`handler_fn`] closure can take: `Arc<Envelope<P>>` (the bus's envelope, shared) or
/// `Envelope<P>` (a clone of it).
pub trait Delivered<P>: Sized + Send + 'static + sealed::Sealed<P> {
    /// From an envelope the caller lends.
    fn from_ref(envelope: &crate::Envelope<P>) -> Self;
    /// From an envelope the bus shares.
    fn from_shared(envelope: &std::sync::Arc<crate::Envelope<P>>) -> Self;
}

mod sealed {
    pub trait Sealed<P> {}
    impl<P> Sealed<P> for crate::Envelope<P> {}
    impl<P> Sealed<P> for std::sync::Arc<crate::Envelope<P>> {}
}

impl<P: Clone + Send + Sync + 'static> Delivered<P> for crate::Envelope<P> {
    fn from_ref(envelope: &crate::Envelope<P>) -> Self {
        envelope.clone()
    }

    fn from_shared(envelope: &std::sync::Arc<crate::Envelope<P>>) -> Self {
        crate::Envelope::clone(envelope)
    }
}

impl<P: Clone + Send + Sync + 'static> Delivered<P> for std::sync::Arc<crate::Envelope<P>> {
    fn from_ref(envelope: &crate::Envelope<P>) -> Self {
        std::sync::Arc::new(envelope.clone())
    }

    fn from_shared(envelope: &std::sync::Arc<crate::Envelope<P>>) -> Self {
        std::sync::Arc::clone(envelope)
    }
}

/// See [`handler_fn`]; `A` is what the closure takes.
pub struct FnHandler<F, A>(F, std::marker::PhantomData<fn(A)>);

impl<F: Clone, A> Clone for FnHandler<F, A> {
    fn clone(&self) -> Self {
        Self(self.0.clone(), std::marker::PhantomData)
    }
}

impl<F, A> fmt::Debug for FnHandler<F, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FnHandler")
            .field("takes", &std::any::type_name::<A>())
            .finish_non_exhaustive()
    }
}

impl<P, A, F, Fut> Handler<P> for FnHandler<F, A>
where
    P: Send + Sync + 'static,
    A: Delivered<P>,
    F: Fn(A) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = HandlerResult> + Send + 'static,
{
    fn handle<'a>(&'a self, envelope: &'a crate::Envelope<P>) -> HandlerFuture<'a> {
        Box::pin((self.0)(A::from_ref(envelope)))
    }

    fn handle_shared<'a>(
        &'a self,
        envelope: &'a std::sync::Arc<crate::Envelope<P>>,
    ) -> HandlerFuture<'a> {
        Box::pin((self.0)(A::from_shared(envelope)))
    }
}

/// A handler of one event type `T` from a closure; envelopes of other events are not delivered
/// to it.
///
/// ```
/// use novel_events::novel_engine::{AnyEvent, characters::CharacterCreated};
/// use novel_events::{Envelope, Handler, HandlerResult, on};
///
/// let handler = on(|event: Envelope<CharacterCreated>| async move {
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

    fn handle_shared<'a>(
        &'a self,
        envelope: &'a std::sync::Arc<crate::Envelope<P>>,
    ) -> HandlerFuture<'a> {
        (**self).handle_shared(envelope)
    }

    fn accepts(&self, event_type: &str, event_version: &str) -> bool {
        (**self).accepts(event_type, event_version)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::Envelope;
    use crate::novel_engine::{AnyEvent, characters::CharacterDeleted};

    fn deleted() -> Envelope<AnyEvent> {
        Envelope::new(
            AnyEvent::from(CharacterDeleted {
                character_id: uuid::Uuid::new_v4(),
                name: "Oren".into(),
                deletion_reason: "retired".into(),
                deleted_by: uuid::Uuid::new_v4(),
            }),
            "handler-tests",
        )
    }

    fn block_on(future: HandlerFuture<'_>) -> HandlerResult {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn a_closure_taking_the_arc_shares_the_bus_envelope() {
        let seen: Arc<Mutex<Vec<Arc<Envelope<AnyEvent>>>>> = Arc::default();
        let sink = Arc::clone(&seen);
        let handler = handler_fn(move |event: Arc<Envelope<AnyEvent>>| {
            sink.lock().unwrap().push(event);
            async { HandlerResult::Ok(()) }
        });
        let shared = Arc::new(deleted());
        block_on(handler.handle_shared(&shared)).unwrap();
        // Through `handle` (a caller lending the envelope), it gets an `Arc` of a copy.
        block_on(Handler::handle(&handler, &shared)).unwrap();
        let seen = seen.lock().unwrap();
        assert!(Arc::ptr_eq(&seen[0], &shared));
        assert!(!Arc::ptr_eq(&seen[1], &shared));
        assert_eq!(seen[1].event_id, shared.event_id);
    }

    #[test]
    fn a_closure_taking_the_envelope_gets_its_own_copy_either_way() {
        let seen: Arc<Mutex<Vec<uuid::Uuid>>> = Arc::default();
        let sink = Arc::clone(&seen);
        let handler = handler_fn(move |event: Envelope<AnyEvent>| {
            sink.lock().unwrap().push(event.event_id);
            async { HandlerResult::Ok(()) }
        });
        let shared = Arc::new(deleted());
        block_on(handler.handle_shared(&shared)).unwrap();
        block_on(Handler::handle(&handler, &shared)).unwrap();
        // Through an `Arc<H>`, `handle_shared` still reaches the closure's own.
        let wrapped: Arc<dyn Handler<AnyEvent>> = Arc::new(handler);
        block_on(wrapped.handle_shared(&shared)).unwrap();
        assert_eq!(*seen.lock().unwrap(), vec![shared.event_id; 3]);
        assert_eq!(Arc::strong_count(&shared), 1, "no handler kept it");
    }
}
