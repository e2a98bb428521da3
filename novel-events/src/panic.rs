//! Panics caught where user code runs (a handler, a projection, an upcaster) or where tokio
//! may refuse work by panicking, so that they become errors of the call instead of stopping a
//! worker or a store.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use tracing::Instrument;

/// A caught panic's payload.
pub(crate) struct Panicked(Box<dyn Any + Send>);

impl Panicked {
    /// The panic's message, when its payload is a `&str` or a `String` (as `panic!` makes it).
    pub(crate) fn message(&self) -> Option<String> {
        self.0
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| self.0.downcast_ref::<String>().cloned())
    }
}

/// Runs `work`, catching a panic.
pub(crate) fn catch<T>(work: impl FnOnce() -> T) -> Result<T, Panicked> {
    std::panic::catch_unwind(AssertUnwindSafe(work)).map_err(Panicked)
}

/// Calls `build` and awaits the future it returns, catching a panic in either. Inside `span`,
/// if given: the call runs in it, and the future is instrumented with it.
pub(crate) async fn catch_call<F: Future>(
    build: impl FnOnce() -> F,
    span: Option<tracing::Span>,
) -> Result<F::Output, Panicked> {
    let future = match &span {
        Some(span) => span.in_scope(|| catch(build)),
        None => catch(build),
    }?;
    let caught = AssertUnwindSafe(future).catch_unwind();
    match span {
        Some(span) => caught.instrument(span).await,
        None => caught.await,
    }
    .map_err(Panicked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message_of(work: impl FnOnce()) -> Option<String> {
        match catch(work) {
            Ok(()) => panic!("the work did not panic"),
            Err(panicked) => panicked.message(),
        }
    }

    #[test]
    fn reads_the_message_of_str_and_string_payloads_only() {
        assert_eq!(
            message_of(|| panic!("static text")).as_deref(),
            Some("static text")
        );
        assert_eq!(
            message_of(|| panic!("formatted {}", 42)).as_deref(),
            Some("formatted 42")
        );
        assert_eq!(message_of(|| std::panic::panic_any(7_u8)), None);
        assert_eq!(catch(|| 5).ok(), Some(5));
    }

    #[tokio::test]
    async fn catches_a_panic_in_the_call_and_in_its_future() {
        let in_call = catch_call(|| -> std::future::Ready<()> { panic!("in the call") }, None);
        assert_eq!(
            in_call.await.err().and_then(|p| p.message()).as_deref(),
            Some("in the call")
        );
        let in_future = catch_call(|| async { panic!("in the future") }, None);
        let in_future: Result<(), Panicked> = in_future.await;
        assert_eq!(
            in_future.err().and_then(|p| p.message()).as_deref(),
            Some("in the future")
        );
        let fine = catch_call(|| async { 3 }, Some(tracing::info_span!("test"))).await;
        assert_eq!(fine.ok(), Some(3));
    }
}
