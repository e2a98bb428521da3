//! [`InMemoryDeadLetters`]: the [`DeadLetters`] of an [`InMemoryBus`](super::InMemoryBus).

use std::sync::Weak;

use crate::bus::{
    DeadLetter, DeadLetterError, DeadLetterQueue, DeadLetters, InMemoryBus, ReprocessError,
};
use crate::event::EventPayload;

use super::Inner;

/// The dead letters of an [`InMemoryBus`](super::InMemoryBus): its in-process
/// [`DeadLetterQueue`], and the way back to the bus that reprocessing takes. No operation
/// fails on a transport; reprocessing fails with [`ReprocessError::Closed`] once the bus is
/// shut down (or dropped).
pub struct InMemoryDeadLetters<P> {
    queue: DeadLetterQueue<P>,
    bus: Weak<Inner<P>>,
}

impl<P> InMemoryDeadLetters<P> {
    pub(super) fn new(queue: DeadLetterQueue<P>, bus: Weak<Inner<P>>) -> Self {
        Self { queue, bus }
    }

    /// The queue itself, whose operations are synchronous.
    pub fn queue(&self) -> &DeadLetterQueue<P> {
        &self.queue
    }
}

impl<P> std::fmt::Debug for InMemoryDeadLetters<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InMemoryDeadLetters")
            .finish_non_exhaustive()
    }
}

impl<P> DeadLetters<P> for InMemoryDeadLetters<P>
where
    P: EventPayload + Clone + Send + Sync + 'static,
{
    async fn list(&self) -> Result<Vec<DeadLetter<P>>, DeadLetterError> {
        Ok(self.queue.list())
    }

    async fn get(&self, id: u64) -> Result<Option<DeadLetter<P>>, DeadLetterError> {
        Ok(self.queue.get(id))
    }

    async fn count(&self) -> Result<usize, DeadLetterError> {
        Ok(self.queue.len())
    }

    async fn discard(&self, id: u64) -> Result<Option<DeadLetter<P>>, DeadLetterError> {
        Ok(self.queue.discard(id))
    }

    async fn reprocess(&self, id: u64) -> Result<(), ReprocessError> {
        let inner = self.bus.upgrade().ok_or(ReprocessError::Closed)?;
        InMemoryBus { inner }.reprocess(id).await
    }

    fn on_threshold(&self, threshold: usize, hook: impl Fn(usize) + Send + Sync + 'static) {
        self.queue.on_threshold(threshold, hook);
    }
}
