//! Checkpoints, snapshots and aggregates executed through a `Repository`.

use std::sync::Arc;

use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::campaigns::CampaignCreated;
use novel_events::{
    Aggregate, AppendOutcome, CheckpointStore, CommandError, EventAppender, EventReader,
    ExpectedVersion, Repository, StoreError, StoredEvent,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Store;
use super::events::*;
use super::store_calls::*;

// Checkpoints, snapshots and aggregates.

pub async fn checkpoints_and_snapshots_are_kept_per_key<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    assert_eq!(store.load_checkpoint("ledger").await.expect("load"), 0);
    store.save_checkpoint("ledger", 5).await.expect("save");
    store.save_checkpoint("audit", 7).await.expect("save");
    assert_eq!(store.load_checkpoint("ledger").await.expect("load"), 5);
    assert_eq!(store.load_checkpoint("audit").await.expect("load"), 7);
    // A replay moves a checkpoint back.
    store.save_checkpoint("ledger", 0).await.expect("save");
    assert_eq!(store.load_checkpoint("ledger").await.expect("load"), 0);

    let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
    assert_eq!(store.load_snapshot(a).await.expect("load"), None);
    store
        .save_snapshot(a, "Character", 3, "{\"at\":3}".into())
        .await
        .expect("save");
    assert_eq!(
        store.load_snapshot(a).await.expect("load"),
        Some((3, "{\"at\":3}".to_owned()))
    );
    store
        .save_snapshot(a, "Character", 6, "{\"at\":6}".into())
        .await
        .expect("save");
    // A slower writer's older snapshot does not replace the latest.
    store
        .save_snapshot(a, "Character", 4, "{\"at\":4}".into())
        .await
        .expect("save");
    assert_eq!(
        store.load_snapshot(a).await.expect("load"),
        Some((6, "{\"at\":6}".to_owned()))
    );
    assert_eq!(store.load_snapshot(b).await.expect("load"), None);
}

/// A character that counts its relationships.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Character {
    pub id: Option<Uuid>,
    pub name: String,
    pub relationships: Vec<Uuid>,
    pub deleted: bool,
}

/// What a [`Character`] can be asked.
#[derive(Debug, Clone)]
pub enum CharacterCommand {
    Create {
        name: String,
    },
    /// A bug on purpose: decides an event of another aggregate type.
    Misfile,
    Relate {
        with: Uuid,
        strength: f64,
    },
    Delete,
}

/// Why a [`Character`] refuses.
#[derive(Debug, Clone, PartialEq)]
pub enum CharacterError {
    AlreadyCreated,
    NotCreated,
    AlreadyRelated(Uuid),
    Deleted,
}

impl std::fmt::Display for CharacterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CharacterError::AlreadyCreated => f.write_str("the character exists"),
            CharacterError::NotCreated => f.write_str("no such character"),
            CharacterError::AlreadyRelated(other) => write!(f, "already related to {other}"),
            CharacterError::Deleted => f.write_str("the character was deleted"),
        }
    }
}

impl std::error::Error for CharacterError {}

impl Aggregate for Character {
    const TYPE: &'static str = "Character";
    type Event = AnyEvent;
    type Command = CharacterCommand;
    type Error = CharacterError;

    fn apply(&mut self, event: &AnyEvent) {
        match event {
            AnyEvent::CharacterCreated(created) => {
                self.id = Some(created.character_id);
                self.name.clone_from(&created.name);
            }
            AnyEvent::CharacterRelationshipFormed(relationship) => {
                self.relationships.push(relationship.related_character_id);
            }
            AnyEvent::CharacterDeleted(_) => self.deleted = true,
            _ => {}
        }
    }

