//! Idempotent consumers: a subscriber handles each eventId at most once, even when an event is
//! published twice or redelivered.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Mutex, PoisonError};

use uuid::Uuid;

/// Remembers which events each subscriber has handled.
///
/// The bus asks [`is_handled`](Self::is_handled) before delivering and calls
/// [`mark_handled`](Self::mark_handled) after a success, so a failed event stays deliverable.
/// Implement it over a database to make the memory survive restarts.
pub trait IdempotencyStore: Send + Sync + 'static {
    /// Whether `subscriber` already handled `event_id`.
    fn is_handled(&self, subscriber: &str, event_id: Uuid) -> bool;
    /// Records that `subscriber` handled `event_id`.
    fn mark_handled(&self, subscriber: &str, event_id: Uuid);
}

/// An in-memory [`IdempotencyStore`] remembering the last `window` event ids per subscriber.
///
/// ```
/// use novel_events::{IdempotencyStore, InMemoryIdempotency};
/// use uuid::Uuid;
///
/// let store = InMemoryIdempotency::new(2);
/// let (a, b, c) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
/// store.mark_handled("memory", a);
/// assert!(store.is_handled("memory", a));
/// assert!(!store.is_handled("story-engine", a));
/// store.mark_handled("memory", b);
/// store.mark_handled("memory", c); // the window holds 2: `a` is forgotten
/// assert!(!store.is_handled("memory", a));
/// ```
pub struct InMemoryIdempotency {
    window: usize,
    seen: Mutex<HashMap<String, Window>>,
}

#[derive(Default)]
struct Window {
    ids: HashSet<Uuid>,
    order: VecDeque<Uuid>,
}

impl InMemoryIdempotency {
    /// The default window: the last 100,000 event ids per subscriber.
    pub const DEFAULT_WINDOW: usize = 100_000;

    /// A store remembering `window` event ids per subscriber (at least 1).
    pub fn new(window: usize) -> Self {
        Self {
            window: window.max(1),
            seen: Mutex::new(HashMap::new()),
        }
    }
}

impl Default for InMemoryIdempotency {
    fn default() -> Self {
        Self::new(Self::DEFAULT_WINDOW)
    }
}

impl IdempotencyStore for InMemoryIdempotency {
    fn is_handled(&self, subscriber: &str, event_id: Uuid) -> bool {
        let seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        seen.get(subscriber)
            .is_some_and(|window| window.ids.contains(&event_id))
    }

    fn mark_handled(&self, subscriber: &str, event_id: Uuid) {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        let window = seen.entry(subscriber.to_owned()).or_default();
        if window.ids.insert(event_id) {
            window.order.push_back(event_id);
            while window.order.len() > self.window {
                if let Some(oldest) = window.order.pop_front() {
                    window.ids.remove(&oldest);
                }
            }
        }
    }
}
