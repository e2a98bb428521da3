//! The log relay: every committed event of a store published to a bus, at least once, in
//! position order, whatever the backend.

use std::future::Future;
use std::marker::PhantomData;
use std::time::Duration;

use crate::bus::{EventBus, PublishError};
use crate::envelope::Envelope;

use super::{CheckpointStore, EventReader, StoreError};

/// Where a [`LogRelay`] publishes: a publish that returns once the event is accepted (for a
/// broker: acknowledged as stored). Every [`EventBus`] is one.
pub trait RelayTarget<P>: Send + Sync {
    /// Why a publish failed.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Publishes one envelope, returning once it is accepted.
    fn publish(
        &self,
        envelope: Envelope<P>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;
}

impl<P, B: EventBus<P>> RelayTarget<P> for B {
    type Error = PublishError;

    fn publish(
        &self,
        envelope: Envelope<P>,
    ) -> impl Future<Output = Result<(), PublishError>> + Send {
        EventBus::publish(self, envelope)
    }
}

/// Why a [`LogRelay`] stopped.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// Reading the log or the checkpoint, or saving the checkpoint, failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The bus refused an event: the checkpoint stays before it, and the next run publishes it
    /// again.
    #[error(
        "publishing the event at position {position} failed (it will be published again): {source}"
    )]
    Publish {
        /// The event's position.
        position: u64,
        /// The bus's error (a [`PublishError`] for an [`EventBus`]).
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Publishes a store's log to a bus from a checkpoint, at least once and in position order.
///
/// # Why follow the log instead of an outbox table
/// A transactional outbox writes each event twice in the append's transaction (the log and
/// the outbox) and deletes it again once published. But the log is already an outbox: it is
/// written in the append's own transaction, it is totally ordered by position, and nothing is
/// ever removed from it. A relay that reads it after a checkpoint, publishes, and moves the
/// checkpoint only once the bus acknowledged has the same guarantees without a second table
/// nor an extra write per event on the append path:
///
/// - only committed events are published (a rolled-back append is never read);
/// - every committed event is published at least once: a crash between commit and publish,
///   or between publish and checkpoint, leaves the checkpoint before the event, and the next
///   relay publishes it again;
/// - events are published in position order, one at a time (the next one only after the bus
///   acknowledged the previous one);
/// - duplicates after a crash (at most the events published since the last checkpoint, one
///   [`batch`](LogRelay::with_batch)) carry the same eventId, so a bus that dedupes by it
///   (JetStream with `Nats-Msg-Id = eventId`) stores them once, and idempotent subscribers
///   handle them once.
///
/// It needs only [`EventReader`] and [`CheckpointStore`], so one relay serves every store
/// (`SqliteEventStore`, the PostgreSQL store), and only a publish that acknowledges
/// ([`RelayTarget`], implemented by every [`EventBus`]), so it serves every bus, and any other
/// broker client wrapped in a `RelayTarget`. One relay per checkpoint name may run at a time; two would publish the same
/// events twice (still absorbed by eventId dedupe).
///
/// The relay wakes on [`EventReader::watch_position`] and also polls the log every
/// [`poll_interval`](LogRelay::with_poll_interval), so a lost wake-up (a dropped notification
/// connection, another process's append) delays an event by at most that interval.
pub struct LogRelay<S, B, P> {
    store: S,
    bus: B,
    checkpoint: String,
    batch: usize,
    poll_interval: Duration,
    payload: PhantomData<fn() -> P>,
}

impl<S, B, P> LogRelay<S, B, P>
where
    S: EventReader<P> + CheckpointStore,
    B: RelayTarget<P>,
    P: Send + 'static,
{
    /// The checkpoint name a relay uses unless [`with_checkpoint`](Self::with_checkpoint) says
    /// otherwise.
    pub const DEFAULT_CHECKPOINT: &'static str = "log-relay";
    /// Events read, published and checkpointed together unless
    /// [`with_batch`](Self::with_batch) says otherwise.
    pub const DEFAULT_BATCH: usize = 256;
    /// How often the relay reads the log when no wake-up came, unless
    /// [`with_poll_interval`](Self::with_poll_interval) says otherwise.
    pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(1);

    /// A relay of `store`'s log to `bus`, with its checkpoint under
    /// [`DEFAULT_CHECKPOINT`](Self::DEFAULT_CHECKPOINT).
    pub fn new(store: S, bus: B) -> Self {
        Self {
            store,
            bus,
            checkpoint: Self::DEFAULT_CHECKPOINT.to_owned(),
            batch: Self::DEFAULT_BATCH,
            poll_interval: Self::DEFAULT_POLL_INTERVAL,
            payload: PhantomData,
        }
    }

    /// Keeps the checkpoint under `name` (one name per bus the log is relayed to).
    pub fn with_checkpoint(mut self, name: impl Into<String>) -> Self {
        self.checkpoint = name.into();
        self
    }

    /// Reads and checkpoints `batch` events at a time (at least 1): the most a crash can
    /// publish twice.
    pub fn with_batch(mut self, batch: usize) -> Self {
        self.batch = batch.max(1);
        self
    }

    /// Reads the log at least this often when no wake-up came.
    pub fn with_poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// The checkpoint's name.
    pub fn checkpoint_name(&self) -> &str {
        &self.checkpoint
    }

    /// The last position published and checkpointed.
    pub async fn checkpoint(&self) -> Result<u64, RelayError> {
        Ok(self.store.load_checkpoint(&self.checkpoint).await?)
    }

    /// The bus published to.
    pub fn bus(&self) -> &B {
        &self.bus
    }

    /// Publishes every event after the checkpoint, in position order, moving the checkpoint
    /// after each batch the bus acknowledged; returns how many were published. Stops at the
    /// first event the bus refuses, after checkpointing the ones before it.
    pub async fn relay_pending(&self) -> Result<usize, RelayError> {
        let mut checkpoint = self.store.load_checkpoint(&self.checkpoint).await?;
        let mut published = 0;
        loop {
            let events = self.store.read_all(checkpoint, self.batch).await?;
            if events.is_empty() {
                return Ok(published);
            }
            let mut acknowledged = checkpoint;
            for event in events {
                let position = event.position;
                if let Err(source) = self.bus.publish(event.envelope).await {
                    if acknowledged > checkpoint {
                        self.store
                            .save_checkpoint(&self.checkpoint, acknowledged)
                            .await?;
                    }
                    return Err(RelayError::Publish {
                        position,
                        source: Box::new(source),
                    });
                }
                acknowledged = position;
                published += 1;
            }
            self.store
                .save_checkpoint(&self.checkpoint, acknowledged)
                .await?;
            checkpoint = acknowledged;
        }
    }

    /// Relays now, then whenever the store's position moves (or every poll interval), until
    /// `stop` resolves; relays what is pending once more then, and returns how many events
    /// were published in all.
    pub async fn run(&self, stop: impl Future<Output = ()>) -> Result<usize, RelayError> {
        let mut watch = self.store.watch_position();
        let mut total = self.relay_pending().await?;
        tokio::pin!(stop);
        let mut watching = true;
        loop {
            tokio::select! {
                () = &mut stop => return Ok(total + self.relay_pending().await?),
                changed = watch.changed(), if watching => {
                    // A closed watch leaves polling.
                    watching = changed.is_ok();
                }
                () = tokio::time::sleep(self.poll_interval) => {}
            }
            total += self.relay_pending().await?;
        }
    }
}

#[cfg(all(test, feature = "sqlite", feature = "novel-engine"))]
mod tests {
    use std::sync::{Arc, Mutex};

    use uuid::Uuid;

    use super::*;
    use crate::novel_engine::AnyEvent;
    use crate::novel_engine::characters::{AcquisitionMethod, CharacterSkillGained};
    use crate::{
        Envelope, EventAppender, ExpectedVersion, HandlerError, HandlerResult, InMemoryBus,
        SqliteEventStore, StoredEvent, SubscriptionOptions, handler_fn,
    };

    type Store = SqliteEventStore<AnyEvent>;

    fn skill(character: Uuid, level: i64) -> Envelope<AnyEvent> {
        Envelope::new(
            AnyEvent::from(CharacterSkillGained {
                character_id: character,
                skill_name: "cartography".into(),
                skill_level: level,
                acquisition_method: AcquisitionMethod::Training,
                context: "mapped the sunken quarter".into(),
            }),
            "relay-tests",
        )
    }

    /// Appends `count` events, one per append, to two aggregates in turn; returns their ids in
    /// log order.
    async fn append(store: &Store, count: usize) -> Vec<Uuid> {
        let characters = [Uuid::new_v4(), Uuid::new_v4()];
        let mut ids = Vec::new();
        for index in 0..count {
            let event = skill(characters[index % 2], index as i64);
            ids.push(event.event_id);
            store
                .append(event.aggregate_id, ExpectedVersion::Any, vec![event])
                .await
                .expect("append");
        }
        ids
    }

    /// What a bus delivered: every delivery, and each eventId once (idempotent subscriber).
    #[derive(Default, Clone)]
    struct Deliveries {
        every: Arc<Mutex<Vec<Uuid>>>,
        once: Arc<Mutex<Vec<Uuid>>>,
    }

    impl Deliveries {
        fn every(&self) -> Vec<Uuid> {
            self.every.lock().expect("not poisoned").clone()
        }
        fn once(&self) -> Vec<Uuid> {
            self.once.lock().expect("not poisoned").clone()
        }
    }

    /// An in-memory bus with two immediate subscribers (they run inside `publish`, so what
    /// they saw is known when the relay returns).
    async fn recording_bus() -> (InMemoryBus<AnyEvent>, Deliveries) {
        refusing_bus(None).await
    }

    /// Like [`recording_bus`], with a third immediate subscriber failing on the event
    /// `refused` (so its publish fails) when given.
    async fn refusing_bus(refused: Option<Uuid>) -> (InMemoryBus<AnyEvent>, Deliveries) {
        let bus = InMemoryBus::new();
        let deliveries = Deliveries::default();
        for (options, seen) in [
            (
                SubscriptionOptions::immediate("every").not_idempotent(),
                Some(Arc::clone(&deliveries.every)),
            ),
            (
                SubscriptionOptions::immediate("once"),
                Some(Arc::clone(&deliveries.once)),
            ),
            (
                SubscriptionOptions::immediate("refusing").not_idempotent(),
                None,
            ),
        ] {
            if seen.is_none() && refused.is_none() {
                continue;
            }
            bus.subscribe(
                options,
                handler_fn(move |event: Arc<Envelope<AnyEvent>>| {
                    let seen = seen.clone();
                    async move {
                        match seen {
                            Some(seen) => seen.lock().expect("not poisoned").push(event.event_id),
                            None if Some(event.event_id) == refused => {
                                return Err(HandlerError::permanent("refused on purpose"));
                            }
                            None => {}
                        }
                        HandlerResult::Ok(())
                    }
                }),
            )
            .await
            .expect("subscribe");
        }
        (bus, deliveries)
    }

    /// A store whose checkpoint writes fail (a process that dies after publishing, before its
    /// checkpoint commits), or whose position never moves (lost wake-ups).
    #[derive(Clone)]
    struct Faulty {
        store: Store,
        checkpoints_fail: bool,
        blind: bool,
    }

    impl EventReader<AnyEvent> for Faulty {
        async fn read_stream(
            &self,
            aggregate_id: Uuid,
            from_version: u64,
        ) -> Result<Vec<StoredEvent<AnyEvent>>, StoreError> {
            self.store.read_stream(aggregate_id, from_version).await
        }
        async fn read_all(
            &self,
            after: u64,
            limit: usize,
        ) -> Result<Vec<StoredEvent<AnyEvent>>, StoreError> {
            self.store.read_all(after, limit).await
        }
        async fn read_correlation(
            &self,
            correlation_id: Uuid,
        ) -> Result<Vec<StoredEvent<AnyEvent>>, StoreError> {
            self.store.read_correlation(correlation_id).await
        }
        async fn read_event(
            &self,
            event_id: Uuid,
        ) -> Result<Option<StoredEvent<AnyEvent>>, StoreError> {
            self.store.read_event(event_id).await
        }
        async fn last_position(&self) -> Result<u64, StoreError> {
            self.store.last_position().await
        }
        fn watch_position(&self) -> tokio::sync::watch::Receiver<u64> {
            if self.blind {
                tokio::sync::watch::channel(0).1
            } else {
                self.store.watch_position()
            }
        }
    }

    impl CheckpointStore for Faulty {
        async fn load_checkpoint(&self, projection: &str) -> Result<u64, StoreError> {
            self.store.load_checkpoint(projection).await
        }
        async fn save_checkpoint(&self, projection: &str, position: u64) -> Result<(), StoreError> {
            if self.checkpoints_fail {
                return Err(StoreError::Database("the process died".into()));
            }
            self.store.save_checkpoint(projection, position).await
        }
        async fn load_snapshot(
            &self,
            aggregate_id: Uuid,
        ) -> Result<Option<(u64, String)>, StoreError> {
            self.store.load_snapshot(aggregate_id).await
        }
        async fn save_snapshot(
            &self,
            aggregate_id: Uuid,
            aggregate_type: &str,
            version: u64,
            state: String,
        ) -> Result<(), StoreError> {
            self.store
                .save_snapshot(aggregate_id, aggregate_type, version, state)
                .await
        }
    }

    #[tokio::test]
    async fn publishes_the_log_in_order_and_moves_the_checkpoint() {
        let store = Store::open_in_memory().expect("opens");
        let ids = append(&store, 10).await;
        let (bus, deliveries) = recording_bus().await;
        let relay = LogRelay::new(store.clone(), bus).with_batch(4);

        assert_eq!(relay.relay_pending().await.expect("relays"), 10);
        assert_eq!(deliveries.every(), ids);
        assert_eq!(relay.checkpoint().await.expect("checkpoint"), 10);
        assert_eq!(
            store
                .load_checkpoint(
                    LogRelay::<Store, InMemoryBus<AnyEvent>, AnyEvent>::DEFAULT_CHECKPOINT
                )
                .await
                .expect("load"),
            10
        );

        // Nothing new: nothing published; new events: only they.
        assert_eq!(relay.relay_pending().await.expect("relays"), 0);
        let more = append(&store, 3).await;
        assert_eq!(relay.relay_pending().await.expect("relays"), 3);
        assert_eq!(deliveries.every(), [ids, more].concat());
    }

    #[tokio::test]
    async fn a_crash_before_the_checkpoint_commits_publishes_again_after_restart() {
        let store = Store::open_in_memory().expect("opens");
        let ids = append(&store, 7).await;
        let (bus, deliveries) = recording_bus().await;

        // The first relay publishes a batch, then dies before its checkpoint commits.
        let dying = LogRelay::new(
            Faulty {
                store: store.clone(),
                checkpoints_fail: true,
                blind: false,
            },
            bus.clone(),
        )
        .with_batch(5);
        match dying.relay_pending().await {
            Err(RelayError::Store(StoreError::Database(message))) => {
                assert_eq!(message, "the process died");
            }
            other => panic!("expected the checkpoint to fail, got {other:?}"),
        }
        assert_eq!(deliveries.every(), ids[..5]);
        assert_eq!(dying.checkpoint().await.expect("checkpoint"), 0);

        // After the restart, a new relay publishes everything after the checkpoint: the five
        // again (same eventIds), then the rest, in log order; the idempotent subscriber
        // handles each event once.
        let relay = LogRelay::new(store.clone(), bus).with_batch(5);
        assert_eq!(relay.relay_pending().await.expect("relays"), 7);
        assert_eq!(deliveries.every(), [&ids[..5], &ids[..]].concat());
        assert_eq!(deliveries.once(), ids);
        assert_eq!(relay.checkpoint().await.expect("checkpoint"), 7);
    }

    #[tokio::test]
    async fn a_refused_publish_stops_the_relay_just_before_it() {
        let store = Store::open_in_memory().expect("opens");
        let ids = append(&store, 6).await;
        let (bus, _) = refusing_bus(Some(ids[3])).await;
        let relay = LogRelay::new(store.clone(), bus);
        match relay.relay_pending().await {
            Err(RelayError::Publish { position, source }) => {
                assert_eq!(position, 4);
                assert!(
                    source.to_string().contains("refused on purpose"),
                    "{source}"
                );
            }
            other => panic!("expected the publish of position 4 to fail, got {other:?}"),
        }
        // The three before it are checkpointed: the next run starts at the refused one.
        assert_eq!(relay.checkpoint().await.expect("checkpoint"), 3);
        let (bus, deliveries) = recording_bus().await;
        let relay = LogRelay::new(store.clone(), bus);
        assert_eq!(relay.relay_pending().await.expect("relays"), 3);
        assert_eq!(deliveries.every(), ids[3..]);
    }

    #[tokio::test]
    async fn run_wakes_on_appends_and_stops_when_told() {
        let store = Store::open_in_memory().expect("opens");
        let before = append(&store, 2).await;
        let (bus, deliveries) = recording_bus().await;
        let relay = LogRelay::new(store.clone(), bus).with_poll_interval(Duration::from_secs(3600));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(async move {
            relay
                .run(async {
                    let _ = stopped.await;
                })
                .await
        });

        let after = append(&store, 3).await;
        let expected = [before, after].concat();
        tokio::time::timeout(Duration::from_secs(10), async {
            while deliveries.every().len() < expected.len() {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
        .await
        .expect("the appends wake the relay (the poll interval is an hour)");
        assert_eq!(deliveries.every(), expected);

        stop.send(()).expect("the relay runs");
        let total = running.await.expect("joins").expect("relays");
        assert_eq!(total, 5);
    }

    #[tokio::test]
    async fn without_wake_ups_the_relay_polls() {
        let store = Store::open_in_memory().expect("opens");
        let (bus, deliveries) = recording_bus().await;
        let relay = LogRelay::new(
            Faulty {
                store: store.clone(),
                checkpoints_fail: false,
                blind: true,
            },
            bus,
        )
        .with_poll_interval(Duration::from_millis(20));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(async move {
            relay
                .run(async {
                    let _ = stopped.await;
                })
                .await
        });

        let ids = append(&store, 4).await;
        tokio::time::timeout(Duration::from_secs(10), async {
            while deliveries.every().len() < ids.len() {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
        .await
        .expect("polling finds the events");
        assert_eq!(deliveries.every(), ids);
        stop.send(()).expect("the relay runs");
        assert_eq!(running.await.expect("joins").expect("relays"), 4);
    }
}