    fn handle(&self, id: Uuid, command: CharacterCommand) -> Result<Vec<AnyEvent>, CharacterError> {
        if self.deleted {
            return Err(CharacterError::Deleted);
        }
        match (command, self.id) {
            (CharacterCommand::Create { .. }, Some(_)) => Err(CharacterError::AlreadyCreated),
            (CharacterCommand::Create { name }, None) => Ok(vec![created(id, &name)]),
            (CharacterCommand::Misfile, _) => Ok(vec![AnyEvent::from(CampaignCreated {
                campaign_id: id,
                name: "misfiled".into(),
                description: "a campaign event from a character".into(),
                configuration: serde_json::Map::new(),
                created_by: id,
                initial_participants: vec![],
                world_state: serde_json::Map::new(),
            })]),
            (_, None) => Err(CharacterError::NotCreated),
            (CharacterCommand::Relate { with, .. }, Some(_))
                if self.relationships.contains(&with) =>
            {
                Err(CharacterError::AlreadyRelated(with))
            }
            (CharacterCommand::Relate { with, strength }, Some(id)) => {
                Ok(vec![related(id, with, strength)])
            }
            (CharacterCommand::Delete, Some(id)) => Ok(vec![deleted(id)]),
        }
    }
}

/// Snapshots every 3 events: after 7, the latest is at version 6, and loading from it gives
/// the state a full replay gives.
pub async fn snapshots_every_three_events_load_the_same_state<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    let id = Uuid::new_v4();
    let snapshotting = Repository::<Character, _>::new(store.clone(), SOURCE).with_snapshots(3);
    let plain = Repository::<Character, _>::new(store.clone(), SOURCE);
    snapshotting
        .execute(
            id,
            CharacterCommand::Create {
                name: "Mira".into(),
            },
        )
        .await
        .expect("create");
    let others: Vec<Uuid> = (0..6).map(|_| Uuid::new_v4()).collect();
    for (index, other) in others.iter().enumerate() {
        let events = snapshotting
            .execute(
                id,
                CharacterCommand::Relate {
                    with: *other,
                    strength: 0.5,
                },
            )
            .await
            .expect("relate");
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].metadata.source, SOURCE);
        let snapshot = store.load_snapshot(id).await.expect("load_snapshot");
        let expected_at = match index + 2 {
            0..3 => None,
            3..6 => Some(3),
            _ => Some(6),
        };
        assert_eq!(
            snapshot.as_ref().map(|(version, _)| *version),
            expected_at,
            "the snapshot after {} events",
            index + 2
        );
    }
    let (version, json) = store
        .load_snapshot(id)
        .await
        .expect("load_snapshot")
        .expect("a snapshot");
    assert_eq!(version, 6);
    let at_six: Character = serde_json::from_str(&json).expect("the snapshot is the state");
    assert_eq!(at_six.relationships, others[..5]);
    assert_eq!(at_six.id, Some(id));

    let (replayed, replayed_version) = plain.load(id).await.expect("load");
    let (from_snapshot, snapshot_version) = snapshotting.load(id).await.expect("load");
    assert_eq!((replayed_version, snapshot_version), (7, 7));
    assert_eq!(from_snapshot, replayed);
    assert_eq!(replayed.relationships, others);

    // Loading does use the snapshot: a planted one shows.
    let planted = Character {
        name: "from the snapshot".into(),
        ..replayed.clone()
    };
    store
        .save_snapshot(
            id,
            Character::TYPE,
            7,
            serde_json::to_string(&planted).expect("state encodes"),
        )
        .await
        .expect("save_snapshot");
    assert_eq!(snapshotting.load(id).await.expect("load"), (planted, 7));
    assert_eq!(plain.load(id).await.expect("load"), (replayed, 7));
    // A snapshot that no longer decodes is ignored: the stream is replayed.
    store
        .save_snapshot(id, Character::TYPE, 8, "{\"not\": \"a character\"}".into())
        .await
        .expect("save_snapshot");
    let (state, version) = snapshotting.load(id).await.expect("load");
    assert_eq!((state.relationships.len(), version), (6, 7));
}

/// A store whose appends wait at a barrier, so that concurrent commands are sure to have
/// loaded the same version; and whose snapshots may fail to save.
#[derive(Clone)]
struct Gate<S> {
    inner: S,
    barrier: Option<Arc<tokio::sync::Barrier>>,
    refuse_snapshots: bool,
}

