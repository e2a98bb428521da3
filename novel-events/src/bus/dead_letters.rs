//! The [`DeadLetters`] trait: a bus's dead letters, wherever they are kept (in memory, in a
//! broker's stream), reached the same way.

use std::future::Future;

use super::dead_letter::DeadLetter;
use super::error::{DeadLetterError, ReprocessError};

/// The dead letters of a bus: what its subscribers gave up on, with why. List, inspect and
/// discard them, reprocess one after a fix, and get alerted when they accumulate (the Novel
/// Engine specification's "alert on dead letter queue accumulation").
///
/// Every operation is async and may fail on the transport ([`DeadLetterError::Unavailable`],
/// [`ReprocessError::Unavailable`]); an in-process bus never fails so.
pub trait DeadLetters<P>: Send + Sync {
    /// Every dead letter, oldest first.
    fn list(&self) -> impl Future<Output = Result<Vec<DeadLetter<P>>, DeadLetterError>> + Send;

    /// One dead letter, `None` if there is none with this id.
    fn get(
        &self,
        id: u64,
    ) -> impl Future<Output = Result<Option<DeadLetter<P>>, DeadLetterError>> + Send;

    /// How many dead letters there are.
    fn count(&self) -> impl Future<Output = Result<usize, DeadLetterError>> + Send;

    /// Removes a dead letter for good and returns it (`None` if there was none).
    fn discard(
        &self,
        id: u64,
    ) -> impl Future<Output = Result<Option<DeadLetter<P>>, DeadLetterError>> + Send;

    /// Delivers a dead letter again to its subscriber only, with fresh attempts, and removes
    /// it (a new failure makes a new dead letter).
    fn reprocess(&self, id: u64) -> impl Future<Output = Result<(), ReprocessError>> + Send;

    /// Calls `hook(count)` when the dead letters grow to `threshold`; it fires again only
    /// after their count went back below the threshold.
    fn on_threshold(&self, threshold: usize, hook: impl Fn(usize) + Send + Sync + 'static);
}
