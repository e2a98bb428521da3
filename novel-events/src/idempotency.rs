//! Idempotent consumers: a subscriber handles each eventId at most once, even when an event is
//! published twice or redelivered.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasher, Hasher, RandomState};
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
    seen: Mutex<Subscribers>,
    hash: SeededHash,
}

/// Every subscriber's window, found by name; the last one used is tried first (a bus asks
/// about one subscriber many times in a row), with a string comparison instead of a hash.
struct Subscribers {
    windows: Vec<(String, Window)>,
    index: HashMap<String, usize, SeededHash>,
    last: usize,
}

impl Subscribers {
    fn position(&mut self, subscriber: &str) -> Option<usize> {
        if let Some((name, _)) = self.windows.get(self.last)
            && name == subscriber
        {
            return Some(self.last);
        }
        let position = *self.index.get(subscriber)?;
        self.last = position;
        Some(position)
    }
}

/// One subscriber's memory: each id with its number in marking order (0, 1, 2, ...). The
/// ids numbered in the last `window` are remembered; older ones are forgotten at once (by
/// their number) and swept out of the map in bulk, every `window / 8` new ids, instead of
/// one by one (which costs a random memory access per event).
struct Window {
    ids: HashMap<Uuid, u64, SeededHash>,
    next: u64,
}

/// Whether the id numbered `number` is among the last `window` of the `next` marked.
fn remembered(number: u64, next: u64, window: u64) -> bool {
    number + window >= next
}

impl InMemoryIdempotency {
    /// The default window: the last 100,000 event ids per subscriber.
    pub const DEFAULT_WINDOW: usize = 100_000;

    /// How many ids the map of a subscriber holds before forgotten ones are swept out.
    fn sweep_at(&self) -> usize {
        self.window + (self.window / 8).max(1)
    }

    /// A store remembering `window` event ids per subscriber (at least 1).
    pub fn new(window: usize) -> Self {
        let hash = SeededHash::new();
        Self {
            window: window.max(1),
            seen: Mutex::new(Subscribers {
                windows: Vec::new(),
                index: HashMap::with_hasher(hash),
                last: 0,
            }),
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
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(position) = seen.position(subscriber) else {
            return false;
        };
        let window = &seen.windows[position].1;
        window
            .ids
            .get(&event_id)
            .is_some_and(|&number| remembered(number, window.next, self.window as u64))
    }

    fn mark_handled(&self, subscriber: &str, event_id: Uuid) {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        let position = seen.position(subscriber).unwrap_or_else(|| {
            let position = seen.windows.len();
            let window = Window {
                ids: HashMap::with_hasher(self.hash),
                next: 0,
            };
            seen.windows.push((subscriber.to_owned(), window));
            seen.index.insert(subscriber.to_owned(), position);
            position
        });
        let window = &mut seen.windows[position].1;
        let (number, window_len) = (window.next, self.window as u64);
        match window.ids.entry(event_id) {
            Entry::Occupied(mut entry) => {
                if remembered(*entry.get(), number, window_len) {
                    return;
                }
                // Forgotten but not swept yet: remembered anew, as a new id.
                entry.insert(number);
            }
            Entry::Vacant(entry) => {
                entry.insert(number);
            }
        }
        window.next += 1;
        if window.ids.len() >= self.sweep_at() {
            let oldest = window.next.saturating_sub(window_len);
            window.ids.retain(|_, number| *number >= oldest);
        }
    }
}

/// The window's hash: a multiply-and-fold per word (as in `foldhash`), keyed with random seeds
/// per store, so that eventIds chosen by a sender cannot be aimed at one bucket. About ten
/// times cheaper than the standard SipHash on a 16-byte id.
#[derive(Debug, Clone, Copy)]
struct SeededHash {
    seed: u64,
    multiplier: u64,
}

impl SeededHash {
    fn new() -> Self {
        let random = RandomState::new();
        Self {
            seed: random.hash_one(0x5EED_u64),
            // Odd, so that the multiply loses no bits.
            multiplier: random.hash_one(0x0DD_u64) | 1,
        }
    }
}

impl BuildHasher for SeededHash {
    type Hasher = SeededHasher;

    fn build_hasher(&self) -> SeededHasher {
        SeededHasher {
            state: self.seed,
            multiplier: self.multiplier,
        }
    }
}

struct SeededHasher {
    state: u64,
    multiplier: u64,
}

/// The high and low halves of `a * b`, folded together.
fn folded_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    #[allow(clippy::cast_possible_truncation)]
    let folded = (product as u64) ^ ((product >> 64) as u64);
    folded
}

impl SeededHasher {
    fn mix(&mut self, word: u64) {
        self.state = folded_multiply(self.state ^ word, self.multiplier);
    }
}

impl Hasher for SeededHasher {
    fn finish(&self) -> u64 {
        // One more fold, so that a word that differed only in its high bits (the sequence
        // number of a UUID, read little-endian) spreads over the low bits (the bucket) and
        // the high bits (the tag) alike.
        folded_multiply(self.state, 0x9E37_79B9_7F4A_7C15)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.mix(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.mix(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.mix(value);
    }

    fn write_usize(&mut self, value: usize) {
        self.mix(value as u64);
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
    fn forgotten_ids_are_swept_and_can_be_remembered_again() {
        let store = InMemoryIdempotency::new(8);
        let ids: Vec<Uuid> = (0..1000).map(|seq| Uuid::from_u64_pair(3, seq)).collect();
        for (index, id) in ids.iter().enumerate() {
            store.mark_handled("a", *id);
            let held = store.seen.lock().unwrap().windows[0].1.ids.len();
            assert!(held < store.sweep_at(), "{held} ids held after {index}");
            // Exactly the last 8 are remembered, swept or not.
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
        // Forgotten (numbered out of the window, maybe not swept yet), then marked again.
        store.mark_handled("a", ids[990]);
        assert!(store.is_handled("a", ids[990]));
        assert!(!store.is_handled("a", ids[992]), "it pushed the oldest out");
        assert!(store.is_handled("a", ids[993]));
    }

    #[test]
    fn seeded_hashes_differ_per_store_and_spread_sequential_ids() {
        let (one, two) = (SeededHash::new(), SeededHash::new());
        let id = Uuid::from_u64_pair(1, 2);
        assert_eq!(one.hash_one(id), one.hash_one(id));
        assert_ne!(one.hash_one(id), two.hash_one(id));
        // Sequential ids spread over the low bits (a table's bucket) and the top 7 bits (its
        // tag) as random values would: 1,024 of them fill about 647 of 1,024 buckets (standard
        // deviation 10) and nearly all 128 tags. Checked for many seeds.
        for _ in 0..200 {
            let hash = SeededHash::new();
            let hashes: Vec<u64> = (0..1024_u64)
                .map(|seq| hash.hash_one(Uuid::from_u64_pair(7, seq)))
                .collect();
            let buckets: std::collections::HashSet<u64> =
                hashes.iter().map(|hash| hash & 1023).collect();
            let tags: std::collections::HashSet<u64> =
                hashes.iter().map(|hash| hash >> 57).collect();
            assert!(buckets.len() > 560, "{} buckets", buckets.len());
            assert!(tags.len() > 115, "{} tags", tags.len());
        }
    }
}
