//! Event sourcing: an aggregate's state is the fold of its events; commands decide new events.

use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::envelope::Envelope;
use crate::event::EventPayload;
use crate::store::{
    AppendOutcome, CheckpointStore, EventAppender, EventReader, ExpectedVersion, StoreError,
};

/// An event-sourced aggregate.
///
/// `Event` is the payload type of its events: a catalog's `AnyEvent`, or a
/// `#[derive(EventSet)]` enum of the events it emits. A new aggregate starts from
/// `Default`; the state needs `Serialize` and `Deserialize` only for
/// [`Repository::with_snapshots`].
pub trait Aggregate: Default + Send + Sync + 'static {
    /// The aggregate type (`Character`): the catalog's `aggregateType` of the events it
    /// emits. [`Repository::execute`] refuses an event of another aggregate type
    /// ([`CommandError::OtherAggregate`]).
    const TYPE: &'static str;
    /// Its events.
    type Event: EventPayload + Clone + Send + Sync + 'static;
    /// What it can be asked to do.
    type Command: Send;
    /// Why a command is refused.
    type Error: std::error::Error + Send + Sync + 'static;

    /// The state after one more event.
    fn apply(&mut self, event: &Self::Event);

    /// The events a command causes, given the current state of the aggregate `id` (no side
    /// effects here). The id is given because a new aggregate's state (its `Default`) does
    /// not know it yet.
    fn handle(&self, id: Uuid, command: Self::Command) -> Result<Vec<Self::Event>, Self::Error>;
}

/// Why a command could not be executed.
#[derive(Debug, thiserror::Error)]
pub enum CommandError<E: std::error::Error + 'static> {
    /// The aggregate refused the command.
    #[error("the command was refused: {0}")]
    Refused(#[source] E),
    /// The store failed (a [`StoreError::Conflict`] means: reload and try again).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The aggregate decided an event that its catalog gives to another aggregate type: a bug
    /// of the aggregate (or a wrong [`Aggregate::TYPE`]). Nothing was stored.
    #[error(
        "the aggregate `{aggregate}` decided a `{event_type}` event, which the catalog gives to the aggregate type `{event_aggregate}`; nothing was stored (check `Aggregate::TYPE` and `handle`)"
    )]
    OtherAggregate {
        /// `Aggregate::TYPE`.
        aggregate: &'static str,
        /// The event's eventType.
        event_type: &'static str,
        /// The event's aggregate type by its catalog.
        event_aggregate: &'static str,
    },
}

/// Loads aggregates from a store and appends the events their commands decide.
///
/// ```
/// # #[cfg(feature = "sqlite")]
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use novel_events::novel_engine::{AnyEvent, characters::CharacterDeleted};
/// use novel_events::{Aggregate, Repository, SqliteEventStore};
/// use novel_events::uuid::Uuid;
///
/// // No `Serialize` needed without snapshots.
/// #[derive(Default)]
/// struct Character { deleted: bool }
///
/// #[derive(Debug, thiserror::Error)]
/// #[error("already deleted")]
/// struct AlreadyDeleted;
///
/// impl Aggregate for Character {
///     const TYPE: &'static str = "Character";
///     type Event = AnyEvent;
///     type Command = &'static str; // the reason
///     type Error = AlreadyDeleted;
///     fn apply(&mut self, event: &AnyEvent) {
///         self.deleted |= matches!(event, AnyEvent::CharacterDeleted(_));
///     }
///     fn handle(&self, id: Uuid, reason: &'static str) -> Result<Vec<AnyEvent>, AlreadyDeleted> {
///         if self.deleted {
///             return Err(AlreadyDeleted);
///         }
///         Ok(vec![AnyEvent::from(CharacterDeleted {
///             character_id: id,
///             name: "Oren".into(),
///             deletion_reason: reason.into(),
///             deleted_by: Uuid::nil(),
///         })])
///     }
/// }
///
/// let store = SqliteEventStore::<AnyEvent>::open_in_memory()?;
/// let characters = Repository::<Character, _>::new(store, "character-service");
/// let id = Uuid::new_v4();
/// let events = characters.execute(id, "retired").await?;
/// assert_eq!(events.len(), 1);
/// assert!(characters.execute(id, "again").await.is_err());
/// # Ok(())
/// # }
/// # #[cfg(not(feature = "sqlite"))]
/// # fn main() {}
/// ```
pub struct Repository<A, S> {
    store: S,
    source: String,
    snapshots: Option<Snapshots<A>>,
}

