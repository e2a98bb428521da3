//! Idempotent consumers: a subscriber handles each eventId at most once, even when an event is
//! published twice or redelivered.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, RwLock};

use uuid::Uuid;

use window::Window;

use super::hasher::SeededHash;

mod window;

/// Remembers which events each subscriber has handled.
///
/// By default the bus asks [`is_handled`](Self::is_handled) (through [`claim`](Self::claim))
/// before delivering and calls [`mark_handled`](Self::mark_handled) after a success, so a
/// failed event stays deliverable: two round trips to the store per event. A store that can
/// check and mark in one operation says so with [`claims`](Self::claims) and overrides
/// `claim` (mark at once, unless already marked) and [`release`](Self::release) (forget a
/// claimed id whose handler failed, or was cut short): one round trip per event that
/// succeeds, and a duplicate arriving while the first copy is being handled is skipped too.
/// The batch strategy always uses `is_handled` and `mark_handled`.
/// Implement it over a database to make the memory survive restarts.
pub trait IdempotencyStore: Send + Sync + 'static {
    /// Whether `subscriber` already handled `event_id`.
    fn is_handled(&self, subscriber: &str, event_id: Uuid) -> bool;
    /// Records that `subscriber` handled `event_id`.
    fn mark_handled(&self, subscriber: &str, event_id: Uuid);

    /// Whether [`claim`](Self::claim) marks the ids it returns `true` for. Asked once, when
    /// the bus is built. By default `false`.
    fn claims(&self) -> bool {
        false
    }

    /// Called before `subscriber`'s handler gets `event_id`: `false` if it was already handled
    /// (the event is skipped as a duplicate). If [`claims`](Self::claims), a `true` also
    /// marks it, and [`release`](Self::release) follows if the handler does not succeed.
    /// By default `!self.is_handled(subscriber, event_id)`.
    fn claim(&self, subscriber: &str, event_id: Uuid) -> bool {
        !self.is_handled(subscriber, event_id)
    }

    /// Forgets `event_id` for `subscriber` after a [`claim`](Self::claim) whose handler failed,
    /// panicked or was cut short by the shutdown deadline, so that the event stays deliverable.
    /// Called only if [`claims`](Self::claims). By default nothing.
    fn release(&self, subscriber: &str, event_id: Uuid) {
        let _ = (subscriber, event_id);
    }
}

/// An in-memory [`IdempotencyStore`] remembering the last `window` event ids per subscriber.
///
/// It [`claims`](IdempotencyStore::claims): an id is marked when its handler is called, and
/// forgotten again if the handler does not succeed (a [`release`](IdempotencyStore::release)).
/// A released id's number in the window stays unused if other ids were marked since: until it
/// leaves the window, the window then holds one id fewer.
///
/// Memory: about 36 bytes per id of the window once full (3.6 MB for the default 100,000),
/// and nothing allocated after that. The table grows with the ids it holds; the ring of ids
/// (16 bytes per id) is allocated at its full size when the store first sees the subscriber
/// (for windows up to 2^20 ids), and on systems that give memory pages on first write it
/// takes memory as ids arrive. A lookup costs one hash and usually one cache line of a table
/// of 8-byte slots; forgotten ids are cleared out in bulk, at the latest every `2 * window`
/// marks.
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
    seen: Subscribers,
    hash: SeededHash,
}

/// Every subscriber's window, each behind a lock of its own (workers of different subscribers
/// never wait for each other), found without a lock: the first [`Subscribers::SLOTS`]
/// subscribers take slots in order (a slot, once set, never changes), the one found last is
/// tried first (a worker asks about one subscriber many times in a row) with a string
/// comparison; the others go to a map behind a lock.
struct Subscribers {
    slots: Box<[OnceLock<NamedWindow>]>,
    last: AtomicUsize,
    overflow: RwLock<HashMap<Box<str>, Arc<Mutex<Window>>, SeededHash>>,
}

/// A subscriber's name and window, in a slot.
type NamedWindow = (Box<str>, Mutex<Window>);

/// A subscriber's window, in a slot or in the overflow map.
enum WindowRef<'a> {
    Slot(&'a Mutex<Window>),
    Overflow(Arc<Mutex<Window>>),
}

