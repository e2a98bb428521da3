//! A dead letter (an event, or a message that never decoded, that a subscriber could not
//! handle, kept with why) and the in-process dead-letter queue. Nothing is dropped silently.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::envelope::Envelope;

/// What a dead letter holds: the event, or, for a message that never decoded (garbage on a
/// broker's wire, an unknown eventType or version, a payload breaking its catalog), its raw
/// bytes and why they did not decode.
#[derive(Debug, Clone)]
pub enum DeadMessage<P> {
    /// The event.
    Event(Arc<Envelope<P>>),
    /// A message that is not an envelope this bus can read.
    Undecodable {
        /// The message body as it arrived.
        raw: Arc<[u8]>,
        /// Why it did not decode.
        error: String,
    },
}

/// One event (or undecodable message) a subscriber gave up on, the same for every bus.
#[derive(Debug, Clone)]
pub struct DeadLetter<P> {
    /// This entry's id among the bus's dead letters.
    pub id: u64,
    /// The event, or the raw message if it never decoded; [`envelope`](Self::envelope) for
    /// the common case.
    pub message: DeadMessage<P>,
    /// The subscriber (consumer group) that failed.
    pub subscriber: String,
    /// The last error, as text.
    pub error: String,
    /// The last error's code (`network-timeout`, `permanent`, `panic`, `shutdown`, ...).
    pub error_code: String,
    /// Why it was not retried (any more): [`GiveUp`](crate::GiveUp)'s text, for example "not
    /// retried: the error is retryable, but its code `rate-limited` is not in the retry
    /// policy's retryable_errors (...)". Empty for letters written before this was recorded.
    pub reason: String,
    /// How many times the handler was tried.
    pub attempts: u32,
    /// When the first attempt failed.
    pub first_failed_at: DateTime<Utc>,
    /// When the last attempt failed.
    pub last_failed_at: DateTime<Utc>,
}

impl<P> DeadLetter<P> {
    /// The event, unless the message never decoded.
    pub fn envelope(&self) -> Option<&Arc<Envelope<P>>> {
        match &self.message {
            DeadMessage::Event(envelope) => Some(envelope),
            DeadMessage::Undecodable { .. } => None,
        }
    }

    /// The event's eventId, unless the message never decoded.
    pub fn event_id(&self) -> Option<Uuid> {
        self.envelope().map(|envelope| envelope.event_id)
    }
}

type Hook = Arc<dyn Fn(usize) + Send + Sync>;

struct State<P> {
    next_id: u64,
    letters: Vec<DeadLetter<P>>,
    /// How many letters each (subscriber, eventId) has, so that the bus can tell a duplicate
    /// of a dead-lettered event without scanning the queue.
    parked: HashMap<(String, Uuid), usize>,
    threshold: Option<(usize, Hook)>,
    above: bool,
}

/// The in-process dead-letter queue of an [`InMemoryBus`](crate::InMemoryBus), shared by all
/// its subscribers.
///
/// The bus reaches it through [`DeadLetters`](crate::DeadLetters) (which also reprocesses);
/// this is the storage, synchronous. A hook fires when the queue grows to a
/// threshold (the Novel Engine specification's "alert on dead letter queue accumulation").
///
/// The queue is bounded ([`set_capacity`](Self::set_capacity), by default
/// [`DEFAULT_CAPACITY`](Self::DEFAULT_CAPACITY) letters), and nothing is ever dropped to
/// respect the bound: a subscriber that gives up on an event while the queue is full waits
/// for room (a letter discarded or reprocessed) before it takes its next event, so its queue
/// fills and publishers wait in turn. Each such wait counts
/// `novel_events_dead_letter_queue_full_total` (label `subscriber`) and logs a warning. The
/// letters of a shutdown's deadline do not wait (the shutdown cannot): they may take the
/// queue past its bound, as may a failed batch (all its events at once).
pub struct DeadLetterQueue<P> {
    state: Arc<Mutex<State<P>>>,
    capacity: Arc<AtomicUsize>,
    room: Arc<tokio::sync::Notify>,
    /// The number of letters, kept with `state` (changed under its lock), so that the bus's
    /// check for a dead-lettered duplicate needs no lock while the queue is empty.
    len: Arc<AtomicUsize>,
}

impl<P> Clone for DeadLetterQueue<P> {
    fn clone(&self) -> Self {
        Self {
            state: Arc::clone(&self.state),
            capacity: Arc::clone(&self.capacity),
            room: Arc::clone(&self.room),
            len: Arc::clone(&self.len),
        }
    }
}