/// How often, and how, a repository snapshots its aggregates' state.
struct Snapshots<A> {
    every: u64,
    encode: fn(&A) -> Result<String, serde_json::Error>,
    decode: fn(&str) -> Result<A, serde_json::Error>,
}

impl<A, S> Repository<A, S>
where
    A: Aggregate,
    S: EventReader<A::Event> + EventAppender<A::Event> + CheckpointStore,
{
    /// A repository whose events are published as from the service `source`.
    pub fn new(store: S, source: impl Into<String>) -> Self {
        Self {
            store,
            source: source.into(),
            snapshots: None,
        }
    }

    /// Saves a snapshot of the state (as JSON) every `events` events, and loads from the
    /// latest one. A snapshot that cannot be saved is logged (`tracing`), not an error of the
    /// command; one that no longer decodes (the state's type changed) is ignored, and the
    /// aggregate is loaded from its events.
    #[must_use]
    pub fn with_snapshots(mut self, events: u64) -> Self
    where
        A: Serialize + DeserializeOwned,
    {
        self.snapshots = Some(Snapshots {
            every: events.max(1),
            encode: |state| serde_json::to_string(state),
            decode: |json| serde_json::from_str(json),
        });
        self
    }

    /// The aggregate's current state and stream version (0 for a new aggregate).
    pub async fn load(&self, id: Uuid) -> Result<(A, u64), StoreError> {
        let (mut state, mut version) = (A::default(), 0);
        if let Some(snapshots) = &self.snapshots
            && let Some((at, json)) = self.store.load_snapshot(id).await?
            && let Ok(snapshot) = (snapshots.decode)(&json)
        {
            state = snapshot;
            version = at;
        }
        for event in self.store.read_stream(id, version + 1).await? {
            state.apply(&event.envelope.payload);
            version = event.stream_version;
        }
        Ok((state, version))
    }

    /// Loads the aggregate `id`, asks it to handle `command`, and appends the resulting
    /// events as root events (a new correlation), expecting the version it loaded: a
    /// concurrent command on the same aggregate makes this one fail with
    /// [`StoreError::Conflict`] (reload and try again).
    pub async fn execute(
        &self,
        id: Uuid,
        command: A::Command,
    ) -> Result<Vec<Envelope<A::Event>>, CommandError<A::Error>> {
        self.run(id, command, None::<&Envelope<A::Event>>).await
    }

    /// [`execute`](Self::execute), the events caused by `cause` (its correlation, and its
    /// eventId as their causation): a command taken from an event.
    pub async fn execute_caused_by<Q>(
        &self,
        id: Uuid,
        command: A::Command,
        cause: &Envelope<Q>,
    ) -> Result<Vec<Envelope<A::Event>>, CommandError<A::Error>> {
        self.run(id, command, Some(cause)).await
    }

    async fn run<Q>(
        &self,
        id: Uuid,
        command: A::Command,
        cause: Option<&Envelope<Q>>,
    ) -> Result<Vec<Envelope<A::Event>>, CommandError<A::Error>> {
        let (mut state, version) = self.load(id).await?;
        let events = state.handle(id, command).map_err(CommandError::Refused)?;
        if let Some(other) = events
            .iter()
            .find(|event| event.aggregate_type() != A::TYPE)
        {
            return Err(CommandError::OtherAggregate {
                aggregate: A::TYPE,
                event_type: other.event_type(),
                event_aggregate: other.aggregate_type(),
            });
        }
        let envelopes: Vec<Envelope<A::Event>> = events
            .into_iter()
            .map(|event| match cause {
                Some(cause) => Envelope::caused_by(cause, event).with_source(self.source.clone()),
                None => Envelope::new(event, self.source.clone()),
            })
            .collect();
        let expected = if version == 0 {
            ExpectedVersion::NoStream
        } else {
            ExpectedVersion::Exactly(version)
        };
        let outcome = self.store.append(id, expected, envelopes.clone()).await?;
        if let (Some(snapshots), AppendOutcome::Appended { stream_version, .. }) =
            (&self.snapshots, outcome)
            && stream_version / snapshots.every > version / snapshots.every
        {
            for envelope in &envelopes {
                state.apply(&envelope.payload);
            }
            // The events are stored: a snapshot that cannot be saved must not fail the command,
            // or a caller retrying it would append its events twice. Loading replays instead.
            let saved = match (snapshots.encode)(&state) {
                Ok(json) => {
                    self.store
                        .save_snapshot(id, A::TYPE, stream_version, json)
                        .await
                }
                Err(error) => Err(StoreError::Database(error.to_string())),
            };
            if let Err(error) = saved {
                tracing::warn!(
                    aggregate_type = A::TYPE,
                    aggregate_id = %id,
                    stream_version,
                    %error,
                    "the snapshot was not saved; the command's events were"
                );
            }
        }
        Ok(envelopes)
    }
}

