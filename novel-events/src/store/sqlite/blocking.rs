//! Running the store's work off the async scheduler: blocking in place where tokio allows it,
//! on its blocking pool otherwise.

use std::sync::{Arc, PoisonError};

use rusqlite::Connection;

use crate::panic::catch;
use crate::store::StoreError;

use super::open::SqliteEventStore;

impl<P> SqliteEventStore<P> {
    /// Runs `work` on the connection, off the async scheduler: in place on a multi-thread
    /// runtime (`tokio::task::block_in_place`, which hands the worker's other tasks to another
    /// thread), in tokio's blocking pool otherwise (current-thread runtimes, `LocalSet`s).
    ///
    /// In place saves the round trip to a pooled thread and back, about 10 to 20 µs on a busy
    /// 2-core machine, as much as the rest of a small append's work (benches/store/). Either
    /// way the work runs to its end once started: a caller that stops waiting (a timeout)
    /// leaves an append stored all the same, and a panic in it (a projection's or an
    /// upcaster's) is an error of the call.
    pub(crate) async fn with_connection<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let inner = Arc::clone(&self.inner);
        let run = move || {
            let mut connection = inner
                .connection
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            super::busy::within(inner.busy_timeout, || work(&mut connection))
        };
        let run = match in_place(run) {
            InPlace::Done(result) => return result,
            InPlace::Refused(run) => run,
        };
        tokio::task::spawn_blocking(run)
            .await
            .map_err(|error| StoreError::Database(format!("the store's worker stopped: {error}")))?
    }
}

/// What [`in_place`] did.
pub(super) enum InPlace<T, F> {
    /// It ran the work.
    Done(Result<T, StoreError>),
    /// Blocking in place is not allowed here: the work, not run.
    Refused(F),
}

thread_local! {
    /// Whether `block_in_place` refused this thread: a `LocalSet` on a multi-thread runtime.
    static IN_PLACE_REFUSED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `work` with `tokio::task::block_in_place` where that is allowed: on a multi-thread
/// runtime, outside a `LocalSet`. tokio offers no way to ask about a `LocalSet` beforehand and
/// panics there, before running anything; that panic is caught (once per thread: tokio's panic
/// message is printed that once) and the thread remembered. Built with `panic = "abort"`, the
/// panic could not be caught, so such builds always use the blocking pool.
pub(super) fn in_place<T, F>(work: F) -> InPlace<T, F>
where
    F: FnOnce() -> Result<T, StoreError>,
{
    let multi_thread = tokio::runtime::Handle::try_current()
        .is_ok_and(|handle| handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    if !cfg!(panic = "unwind") || !multi_thread || IN_PLACE_REFUSED.get() {
        return InPlace::Refused(work);
    }
    let mut work = Some(work);
    let outcome = catch(|| tokio::task::block_in_place(|| work.take().map(|work| work())));
    match (outcome, work) {
        (Ok(Some(result)), _) => InPlace::Done(result),
        // Refused before running the work: it is still here.
        (Err(_), Some(work)) | (Ok(None), Some(work)) => {
            IN_PLACE_REFUSED.set(true);
            InPlace::Refused(work)
        }
        (Ok(None), None) => InPlace::Done(Err(StoreError::Database(
            "the store's work did not run".into(),
        ))),
        (Err(panic), None) => {
            let message = panic.message().unwrap_or_default();
            InPlace::Done(Err(StoreError::Database(format!(
                "the store's worker stopped: it panicked: {message}"
            ))))
        }
    }
}
