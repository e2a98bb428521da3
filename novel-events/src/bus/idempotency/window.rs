//! One subscriber's window of remembered event ids, laid out for one cache miss per event.
//!
//! Every id marked gets a number in marking order (0, 1, 2, ...); the ids numbered among the
//! last `size` are remembered, older ones are forgotten. Two arrays hold them:
//!
//! - the *ring*: the ids by number (`ring[number % size]`), written in order, so writing it
//!   costs next to nothing;
//! - the *table*: open addressing with linear probing, one `u64` per slot: 32 bits of the id's
//!   hash (its *tag*, low bit set so that a used slot is never 0) and the low 32 bits of its
//!   number. A lookup reads the slots from the id's bucket to the first empty one; a slot
//!   whose tag matches and whose number is still in the window is confirmed against the ring
//!   (the tag is a filter, the ring has the truth, so two ids with one tag are never mixed
//!   up). A probe usually stays within one cache line: one miss where a map of `Uuid` keys
//!   and `u64` numbers costs two (its control bytes and its entry live apart).
//!
//! Forgotten ids are not removed one by one (that would cost another random access per
//! event): their slots stay *stale* until a new id reuses them, and the table is rebuilt from
//! the ring, into the same memory, when its used slots pass three quarters or after `2 * size`
//! marks (which also keeps every number in the table less than 2^32 marks old, so 32 of its
//! bits name it exactly). While the window fills, the table grows fourfold at a rebuild, up to
//! the power of two at or above `2 * size`; after that nothing is allocated.
//!
//! The ring is allocated once, at its full size, for windows of up to [`RING_UP_FRONT`] ids
//! (16 bytes each: 1.6 MB for the default window of 100,000). It is written in order, so on a
//! system that gives memory pages on first write (Linux, macOS) it takes memory as ids
//! arrive, not up front. Growing it instead copies it at each growth (glibc's `realloc` does
//! so holding its arena's lock); on a two-thread runtime, a fresh subscriber's first 10,000
//! events took 1.4 times as long that way (`benches/bus.rs`, `bus_idempotent`). A larger
//! window's ring grows with the table.

use std::collections::HashSet;
use std::hash::BuildHasher;

use uuid::Uuid;

use crate::bus::hasher::SeededHash;

/// A slot never used.
const EMPTY: u64 = 0;
/// A slot whose id was released: never matches (its tag is 0), can be reused.
const RELEASED: u64 = 1 << 31;
/// The smallest table.
const MIN_SLOTS: usize = 16;

/// The largest window: numbers in the table are told apart by their low 32 bits, and the
/// table may hold numbers up to `3 * size` marks old (see the module's documentation).
const MAX_SIZE: usize = 1 << 30;

/// The largest window whose ring is allocated at its full size up front (16 MB).
const RING_UP_FRONT: usize = 1 << 20;

pub(super) struct Window {
    size: usize,
    hash: SeededHash,
    /// The ids by number: `ring[number % size]` (it grows to `size`, then wraps).
    ring: Vec<Uuid>,
    /// Slots: `EMPTY`, `RELEASED`, or tag << 32 | low 32 bits of the number.
    slots: Vec<u64>,
    /// Slots that are not `EMPTY` (remembered, stale or released).
    used: usize,
    /// The number the next id marked gets.
    next: u64,
    /// The oldest number remembered: `next - size` once that many were marked, and never
    /// lower than before (a release that gives a number back does not bring back the id that
    /// number pushed out).
    first: u64,
    /// `next` when the table was last rebuilt.
    rebuilt_at: u64,
    /// Numbers still in the window whose ids were released (so a rebuild leaves them out).
    released: HashSet<u64>,
}

/// Where a lookup ended.
enum Probe {
    /// The id is remembered, in this slot.
    Found(usize),
    /// It is not: the slot where it would go (the first stale, released or empty one).
    Missing(usize),
}

impl Window {
    pub(super) fn new(size: usize, hash: SeededHash) -> Self {
        let size = size.clamp(1, MAX_SIZE);
        let ring = if size <= RING_UP_FRONT {
            Vec::with_capacity(size)
        } else {
            Vec::new()
        };
        Self {
            size,
            hash,
            ring,
            slots: vec![EMPTY; MIN_SLOTS],
            used: 0,
            next: 0,
            first: 0,
            rebuilt_at: 0,
            released: HashSet::new(),
        }
    }

    /// The tag and the first slot of `id`.
    fn place(&self, id: Uuid) -> (u32, usize) {
        let hash = self.hash.hash_one(id);
        #[allow(clippy::cast_possible_truncation)]
        let tag = (hash >> 32) as u32 | 1;
        #[allow(clippy::cast_possible_truncation)]
        let bucket = hash as usize & (self.slots.len() - 1);
        (tag, bucket)
    }