impl WindowRef<'_> {
    fn lock(&self) -> MutexGuard<'_, Window> {
        let window = match self {
            WindowRef::Slot(window) => window,
            WindowRef::Overflow(window) => &**window,
        };
        window.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Subscribers {
    const SLOTS: usize = 16;

    fn new(hash: SeededHash) -> Self {
        Self {
            slots: (0..Self::SLOTS).map(|_| OnceLock::new()).collect(),
            last: AtomicUsize::new(0),
            overflow: RwLock::new(HashMap::with_hasher(hash)),
        }
    }

    /// `subscriber`'s window; a new one of that size if `create` (else `None` if it has none
    /// yet).
    fn find(&self, subscriber: &str, create: Option<(usize, SeededHash)>) -> Option<WindowRef<'_>> {
        let last = self.last.load(Ordering::Relaxed);
        if let Some((name, window)) = self.slots[last].get()
            && **name == *subscriber
        {
            return Some(WindowRef::Slot(window));
        }
        // Slots are taken in order: the first empty one ends the search of the slots.
        for (index, slot) in self.slots.iter().enumerate() {
            let (name, window) = match (slot.get(), create) {
                (Some(taken), _) => taken,
                (None, None) => return None,
                (None, Some((window, hash))) => {
                    slot.get_or_init(|| (subscriber.into(), Mutex::new(Window::new(window, hash))))
                }
            };
            if **name == *subscriber {
                self.last.store(index, Ordering::Relaxed);
                return Some(WindowRef::Slot(window));
            }
        }
        if let Some(window) = self
            .overflow
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(subscriber)
        {
            return Some(WindowRef::Overflow(Arc::clone(window)));
        }
        let (window, hash) = create?;
        let mut overflow = self
            .overflow
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        Some(WindowRef::Overflow(Arc::clone(
            overflow
                .entry(subscriber.into())
                .or_insert_with(|| Arc::new(Mutex::new(Window::new(window, hash)))),
        )))
    }
}

impl InMemoryIdempotency {
    /// The default window: the last 100,000 event ids per subscriber.
    pub const DEFAULT_WINDOW: usize = 100_000;