impl<S: Store> EventReader<AnyEvent> for Gate<S> {
    async fn read_stream(
        &self,
        aggregate_id: Uuid,
        from_version: u64,
    ) -> Result<Vec<StoredEvent<AnyEvent>>, StoreError> {
        self.inner.read_stream(aggregate_id, from_version).await
    }

    async fn read_all(
        &self,
        after: u64,
        limit: usize,
    ) -> Result<Vec<StoredEvent<AnyEvent>>, StoreError> {
        self.inner.read_all(after, limit).await
    }

    async fn read_correlation(
        &self,
        correlation_id: Uuid,
    ) -> Result<Vec<StoredEvent<AnyEvent>>, StoreError> {
        self.inner.read_correlation(correlation_id).await
    }

    async fn read_event(
        &self,
        event_id: Uuid,
    ) -> Result<Option<StoredEvent<AnyEvent>>, StoreError> {
        self.inner.read_event(event_id).await
    }

    async fn last_position(&self) -> Result<u64, StoreError> {
        self.inner.last_position().await
    }

    fn watch_position(&self) -> tokio::sync::watch::Receiver<u64> {
        self.inner.watch_position()
    }
}

impl<S: Store> EventAppender<AnyEvent> for Gate<S> {
    async fn append(
        &self,
        aggregate_id: Uuid,
        expected: ExpectedVersion,
        events: Vec<Env>,
    ) -> Result<AppendOutcome, StoreError> {
        if let Some(barrier) = &self.barrier {
            barrier.wait().await;
        }
        self.inner.append(aggregate_id, expected, events).await
    }
}

impl<S: Store> CheckpointStore for Gate<S> {
    async fn load_checkpoint(&self, projection: &str) -> Result<u64, StoreError> {
        self.inner.load_checkpoint(projection).await
    }

    async fn save_checkpoint(&self, projection: &str, position: u64) -> Result<(), StoreError> {
        self.inner.save_checkpoint(projection, position).await
    }

    async fn load_snapshot(&self, aggregate_id: Uuid) -> Result<Option<(u64, String)>, StoreError> {
        self.inner.load_snapshot(aggregate_id).await
    }

    async fn save_snapshot(
        &self,
        aggregate_id: Uuid,
        aggregate_type: &str,
        version: u64,
        state: String,
    ) -> Result<(), StoreError> {
        if self.refuse_snapshots {
            return Err(StoreError::Full {
                message: "snapshots refused on purpose".into(),
            });
        }
        self.inner
            .save_snapshot(aggregate_id, aggregate_type, version, state)
            .await
    }
}

/// Two commands decided on the same version: one is appended, the other gets a conflict
/// and succeeds when executed again.
pub async fn concurrent_executes_conflict<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    let id = Uuid::new_v4();
    let plain = Repository::<Character, _>::new(store.clone(), SOURCE).with_snapshots(3);
    plain
        .execute(
            id,
            CharacterCommand::Create {
                name: "Mira".into(),
            },
        )
        .await
        .expect("create");
    let gate = Gate {
        inner: store.clone(),
        barrier: Some(Arc::new(tokio::sync::Barrier::new(2))),
        refuse_snapshots: false,
    };
    let first = Repository::<Character, _>::new(gate.clone(), "first").with_snapshots(3);
    let second = Repository::<Character, _>::new(gate, "second").with_snapshots(3);
    let [x, y] = [Uuid::new_v4(), Uuid::new_v4()];
    let relate = |with| CharacterCommand::Relate {
        with,
        strength: 0.3,
    };
    let (one, two) = within("two commands", async {
        tokio::join!(first.execute(id, relate(x)), second.execute(id, relate(y)))
    })
    .await;
    let (winner, loser) = match (one, two) {
        (Ok(_), Err(error)) => (x, (y, error)),
        (Err(error), Ok(_)) => (y, (x, error)),
        (one, two) => panic!("expected one success and one conflict, got {one:?} and {two:?}"),
    };
    assert!(
        matches!(
            loser.1,
            CommandError::Store(StoreError::Conflict { aggregate_id, expected: 1, actual: 2 })
                if aggregate_id == id
        ),
        "{:?}",
        loser.1
    );
    let (state, version) = plain.load(id).await.expect("load");
    assert_eq!((state.relationships, version), (vec![winner], 2));
    // Executed again, the command sees the new version.
    plain.execute(id, relate(loser.0)).await.expect("the retry");
    let (state, version) = plain.load(id).await.expect("load");
    assert_eq!((state.relationships, version), (vec![winner, loser.0], 3));
    assert_eq!(
        store
            .load_snapshot(id)
            .await
            .expect("load_snapshot")
            .map(|(v, _)| v),
        Some(3)
    );
}