    /// The number in `slot` if it is still in the window (`None` for a stale, released or
    /// empty slot).
    fn number(&self, slot: u64) -> Option<u64> {
        #[allow(clippy::cast_possible_truncation)]
        let age = (self.next as u32).wrapping_sub(slot as u32);
        let number = self.next.wrapping_sub(u64::from(age));
        (slot >> 32 != 0 && age >= 1 && age as usize <= self.size && number >= self.first)
            .then_some(number)
    }

    /// A used slot: the tag and the low 32 bits of the number.
    fn slot(tag: u32, number: u64) -> u64 {
        #[allow(clippy::cast_possible_truncation)]
        let low = number as u32;
        u64::from(tag) << 32 | u64::from(low)
    }

    /// The ring position of a number in the window (or of the next one).
    fn ring_index(&self, number: u64) -> usize {
        #[allow(clippy::cast_possible_truncation)]
        let index = (number % self.size as u64) as usize;
        index
    }

    /// Looks `id` up from its place (`tag`, first slot `index`).
    fn probe(&self, id: Uuid, (tag, mut index): (u32, usize)) -> Probe {
        let mask = self.slots.len() - 1;
        let mut free = None;
        loop {
            let slot = self.slots[index];
            if slot == EMPTY {
                return Probe::Missing(free.unwrap_or(index));
            }
            match self.number(slot) {
                Some(number) => {
                    if (slot >> 32) as u32 == tag && self.ring[self.ring_index(number)] == id {
                        return Probe::Found(index);
                    }
                }
                None => {
                    free.get_or_insert(index);
                }
            }
            index = (index + 1) & mask;
        }
    }

    pub(super) fn contains(&self, id: Uuid) -> bool {
        matches!(self.probe(id, self.place(id)), Probe::Found(_))
    }

    /// Marks `id`; `false` if it was remembered already.
    pub(super) fn mark(&mut self, id: Uuid) -> bool {
        let place = self.place(id);
        let at = match self.probe(id, place) {
            Probe::Found(_) => return false,
            Probe::Missing(at) => at,
        };
        let tag = place.0;
        if self.slots[at] == EMPTY {
            self.used += 1;
        }
        self.slots[at] = Self::slot(tag, self.next);
        let position = self.ring_index(self.next);
        if position == self.ring.len() {
            self.ring.push(id);
        } else {
            self.ring[position] = id;
        }
        self.next += 1;
        self.first = self.first.max(self.next.saturating_sub(self.size as u64));
        if self.used * 4 >= self.slots.len() * 3
            || self.next - self.rebuilt_at >= 2 * self.size as u64
        {
            self.rebuild();
        }
        true
    }

    /// Forgets `id` if it is remembered. Its number is given out again if nothing was marked
    /// since; either way the window holds one id fewer until the next mark (or, if others
    /// were marked since, until that number leaves it).
    pub(super) fn release(&mut self, id: Uuid) {
        let Probe::Found(at) = self.probe(id, self.place(id)) else {
            return;
        };
        let number = self.number(self.slots[at]).expect("found in the window");
        self.slots[at] = RELEASED;
        if number + 1 == self.next {
            self.next -= 1;
            if self.ring.len() as u64 > self.next {
                // Not wrapped yet: the ring shrinks back.
                self.ring.pop();
            }
        } else {
            self.released.insert(number);
        }
    }

    /// Puts every remembered id back into a table of empty slots, grown while the window
    /// fills: stale and released slots are gone afterwards.
    fn rebuild(&mut self) {
        let first = self.first;
        self.released.retain(|&number| number >= first);
        let remembered = usize::try_from(self.next - first).expect("at most the window size")
            - self.released.len();
        let most = (2 * self.size).next_power_of_two().max(MIN_SLOTS);
        let mut len = self.slots.len();
        while len < most && remembered * 2 > len {
            len = (len * 4).min(most);
        }
        if len == self.slots.len() {
            self.slots.fill(EMPTY);
        } else {
            self.slots = vec![EMPTY; len];
            // Room for every id the table can take before its next rebuild (already there for
            // a ring allocated up front).
            let room = self.size.min(len);
            self.ring
                .reserve_exact(room.saturating_sub(self.ring.len()));
        }
        let mask = len - 1;
        for number in first..self.next {
            if self.released.contains(&number) {
                continue;
            }
            let id = self.ring[self.ring_index(number)];
            let (tag, mut index) = self.place(id);
            while self.slots[index] != EMPTY {
                index = (index + 1) & mask;
            }
            self.slots[index] = Self::slot(tag, number);
        }
        self.used = remembered;
        self.rebuilt_at = self.next;
    }

