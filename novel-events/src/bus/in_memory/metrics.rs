//! Metric handles, registered once per subscriber and eventType with the recorder in effect,
//! and found again without a lock on the publish path.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use metrics::{Counter, Gauge, Histogram};

use crate::bus::hasher::SeededHash;

/// Identifies the metrics recorder in effect here (a thread's local recorder, else the global
/// one, else the no-op one) by its address.
pub(super) fn recorder_id() -> usize {
    metrics::with_recorder(|recorder| std::ptr::from_ref(recorder).cast::<()>() as usize)
}

/// A metric handle registered once, with the recorder in effect at its first use, and reused
/// while that recorder is in effect. Under another recorder it is registered again at every
/// use (as the `metrics` macros do), so that no count goes to a recorder no longer in effect.
pub(super) struct Cached<T>(OnceLock<(usize, T)>);

impl<T: Clone> Cached<T> {
    pub(super) const fn new() -> Self {
        Self(OnceLock::new())
    }

    pub(super) fn get(&self, recorder: usize, register: impl Fn() -> T) -> Cow<'_, T> {
        let (registered_with, handle) = self.0.get_or_init(|| (recorder, register()));
        if *registered_with == recorder {
            Cow::Borrowed(handle)
        } else {
            Cow::Owned(register())
        }
    }
}

impl<T: Clone> Default for Cached<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// An eventType's key in the caches: the address and length of the `&'static str`. Two
/// copies of one eventType at two addresses get two entries, which register the same metric.
pub(super) type TypeKey = (usize, usize);

pub(super) fn type_key(event_type: &'static str) -> TypeKey {
    (event_type.as_ptr() as usize, event_type.len())
}

pub(super) type TypeMap<V> = HashMap<TypeKey, V, SeededHash>;

/// The metric handles of one subscriber and eventType, each registered at its first use (a
/// counter that never counted stays unregistered, as with the macros).
pub(super) struct TypeMetrics {
    pub(super) event_type: &'static str,
    pub(super) subscriber: Arc<str>,
    pub(super) delivered: Cached<Counter>,
    pub(super) failed: Cached<Counter>,
    pub(super) retried: Cached<Counter>,
    pub(super) duplicates: Cached<Counter>,
    pub(super) dead_lettered: Cached<Counter>,
    pub(super) duration: Cached<Histogram>,
}

macro_rules! subscriber_counter {
    ($method:ident, $field:ident, $name:literal) => {
        pub(super) fn $method(&self, recorder: usize) -> Cow<'_, Counter> {
            self.$field.get(recorder, || {
                metrics::counter!($name, "event_type" => self.event_type, "subscriber" => Arc::clone(&self.subscriber))
            })
        }
    };
}

impl TypeMetrics {
    pub(super) fn new(event_type: &'static str, subscriber: Arc<str>) -> Self {
        Self {
            event_type,
            subscriber,
            delivered: Cached::new(),
            failed: Cached::new(),
            retried: Cached::new(),
            duplicates: Cached::new(),
            dead_lettered: Cached::new(),
            duration: Cached::new(),
        }
    }

    subscriber_counter!(delivered, delivered, "novel_events_delivered_total");
    subscriber_counter!(failed, failed, "novel_events_failed_total");
    subscriber_counter!(retried, retried, "novel_events_retried_total");
    subscriber_counter!(duplicates, duplicates, "novel_events_duplicates_total");
    subscriber_counter!(
        dead_lettered,
        dead_lettered,
        "novel_events_dead_lettered_total"
    );

    pub(super) fn duration(&self, recorder: usize) -> Cow<'_, Histogram> {
        self.duration.get(recorder, || {
            metrics::histogram!("novel_events_handler_duration_seconds", "event_type" => self.event_type, "subscriber" => Arc::clone(&self.subscriber))
        })
    }
}

/// The metric handles of one subscriber (consumer group).
pub(super) struct GroupMetrics {
    pub(super) subscriber: Arc<str>,
    pub(super) depth: Cached<Gauge>,
    pub(super) batch_duration: Cached<Histogram>,
    pub(super) types: TypeTable<TypeMetrics>,
}

impl GroupMetrics {
    pub(super) fn new(subscriber: Arc<str>) -> Self {
        Self {
            subscriber,
            depth: Cached::new(),
            batch_duration: Cached::new(),
            types: TypeTable::new(),
        }
    }

    pub(super) fn depth(&self, recorder: usize) -> Cow<'_, Gauge> {
        self.depth.get(recorder, || {
            metrics::gauge!("novel_events_queue_depth", "subscriber" => Arc::clone(&self.subscriber))
        })
    }

    pub(super) fn batch_duration(&self, recorder: usize) -> Cow<'_, Histogram> {
        self.batch_duration.get(recorder, || {
            metrics::histogram!("novel_events_handler_duration_seconds", "event_type" => "batch", "subscriber" => Arc::clone(&self.subscriber))
        })
    }

    pub(super) fn for_type(&self, event_type: &'static str) -> TypeRef<'_, TypeMetrics> {
        self.types.get(event_type, || {
            TypeMetrics::new(event_type, Arc::clone(&self.subscriber))
        })
    }
}

/// Values per eventType, read without a lock: the first eventTypes seen take slots of a small
/// open-addressing table (a slot, once set, never changes); the rest go to a map behind a lock.
pub(super) struct TypeTable<V> {
    pub(super) slots: Box<[OnceLock<(TypeKey, V)>]>,
    pub(super) overflow: RwLock<TypeMap<Arc<V>>>,
    /// Where a key's probes start in `slots`.
    pub(super) hash: SeededHash,
}

/// A value of a [`TypeTable`].
pub(super) enum TypeRef<'a, V> {
    Slot(&'a V),
    Overflow(Arc<V>),
}

impl<V> std::ops::Deref for TypeRef<'_, V> {
    type Target = V;

    fn deref(&self) -> &V {
        match self {
            TypeRef::Slot(value) => value,
            TypeRef::Overflow(value) => value,
        }
    }
}

impl<V> TypeTable<V> {
    const SLOTS: usize = 64;
    const PROBES: usize = 8;

    pub(super) fn new() -> Self {
        Self {
            slots: (0..Self::SLOTS).map(|_| OnceLock::new()).collect(),
            overflow: RwLock::default(),
            hash: SeededHash::new(),
        }
    }

    pub(super) fn get(&self, event_type: &'static str, make: impl Fn() -> V) -> TypeRef<'_, V> {
        let key = type_key(event_type);
        #[allow(clippy::cast_possible_truncation)]
        let start = (self.hash.hash_one(key) >> 32) as usize;
        for probe in 0..Self::PROBES {
            let slot = &self.slots[(start + probe) % Self::SLOTS];
            let (taken_by, value) = slot.get_or_init(|| (key, make()));
            if *taken_by == key {
                return TypeRef::Slot(value);
            }
        }
        if let Some(value) = self
            .overflow
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return TypeRef::Overflow(Arc::clone(value));
        }
        let mut overflow = self
            .overflow
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        TypeRef::Overflow(Arc::clone(
            overflow.entry(key).or_insert_with(|| Arc::new(make())),
        ))
    }
}
