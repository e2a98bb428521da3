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
/// `#[derive(EventSet)]` enum of the events it emits.
/// The state is serializable so that it can be snapshotted.
pub trait Aggregate: Default + Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The aggregate type (`Character`).
    const TYPE: &'static str;
    /// Its events.
    type Event: EventPayload + Clone + Send + Sync + 'static;
    /// What it can be asked to do.
    type Command: Send;
    /// Why a command is refused.
    type Error: std::error::Error + Send + Sync + 'static;

    /// The state after one more event.
    fn apply(&mut self, event: &Self::Event);

    /// The events a command causes, given the current state (no side effects here).
    fn handle(&self, command: Self::Command) -> Result<Vec<Self::Event>, Self::Error>;
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
}

/// Loads aggregates from a store and appends the events their commands decide.
pub struct Repository<A, S> {
    store: S,
    source: String,
    snapshot_every: Option<u64>,
    marker: std::marker::PhantomData<fn() -> A>,
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
            snapshot_every: None,
            marker: std::marker::PhantomData,
        }
    }

    /// Saves a snapshot of the state every `events` events, and loads from the latest one. A
    /// snapshot that cannot be saved is logged (`tracing`), not an error of the command.
    #[must_use]
    pub fn with_snapshots(mut self, events: u64) -> Self {
        self.snapshot_every = Some(events.max(1));
        self
    }

    /// The aggregate's current state and stream version (0 for a new aggregate).
    pub async fn load(&self, id: Uuid) -> Result<(A, u64), StoreError> {
        let (mut state, mut version) = (A::default(), 0);
        if self.snapshot_every.is_some()
            && let Some((at, json)) = self.store.load_snapshot(id).await?
            && let Ok(snapshot) = serde_json::from_str::<A>(&json)
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

    /// Loads the aggregate, asks it to handle `command`, and appends the resulting events
    /// (caused by `cause` when given, else root events), expecting the version it loaded.
    pub async fn execute<Q>(
        &self,
        id: Uuid,
        command: A::Command,
        cause: Option<&Envelope<Q>>,
    ) -> Result<Vec<Envelope<A::Event>>, CommandError<A::Error>> {
        let (mut state, version) = self.load(id).await?;
        let events = state.handle(command).map_err(CommandError::Refused)?;
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
        if let (Some(every), AppendOutcome::Appended { stream_version, .. }) =
            (self.snapshot_every, outcome)
            && stream_version / every > version / every
        {
            for envelope in &envelopes {
                state.apply(&envelope.payload);
            }
            // The events are stored: a snapshot that cannot be saved must not fail the command,
            // or a caller retrying it would append its events twice. Loading replays instead.
            let saved = match serde_json::to_string(&state) {
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
/// #[derive(Default, serde::Serialize, serde::Deserialize)]
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
///     fn handle(&self, command: CharacterDeleted) -> Result<Vec<AnyEvent>, AlreadyDeleted> {
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
    state: A,
}

/// The outcome of [`AggregateTest::when`].
pub struct AggregateOutcome<A: Aggregate> {
    result: Result<Vec<A::Event>, A::Error>,
}

impl<A: Aggregate> AggregateTest<A> {
    /// The aggregate after these past events.
    pub fn given(events: Vec<A::Event>) -> Self {
        let mut state = A::default();
        for event in &events {
            state.apply(event);
        }
        Self { state }
    }

    /// Handles a command.
    pub fn when(self, command: A::Command) -> AggregateOutcome<A> {
        AggregateOutcome {
            result: self.state.handle(command),
        }
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