    /// Slots in the table (for tests).
    #[cfg(test)]
    pub(super) fn slots(&self) -> usize {
        self.slots.len()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    /// The window as the documentation states it, kept naively: every id with its number.
    struct Model {
        size: u64,
        numbers: HashMap<Uuid, u64>,
        next: u64,
        first: u64,
    }

    impl Model {
        fn remembered(&self, id: Uuid) -> bool {
            self.numbers
                .get(&id)
                .is_some_and(|&number| number >= self.first)
        }

        fn mark(&mut self, id: Uuid) -> bool {
            if self.remembered(id) {
                return false;
            }
            self.numbers.insert(id, self.next);
            self.next += 1;
            self.first = self.first.max(self.next.saturating_sub(self.size));
            true
        }

        fn release(&mut self, id: Uuid) {
            if self.remembered(id) {
                let number = self.numbers.remove(&id).expect("remembered");
                if number + 1 == self.next {
                    self.next -= 1;
                }
            }
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        Mark(u8),
        Release(u8),
    }

    fn ops() -> impl Strategy<Value = Vec<Op>> {
        prop::collection::vec(
            prop_oneof![
                6 => any::<u8>().prop_map(Op::Mark),
                1 => any::<u8>().prop_map(Op::Release),
            ],
            0..600,
        )
    }

    proptest! {
        /// Marks and releases of ids from a small pool (so that duplicates, forgotten ids
        /// marked again and releases of all kinds happen often) leave the window remembering
        /// exactly what the model remembers, through rebuilds and growth.
        #[test]
        fn the_window_remembers_what_the_model_remembers(
            size in 1_usize..40,
            collide in prop::bool::weighted(0.2),
            ops in ops(),
        ) {
            let hash = if collide { colliding() } else { SeededHash::new() };
            let mut window = Window::new(size, hash);
            let mut model = Model { size: size as u64, numbers: HashMap::new(), next: 0, first: 0 };
            let pool: Vec<Uuid> = (0..=255_u64).map(|seq| Uuid::from_u64_pair(1, seq)).collect();
            for op in ops {
                match op {
                    Op::Mark(id) => {
                        let id = pool[usize::from(id)];
                        prop_assert_eq!(window.mark(id), model.mark(id), "mark {}", id);
                    }
                    Op::Release(id) => {
                        let id = pool[usize::from(id)];
                        window.release(id);
                        model.release(id);
                    }
                }
                prop_assert_eq!(window.next, model.next);
                for id in &pool {
                    prop_assert_eq!(window.contains(*id), model.remembered(*id), "{}", id);
                }
            }
        }
    }

    /// A hash that gives every id the same tag and the same first slot: every lookup then
    /// goes through the ring, which alone tells ids apart.
    fn colliding() -> SeededHash {
        SeededHash {
            seed: 0,
            multiplier: 0,
        }
    }

    #[test]
    fn ids_with_one_tag_are_told_apart_by_the_ring() {
        let hash = colliding();
        assert_eq!(
            hash.hash_one(Uuid::from_u64_pair(2, 0)),
            hash.hash_one(Uuid::from_u64_pair(2, 1))
        );
        let mut window = Window::new(64, hash);
        let ids: Vec<Uuid> = (0..48_u64).map(|seq| Uuid::from_u64_pair(2, seq)).collect();
        for id in &ids {
            assert!(window.mark(*id));
        }
        for id in &ids {
            assert!(window.contains(*id));
            assert!(!window.mark(*id));
        }
        window.release(ids[10]);
        assert!(!window.contains(ids[10]));
        assert!(window.contains(ids[11]) && window.contains(ids[9]));
        assert!((0..48_u64).all(|seq| !window.contains(Uuid::from_u64_pair(3, seq))));
    }

    #[test]
    fn a_full_window_stops_growing_and_keeps_its_memory() {
        let size = 1000;
        let mut window = Window::new(size, SeededHash::new());
        for seq in 0..(20 * size as u64) {
            assert!(window.mark(Uuid::from_u64_pair(4, seq)));
            assert!(window.used * 4 < window.slots.len() * 3);
        }
        assert_eq!(window.slots(), 2048);
        assert_eq!(window.ring.len(), size);
        assert!(window.contains(Uuid::from_u64_pair(4, 20 * size as u64 - 1)));
        assert!(window.contains(Uuid::from_u64_pair(4, 19 * size as u64)));
        assert!(!window.contains(Uuid::from_u64_pair(4, 19 * size as u64 - 1)));
    }
}