impl<P> Default for DeadLetterQueue<P> {
    fn default() -> Self {
        Self {
            state: Arc::new(Mutex::new(State {
                next_id: 1,
                letters: Vec::new(),
                parked: HashMap::new(),
                threshold: None,
                above: false,
            })),
            capacity: Arc::new(AtomicUsize::new(Self::DEFAULT_CAPACITY)),
            room: Arc::new(tokio::sync::Notify::new()),
            len: Arc::new(AtomicUsize::new(0)),
        }
    }
}

impl<P> DeadLetterQueue<P> {
    /// The default bound: 100,000 letters.
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// Sets the bound (at least 1). Subscribers waiting for room go on if the new bound
    /// leaves some.
    pub fn set_capacity(&self, capacity: usize) {
        self.capacity.store(capacity.max(1), Ordering::SeqCst);
        self.room.notify_waiters();
    }

    /// The bound.
    pub fn capacity(&self) -> usize {
        self.capacity.load(Ordering::SeqCst)
    }

    /// Returns once the queue is below its bound; for `subscriber`, which is about to
    /// dead-letter an event (see the type's documentation).
    pub(crate) async fn wait_for_room(&self, subscriber: &str) {
        let mut warned = false;
        loop {
            let room = self.room.notified();
            if self.len.load(Ordering::SeqCst) < self.capacity() {
                return;
            }
            if !warned {
                warned = true;
                metrics::counter!(
                    "novel_events_dead_letter_queue_full_total",
                    "subscriber" => subscriber.to_owned()
                )
                .increment(1);
                tracing::warn!(
                    subscriber,
                    capacity = self.capacity(),
                    "the dead-letter queue is full: this subscriber waits until letters are \
                     discarded or reprocessed (nothing is dropped)"
                );
            }
            room.await;
        }
    }
}

impl<P: Clone> DeadLetterQueue<P> {
    fn lock(&self) -> std::sync::MutexGuard<'_, State<P>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a dead letter and returns its id; fires the threshold hook when the queue reaches it.
    pub(crate) fn push(&self, mut letter: DeadLetter<P>) -> u64 {
        let (id, fire) = {
            let mut state = self.lock();
            letter.id = state.next_id;
            state.next_id += 1;
            let id = letter.id;
            if let Some(event_id) = letter.event_id() {
                *state
                    .parked
                    .entry((letter.subscriber.clone(), event_id))
                    .or_default() += 1;
            }
            state.letters.push(letter);
            let len = state.letters.len();
            self.len.store(len, Ordering::SeqCst);
            let fire = match &state.threshold {
                Some((threshold, hook)) if len >= *threshold && !state.above => {
                    Some((Arc::clone(hook), len))
                }
                _ => None,
            };
            if fire.is_some() {
                state.above = true;
            }
            (id, fire)
        };
        if let Some((hook, len)) = fire {
            hook(len);
        }
        id
    }

    /// Whether `subscriber` has a dead letter of the event `event_id`.
    pub(crate) fn contains(&self, subscriber: &str, event_id: Uuid) -> bool {
        if self.len.load(Ordering::SeqCst) == 0 {
            return false;
        }
        let state = self.lock();
        !state.parked.is_empty()
            && state
                .parked
                .contains_key(&(subscriber.to_owned(), event_id))
    }

    /// Calls `hook(len)` when the queue grows to `threshold` entries; it fires again only after
    /// the queue went back below the threshold.
    pub fn on_threshold(&self, threshold: usize, hook: impl Fn(usize) + Send + Sync + 'static) {
        let mut state = self.lock();
        state.above = state.letters.len() >= threshold;
        state.threshold = Some((threshold, Arc::new(hook)));
    }

    /// Every dead letter, oldest first.
    pub fn list(&self) -> Vec<DeadLetter<P>> {
        self.lock().letters.clone()
    }

    /// One dead letter.
    pub fn get(&self, id: u64) -> Option<DeadLetter<P>> {
        self.lock()
            .letters
            .iter()
            .find(|letter| letter.id == id)
            .cloned()
    }

    /// How many dead letters there are.
    pub fn len(&self) -> usize {
        self.lock().letters.len()
    }

    /// Whether the queue is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Removes a dead letter for good and returns it.
    pub fn discard(&self, id: u64) -> Option<DeadLetter<P>> {
        let mut state = self.lock();
        let index = state.letters.iter().position(|letter| letter.id == id)?;
        let letter = state.letters.remove(index);
        self.len.store(state.letters.len(), Ordering::SeqCst);
        self.room.notify_waiters();
        if let Some(event_id) = letter.event_id() {
            let key = (letter.subscriber.clone(), event_id);
            if let Some(count) = state.parked.get_mut(&key) {
                *count -= 1;
                if *count == 0 {
                    state.parked.remove(&key);
                }
            }
        }
        if let Some((threshold, _)) = &state.threshold
            && state.letters.len() < *threshold
        {
            state.above = false;
        }
        Some(letter)
    }
}