/// The events of a command are stored whether or not its snapshot can be saved: the
/// command succeeds (were it to fail, a retry would append its events twice).
pub async fn a_snapshot_that_cannot_be_saved_does_not_fail_the_command<S: Store>(
    make: impl AsyncFn() -> S,
) {
    let store = make().await;
    let id = Uuid::new_v4();
    let gate = Gate {
        inner: store.clone(),
        barrier: None,
        refuse_snapshots: true,
    };
    let repository = Repository::<Character, _>::new(gate, SOURCE).with_snapshots(1);
    let events = repository
        .execute(
            id,
            CharacterCommand::Create {
                name: "Mira".into(),
            },
        )
        .await
        .expect("the command succeeds without its snapshot");
    assert_eq!(
        envelopes(&store.read_stream(id, 1).await.expect("read_stream")),
        events
    );
    assert_eq!(store.load_snapshot(id).await.expect("load_snapshot"), None);
    let (state, version) = repository.load(id).await.expect("load");
    assert_eq!((state.name.as_str(), version), ("Mira", 1));
}

pub async fn a_refused_command_writes_nothing<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    let id = Uuid::new_v4();
    let repository = Repository::<Character, _>::new(store.clone(), SOURCE);
    let error = repository
        .execute(
            id,
            CharacterCommand::Relate {
                with: Uuid::new_v4(),
                strength: 0.5,
            },
        )
        .await
        .expect_err("not created");
    assert!(
        matches!(error, CommandError::Refused(CharacterError::NotCreated)),
        "{error:?}"
    );
    assert_eq!(store.last_position().await.expect("last_position"), 0);

    // Events caused by another event join its flow.
    let cause = root(skill(Uuid::new_v4(), 1));
    let events = repository
        .execute_caused_by(
            id,
            CharacterCommand::Create {
                name: "Mira".into(),
            },
            &cause,
        )
        .await
        .expect("create");
    assert_eq!(events[0].correlation_id, cause.correlation_id);
    assert_eq!(events[0].causation_id, cause.event_id);
    assert_eq!(events[0].metadata.source, SOURCE);
    let error = repository
        .execute(
            id,
            CharacterCommand::Create {
                name: "Mira".into(),
            },
        )
        .await
        .expect_err("already created");
    assert!(
        matches!(error, CommandError::Refused(CharacterError::AlreadyCreated)),
        "{error:?}"
    );
    let stream = store.read_stream(id, 1).await.expect("read_stream");
    assert_eq!(envelopes(&stream), events);

    // An event of another aggregate type is a bug of the aggregate, refused before the store.
    let position = store.last_position().await.expect("last_position");
    let error = repository
        .execute(id, CharacterCommand::Misfile)
        .await
        .expect_err("another aggregate's event");
    assert!(
        matches!(
            error,
            CommandError::OtherAggregate {
                aggregate: "Character",
                event_type: "campaigns.campaign.created",
                event_aggregate: "Campaign",
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("Aggregate::TYPE"), "{error}");
    assert_eq!(
        store.last_position().await.expect("last_position"),
        position
    );
}
