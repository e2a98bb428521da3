//! Catch-up subscriptions: the stored events after a position, then the new ones as they
//! are appended.

use super::{EventReader, StoreError, StoredEvent};

/// A catch-up subscription: every event after a position, first those stored, then live ones
/// as they are appended.
pub struct CatchUp<S, P> {
    store: S,
    position: u64,
    watch: tokio::sync::watch::Receiver<u64>,
    buffer: std::collections::VecDeque<StoredEvent<P>>,
}

impl<S: EventReader<P>, P> CatchUp<S, P> {
    /// Events read from the store per query.
    pub const BATCH: usize = 256;

    /// A subscription to every event after `after` (0 = from the start).
    pub fn new(store: S, after: u64) -> Self {
        let watch = store.watch_position();
        Self {
            store,
            position: after,
            watch,
            buffer: std::collections::VecDeque::new(),
        }
    }

    /// The position of the last event returned.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// The store read from.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The next event, waiting for one to be appended when caught up.
    pub async fn next(&mut self) -> Result<StoredEvent<P>, StoreError> {
        loop {
            if let Some(event) = self.buffer.pop_front() {
                self.position = event.position;
                return Ok(event);
            }
            let batch = read_decodable(&self.store, self.position, Self::BATCH).await?;
            if batch.is_empty() {
                let position = self.position;
                if self.watch.wait_for(|last| *last > position).await.is_err() {
                    return Err(StoreError::Database("the store was closed".into()));
                }
                continue;
            }
            self.buffer.extend(batch);
        }
    }
}

/// `read_all`, except that when an event of the batch does not decode, the events before it
/// are returned: the error comes once they are consumed, when it is the next event. So a
/// subscription or a projection gets as far as the log can be read.
pub(crate) async fn read_decodable<P, S: EventReader<P>>(
    store: &S,
    after: u64,
    limit: usize,
) -> Result<Vec<StoredEvent<P>>, StoreError> {
    match store.read_all(after, limit).await {
        Err(StoreError::Undecodable { position, .. }) if position > after.saturating_add(1) => {
            let before =
                usize::try_from(position - after - 1).map_or(limit, |count| count.min(limit));
            store.read_all(after, before).await
        }
        other => other,
    }
}