    /// A store remembering `window` event ids per subscriber (at least 1, at most 2^30).
    pub fn new(window: usize) -> Self {
        let hash = SeededHash::new();
        Self {
            // The window clamps it (`window::MAX_SIZE`).
            window,
            seen: Subscribers::new(hash),
            hash,
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
        self.seen
            .find(subscriber, None)
            .is_some_and(|window| window.lock().contains(event_id))
    }

    fn mark_handled(&self, subscriber: &str, event_id: Uuid) {
        self.mark(subscriber, event_id);
    }

    fn claims(&self) -> bool {
        true
    }

    fn claim(&self, subscriber: &str, event_id: Uuid) -> bool {
        self.mark(subscriber, event_id)
    }

    fn release(&self, subscriber: &str, event_id: Uuid) {
        if let Some(window) = self.seen.find(subscriber, None) {
            window.lock().release(event_id);
        }
    }
}

impl InMemoryIdempotency {
    /// Marks `event_id` for `subscriber`; `false` if it was marked already (and remembered).
    fn mark(&self, subscriber: &str, event_id: Uuid) -> bool {
        self.seen
            .find(subscriber, Some((self.window, self.hash)))
            .expect("created if missing")
            .lock()
            .mark(event_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_forgets_the_oldest_ids_per_subscriber() {
        let store = InMemoryIdempotency::new(3);
        let ids: Vec<Uuid> = (0..10).map(|_| Uuid::new_v4()).collect();
        for id in &ids {
            store.mark_handled("a", *id);
        }
        store.mark_handled("b", ids[0]);
        for (index, id) in ids.iter().enumerate() {
            assert_eq!(store.is_handled("a", *id), index >= 7, "{index}");
        }
        assert!(store.is_handled("b", ids[0]));
        assert!(!store.is_handled("b", ids[1]));
        assert!(!store.is_handled("c", ids[0]));
        // Marking an id again does not make room for it twice.
        store.mark_handled("a", ids[9]);
        assert!(store.is_handled("a", ids[7]));
    }

    #[test]
    fn subscribers_beyond_the_slots_have_windows_of_their_own() {
        let store = InMemoryIdempotency::new(4);
        let names: Vec<String> = (0..3 * Subscribers::SLOTS)
            .map(|index| format!("subscriber-{index}"))
            .collect();
        let ids: Vec<Uuid> = (0..names.len() as u64)
            .map(|seq| Uuid::from_u64_pair(9, seq))
            .collect();
        for (name, id) in names.iter().zip(&ids) {
            assert!(!store.is_handled(name, *id));
            store.mark_handled(name, *id);
        }
        // Asked in another order, so that the last one found is rarely the one asked about.
        for (index, name) in names.iter().enumerate().rev() {
            for (other, id) in ids.iter().enumerate() {
                assert_eq!(
                    store.is_handled(name, *id),
                    other == index,
                    "{name} {other}"
                );
            }
        }
        assert!(!store.is_handled("nobody", ids[0]));
    }

    #[test]
    fn subscribers_marking_from_several_threads_keep_their_own_windows() {
        let store = Arc::new(InMemoryIdempotency::new(1000));
        let threads: Vec<_> = (0..4_u64)
            .map(|thread| {
                let store = Arc::clone(&store);
                std::thread::spawn(move || {
                    for subscriber in 0..20_u64 {
                        let name = format!("s{}", (subscriber + thread) % 20);
                        store.mark_handled(&name, Uuid::from_u64_pair(thread, subscriber));
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        for thread in 0..4_u64 {
            for subscriber in 0..20_u64 {
                let id = Uuid::from_u64_pair(thread, subscriber);
                for name in 0..20_u64 {
                    let expected = name == (subscriber + thread) % 20;
                    assert_eq!(store.is_handled(&format!("s{name}"), id), expected);
                }
            }
        }
    }

    #[test]
    fn claims_mark_at_once_and_releases_forget() {
        let store = InMemoryIdempotency::new(3);
        let ids: Vec<Uuid> = (0..6).map(|seq| Uuid::from_u64_pair(5, seq)).collect();
        assert!(store.claims());
        assert!(store.claim("a", ids[0]));
        assert!(store.is_handled("a", ids[0]));
        assert!(!store.claim("a", ids[0]), "claimed twice");
        assert!(store.claim("b", ids[0]), "another subscriber's window");
        // Released with nothing marked since: its number is given out again.
        store.release("a", ids[0]);
        assert!(!store.is_handled("a", ids[0]));
        for id in &ids[1..4] {
            assert!(store.claim("a", *id));
        }
        assert!((1..4).all(|index| store.is_handled("a", ids[index])));
        // Released after others were marked: the window holds one fewer until it moves on.
        assert!(store.claim("a", ids[4]));
        assert!(store.claim("a", ids[5]));
        store.release("a", ids[4]);
        assert!(!store.is_handled("a", ids[4]));
        assert!(store.is_handled("a", ids[3]) && store.is_handled("a", ids[5]));
        assert!(
            !store.is_handled("a", ids[2]),
            "out of the window of 3 numbers"
        );
        assert!(store.claim("a", ids[4]), "claimed again after its release");
        // Releasing what a subscriber never marked changes nothing.
        store.release("a", ids[0]);
        store.release("nobody", ids[0]);
        assert!(store.is_handled("a", ids[5]) && store.is_handled("a", ids[4]));
    }

    #[test]
    fn forgotten_ids_leave_no_trace_and_can_be_remembered_again() {
        let store = InMemoryIdempotency::new(8);
        let ids: Vec<Uuid> = (0..1000).map(|seq| Uuid::from_u64_pair(3, seq)).collect();
        for (index, id) in ids.iter().enumerate() {
            store.mark_handled("a", *id);
            let slots = store.seen.find("a", None).unwrap().lock().slots();
            assert!(slots <= 16, "{slots} slots after {index}");
            // Exactly the last 8 are remembered, whether their slots were cleared yet or not.
            let first = index.saturating_sub(7);
            for (other, earlier) in ids[index.saturating_sub(12)..=index].iter().enumerate() {
                let other = other + index.saturating_sub(12);
                assert_eq!(
                    store.is_handled("a", *earlier),
                    other >= first,
                    "{other} at {index}"
                );
            }
        }
        // Forgotten (out of the window, its slot maybe not cleared yet), then marked again.
        store.mark_handled("a", ids[990]);
        assert!(store.is_handled("a", ids[990]));
        assert!(!store.is_handled("a", ids[992]), "it pushed the oldest out");
        assert!(store.is_handled("a", ids[993]));
    }
}