/// A given/when/then test of an aggregate, without a store.
///
/// ```
/// use novel_events::{Aggregate, AggregateTest};
/// # use novel_events::novel_engine::{AnyEvent, characters::CharacterDeleted};
/// # use uuid::Uuid;
/// #[derive(Default)]
/// struct Character { deleted: bool }
/// #[derive(Debug, thiserror::Error, PartialEq)]
/// #[error("already deleted")]
/// struct AlreadyDeleted;
///
/// impl Aggregate for Character {
///     const TYPE: &'static str = "Character";
///     type Event = AnyEvent;
///     type Command = CharacterDeleted;
///     type Error = AlreadyDeleted;
///     fn apply(&mut self, event: &AnyEvent) {
///         if let AnyEvent::CharacterDeleted(_) = event { self.deleted = true; }
///     }
///     fn handle(&self, _id: Uuid, command: CharacterDeleted) -> Result<Vec<AnyEvent>, AlreadyDeleted> {
///         if self.deleted { Err(AlreadyDeleted) } else { Ok(vec![command.into()]) }
///     }
/// }
///
/// let delete = CharacterDeleted {
///     character_id: Uuid::nil(), name: "Oren".into(), deletion_reason: "x".into(), deleted_by: Uuid::nil(),
/// };
/// AggregateTest::<Character>::given(vec![])
///     .when(delete.clone())
///     .then_expect_events(vec![delete.clone().into()]);
/// AggregateTest::<Character>::given(vec![delete.clone().into()])
///     .when(delete)
///     .then_expect_error(AlreadyDeleted);
/// ```
pub struct AggregateTest<A: Aggregate> {
    id: Uuid,
    state: A,
}

/// The outcome of [`AggregateTest::when`].
pub struct AggregateOutcome<A: Aggregate> {
    result: Result<Vec<A::Event>, A::Error>,
}

impl<A: Aggregate> AggregateTest<A> {
    /// The aggregate after these past events (its id is the nil UUID; see
    /// [`given_for`](Self::given_for)).
    pub fn given(events: Vec<A::Event>) -> Self {
        Self::given_for(Uuid::nil(), events)
    }

    /// The aggregate `id` after these past events.
    pub fn given_for(id: Uuid, events: Vec<A::Event>) -> Self {
        let mut state = A::default();
        for event in &events {
            state.apply(event);
        }
        Self { id, state }
    }

    /// Handles a command. An event of another aggregate type than [`Aggregate::TYPE`] fails
    /// the test, as [`Repository::execute`] would refuse it.
    #[track_caller]
    pub fn when(self, command: A::Command) -> AggregateOutcome<A> {
        let result = self.state.handle(self.id, command);
        if let Ok(events) = &result
            && let Some(other) = events
                .iter()
                .find(|event| event.aggregate_type() != A::TYPE)
        {
            panic!(
                "the aggregate `{}` decided a `{}` event, which the catalog gives to the aggregate type `{}`",
                A::TYPE,
                other.event_type(),
                other.aggregate_type()
            );
        }
        AggregateOutcome { result }
    }
}

impl<A: Aggregate> AggregateOutcome<A>
where
    A::Event: PartialEq + std::fmt::Debug,
    A::Error: std::fmt::Debug,
{
    /// Asserts the command produced exactly these events.
    #[track_caller]
    pub fn then_expect_events(self, expected: Vec<A::Event>) {
        match self.result {
            Ok(events) => assert_eq!(events, expected, "the command produced other events"),
            Err(error) => {
                panic!("expected events {expected:?}, but the command was refused: {error:?}")
            }
        }
    }

    /// Asserts the command was refused with this error.
    #[track_caller]
    pub fn then_expect_error(self, expected: A::Error)
    where
        A::Error: PartialEq,
    {
        match self.result {
            Ok(events) => {
                panic!("expected the error {expected:?}, but the command produced {events:?}")
            }
            Err(error) => assert_eq!(
                error, expected,
                "the command was refused with another error"
            ),
        }
    }
}
