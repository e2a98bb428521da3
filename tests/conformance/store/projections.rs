//! Projections: catch-up, replay, a refused event, following live.

use std::collections::BTreeMap;
use std::time::Duration;

use novel_events::novel_engine::AnyEvent;
use novel_events::store::projection::{self, ProjectionError};
use novel_events::{HandlerError, Projection, StoredEvent};
use uuid::Uuid;

use super::Store;
use super::events::*;
use super::store_calls::*;

// Projections.

/// A read model: events per type and relationships per character, and every position
/// applied (to see each applied once).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Tally {
    name: String,
    by_type: BTreeMap<&'static str, usize>,
    relationships: BTreeMap<Uuid, usize>,
    positions: Vec<u64>,
    /// Refuses the event at this position.
    refuse: Option<u64>,
}

impl Tally {
    fn named(name: &str) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// The read model, without the name and the test's knobs.
    fn model(
        &self,
    ) -> (
        &BTreeMap<&'static str, usize>,
        &BTreeMap<Uuid, usize>,
        &[u64],
    ) {
        (&self.by_type, &self.relationships, &self.positions)
    }
}

impl Projection<AnyEvent> for Tally {
    fn name(&self) -> &str {
        &self.name
    }

    fn apply(&mut self, event: &StoredEvent<AnyEvent>) -> Result<(), HandlerError> {
        if self.refuse == Some(event.position) {
            return Err(HandlerError::permanent("refused on purpose"));
        }
        *self.by_type.entry(event.envelope.event_type()).or_default() += 1;
        if let AnyEvent::CharacterRelationshipFormed(relationship) = &event.envelope.payload {
            *self
                .relationships
                .entry(relationship.character_id)
                .or_default() += 1;
        }
        self.positions.push(event.position);
        Ok(())
    }
}

/// Appends `count` events over two characters; returns them.
async fn some_events<S: Store>(store: &S, count: usize) -> Vec<Env> {
    let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
    let mut events = Vec::new();
    for index in 0..count {
        let event = match index % 3 {
            0 => root(related(a, b, 0.5)),
            1 => root(related(b, a, 0.25)),
            _ => root(skill(a, index as i64)),
        };
        append(store, vec![event.clone()]).await;
        events.push(event);
    }
    events
}

pub async fn projection_catch_up_applies_each_event_once<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    some_events(&store, 7).await;
    let mut tally = Tally::named("tally");
    let applied = projection::catch_up(&store, &mut tally)
        .await
        .expect("catch_up");
    assert_eq!(applied, 7);
    assert_eq!(tally.positions, (1..=7).collect::<Vec<u64>>());
    assert_eq!(store.load_checkpoint("tally").await.expect("load"), 7);
    assert_eq!(tally.by_type["characters.character.relationship-formed"], 5);
    assert_eq!(tally.by_type["characters.character.skill-gained"], 2);

    // Nothing new: nothing applied.
    assert_eq!(
        projection::catch_up(&store, &mut tally)
            .await
            .expect("catch_up"),
        0
    );
    some_events(&store, 4).await;
    assert_eq!(
        projection::catch_up(&store, &mut tally)
            .await
            .expect("catch_up"),
        4
    );
    assert_eq!(tally.positions, (1..=11).collect::<Vec<u64>>());
    assert_eq!(store.load_checkpoint("tally").await.expect("load"), 11);
    // Another projection has its own checkpoint.
    assert_eq!(store.load_checkpoint("other").await.expect("load"), 0);
}

pub async fn projection_replay_rebuilds_the_same_read_model<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    some_events(&store, 9).await;
    let mut live = Tally::named("tally");
    projection::catch_up(&store, &mut live)
        .await
        .expect("catch_up");
    some_events(&store, 3).await;
    projection::catch_up(&store, &mut live)
        .await
        .expect("catch_up");

    let mut rebuilt = Tally::named("tally");
    let applied = projection::replay(&store, &mut rebuilt)
        .await
        .expect("replay");
    assert_eq!(applied, 12);
    assert_eq!(rebuilt.model(), live.model());
    assert_eq!(store.load_checkpoint("tally").await.expect("load"), 12);
    assert_eq!(rebuilt.positions, (1..=12).collect::<Vec<u64>>());
}

/// A projection that refuses an event stops there, its checkpoint just before it; run again,
/// it applies each remaining event once.
pub async fn a_refused_event_stops_a_projection_just_before_it<S: Store>(
    make: impl AsyncFn() -> S,
) {
    let store = make().await;
    some_events(&store, 6).await;
    let mut tally = Tally::named("tally");
    tally.refuse = Some(4);
    let error = projection::catch_up(&store, &mut tally)
        .await
        .expect_err("refused at 4");
    match &error {
        ProjectionError::Apply {
            projection,
            position,
            ..
        } => assert_eq!((projection.as_str(), *position), ("tally", 4)),
        other => panic!("expected an apply error, got {other:?}"),
    }
    assert!(error.to_string().contains("position 4"), "{error}");
    assert_eq!(tally.positions, [1, 2, 3]);
    assert_eq!(store.load_checkpoint("tally").await.expect("load"), 3);

    tally.refuse = None;
    assert_eq!(
        projection::catch_up(&store, &mut tally)
            .await
            .expect("catch_up"),
        3
    );
    assert_eq!(
        tally.positions,
        [1, 2, 3, 4, 5, 6],
        "each event applied once"
    );
    assert_eq!(store.load_checkpoint("tally").await.expect("load"), 6);

    // Refusing the first event after the checkpoint leaves it where it was.
    some_events(&store, 2).await;
    tally.refuse = Some(7);
    projection::catch_up(&store, &mut tally)
        .await
        .expect_err("refused at 7");
    assert_eq!(store.load_checkpoint("tally").await.expect("load"), 6);
}

async fn wait_for_checkpoint<S: Store>(store: &S, projection: &str, position: u64) {
    within("the projection's checkpoint", async {
        while store.load_checkpoint(projection).await.expect("load") < position {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
}

pub async fn follow_continues_live_until_stopped<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    some_events(&store, 3).await;
    let mut tally = Tally::named("follower");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let driver = async {
        wait_for_checkpoint(&store, "follower", 3).await;
        some_events(&store, 2).await;
        wait_for_checkpoint(&store, "follower", 5).await;
        stop.send(()).expect("follow runs");
    };
    let (applied, ()) = within("follow", async {
        tokio::join!(
            projection::follow(store.clone(), &mut tally, async {
                let _ = stopped.await;
            }),
            driver
        )
    })
    .await;
    assert_eq!(applied.expect("follow"), 5);
    assert_eq!(tally.positions, [1, 2, 3, 4, 5]);
    assert_eq!(store.load_checkpoint("follower").await.expect("load"), 5);

    // Stopped, it misses nothing: the next run starts at its checkpoint.
    some_events(&store, 2).await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let driver = async {
        wait_for_checkpoint(&store, "follower", 7).await;
        stop.send(()).expect("follow runs");
    };
    let (applied, ()) = within("follow", async {
        tokio::join!(
            projection::follow(store.clone(), &mut tally, async {
                let _ = stopped.await;
            }),
            driver
        )
    })
    .await;
    assert_eq!(applied.expect("follow"), 2);
    assert_eq!(tally.positions, [1, 2, 3, 4, 5, 6, 7]);
}
