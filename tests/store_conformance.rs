//! The conformance suite of event stores.
//!
//! Every function of [`suite`] is generic over the store: it takes `make: impl Fn() -> S`, which
//! opens a fresh, empty store, for any `S: EventStore<AnyEvent> + CheckpointStore + Clone`. The
//! upcasting functions take `make: impl Fn(Upcasters) -> W` instead, a fresh store of the
//! workshop catalog's events reading with those upcasters. [`conformance_suite!`] turns the
//! whole suite into one `#[tokio::test]` per function; it is instantiated below for
//! [`SqliteEventStore`] on a file in a temporary directory, and another backend adds one module:
//!
//! ```ignore
//! mod postgres {
//!     conformance_suite! {
//!         scratch: |test: &str| FreshSchema::new(test),
//!         store: |schema: &FreshSchema| PgEventStore::<AnyEvent>::connect(schema.url()),
//!         workshop_store: |schema: &FreshSchema, upcasters| PgEventStore::connect_with(schema.url(), upcasters),
//!     }
//! }
//! ```
//!
//! `scratch` is built once per test from the test's name and dropped after it (here: a
//! directory, removed with the files of every store opened in it).
//!
//! The SQLite-only promises (exactly-once `SqliteProjection`s in the store's own database) are
//! tested at the end of this file; the store's failure modes (damaged files, full disks,
//! undecodable rows) in `store_faults.rs`.

/// One `#[tokio::test]` per suite function, for the stores `store` and `workshop_store` open.
macro_rules! conformance_suite {
    (
        scratch: $scratch:expr,
        store: $store:expr,
        workshop_store: $workshop:expr $(,)?
    ) => {
        conformance_suite! {
            test: #[tokio::test],
            scratch: $scratch,
            store: $store,
            workshop_store: $workshop,
        }
    };
    (
        test: #[$test:meta],
        scratch: $scratch:expr,
        store: $store:expr,
        workshop_store: $workshop:expr $(,)?
    ) => {
        conformance_suite!(
            @store #[$test] $scratch, $store;
            append_and_read_back_equal_envelopes,
            a_batch_is_numbered_in_order,
            no_stream_on_an_existing_stream_conflicts,
            a_wrong_expected_version_conflicts_naming_both_versions,
            concurrent_appenders_one_winner_per_version,
            concurrent_appenders_that_retry_lose_nothing,
            appending_the_same_events_again_stores_nothing,
            a_mix_of_stored_and_new_events_is_refused_whole,
            positions_are_global_contiguous_and_paged,
            read_stream_from_a_version,
            read_correlation_returns_a_flow_in_log_order,
            read_event_and_last_position,
            an_append_mixing_aggregates_is_refused,
            an_invalid_payload_is_refused_and_nothing_is_stored,
            catch_up_subscription_delivers_stored_then_live_events,
            an_append_its_caller_gave_up_on_still_wakes_subscribers,
            checkpoints_and_snapshots_are_kept_per_key,
            snapshots_every_three_events_load_the_same_state,
            concurrent_executes_conflict,
            a_snapshot_that_cannot_be_saved_does_not_fail_the_command,
            a_refused_command_writes_nothing,
            projection_catch_up_applies_each_event_once,
            projection_replay_rebuilds_the_same_read_model,
            a_refused_event_stops_a_projection_just_before_it,
            follow_continues_live_until_stopped,
            lineage_of_a_flow_is_its_causation_tree,
        );
        conformance_suite!(
            @workshop #[$test] $scratch, $workshop;
            upcasting_reads_an_old_version_as_the_newest,
            a_failing_upcaster_makes_the_event_undecodable,
            without_an_upcaster_an_old_version_reads_as_stored,
        );
    };
    (@store #[$attribute:meta] $scratch:expr, $make:expr; $($test:ident),* $(,)?) => {
        $(
            #[$attribute]
            async fn $test() {
                let scratch = ($scratch)(stringify!($test));
                let make = $make;
                crate::suite::$test(|| make(&scratch)).await;
            }
        )*
    };
    (@workshop #[$attribute:meta] $scratch:expr, $make:expr; $($test:ident),* $(,)?) => {
        $(
            #[$attribute]
            async fn $test() {
                let scratch = ($scratch)(stringify!($test));
                let make = $make;
                crate::suite::$test(|upcasters| make(&scratch, upcasters)).await;
            }
        )*
    };
}

/// The workshop catalog: `OrderPlaced` 1.0.0 and 2.0.0, for upcasting.
pub mod workshop {
    novel_events::include_catalog!("catalogs/workshop.yaml");
}

/// A directory of its own per test, removed with its files when dropped.
pub mod scratch {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A temporary directory; [`Scratch::file`] names a new database file in it.
    pub struct Scratch {
        dir: PathBuf,
        files: AtomicUsize,
    }

    impl Scratch {
        /// A new, empty directory named after the test.
        pub fn new(test: &str) -> Self {
            let dir = std::env::temp_dir().join(format!(
                "novel-events-store-conformance-{test}-{}-{}",
                std::process::id(),
                uuid::Uuid::new_v4().simple()
            ));
            std::fs::create_dir_all(&dir)
                .unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
            Self {
                dir,
                files: AtomicUsize::new(0),
            }
        }

        /// The directory.
        pub fn dir(&self) -> &Path {
            &self.dir
        }

        /// A database file not used yet.
        pub fn file(&self) -> PathBuf {
            self.dir.join(format!(
                "store-{}.db",
                self.files.fetch_add(1, Ordering::SeqCst)
            ))
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

mod sqlite {
    use novel_events::novel_engine::AnyEvent;
    use novel_events::{SqliteEventStore, StoreOptions, Upcasters};

    use crate::scratch::Scratch;

    conformance_suite! {
        scratch: Scratch::new,
        store: |scratch: &Scratch| {
            SqliteEventStore::<AnyEvent>::open(scratch.file()).expect("a new store opens")
        },
        workshop_store: |scratch: &Scratch, upcasters: Upcasters| {
            SqliteEventStore::<crate::workshop::AnyEvent>::open_with(
                scratch.file(),
                StoreOptions { upcasters, ..StoreOptions::default() },
            )
            .expect("a new store opens")
        },
    }
}

/// The suite: each function opens its stores with `make` and checks one promise of the
/// [`EventStore`] contract (with [`CheckpointStore`], [`Repository`], projections and lineage,
/// which are built on it).
pub mod suite {
    use std::collections::{BTreeMap, HashMap, HashSet};
    use std::future::Future;
    use std::sync::Arc;
    use std::time::Duration;

    use novel_events::novel_engine::AnyEvent;
    use novel_events::novel_engine::characters::{
        AcquisitionMethod, CharacterCreated, CharacterDeleted, CharacterRelationshipFormed,
        CharacterSkillGained, CharacterType, PersonalityTraits, RelationshipType,
    };
    use novel_events::projection::{self, ProjectionError};
    use novel_events::{
        Aggregate, AppendOutcome, CatchUp, CheckpointStore, CommandError, Envelope, EventAppender,
        EventReader, EventStore, ExpectedVersion, HandlerError, Projection, Repository, StoreError,
        StoredEvent, Upcasters, lineage,
    };
    use serde::{Deserialize, Serialize};
    use serde_json::{Value, json};
    use uuid::Uuid;

    use crate::workshop;

    /// What the suite needs of a store.
    pub trait Store: EventStore<AnyEvent> + CheckpointStore + Clone + 'static {}
    impl<S: EventStore<AnyEvent> + CheckpointStore + Clone + 'static> Store for S {}

    /// What the upcasting functions need of a store of the workshop's events.
    pub trait WorkshopStore: EventStore<workshop::AnyEvent> + Clone + 'static {}
    impl<S: EventStore<workshop::AnyEvent> + Clone + 'static> WorkshopStore for S {}

    type Env = Envelope<AnyEvent>;

    const SOURCE: &str = "store-conformance";

    // ----------------------------------------------------------------------------------------
    // Events.

    pub(crate) fn created(character: Uuid, name: &str) -> AnyEvent {
        AnyEvent::from(CharacterCreated {
            character_id: character,
            name: name.into(),
            r#type: CharacterType::Protagonist,
            personality_traits: PersonalityTraits {
                openness: 0.8,
                conscientiousness: 0.6,
                extraversion: 0.4,
                agreeableness: 0.7,
                neuroticism: 0.2,
            },
            background: "A cartographer of drowned cities.".into(),
            configuration: serde_json::Map::new(),
            created_by: Uuid::from_u128(7),
        })
    }

    pub(crate) fn related(character: Uuid, other: Uuid, strength: f64) -> AnyEvent {
        AnyEvent::from(CharacterRelationshipFormed {
            character_id: character,
            related_character_id: other,
            relationship_type: RelationshipType::Ally,
            relationship_strength: strength,
            context: "shared a campfire".into(),
            formation_event: "the storm at Gull Point".into(),
        })
    }

    pub(crate) fn skill(character: Uuid, level: i64) -> AnyEvent {
        AnyEvent::from(CharacterSkillGained {
            character_id: character,
            skill_name: "cartography".into(),
            skill_level: level,
            acquisition_method: AcquisitionMethod::Training,
            context: "mapped the sunken quarter".into(),
        })
    }

    pub(crate) fn deleted(character: Uuid) -> AnyEvent {
        AnyEvent::from(CharacterDeleted {
            character_id: character,
            name: "Oren".into(),
            deletion_reason: "retired".into(),
            deleted_by: Uuid::from_u128(7),
        })
    }

    pub(crate) fn root(payload: AnyEvent) -> Env {
        Envelope::new(payload, SOURCE)
    }

    /// The 26 hand-written Novel Engine envelopes, with their JSON.
    fn fixtures() -> Vec<(Env, Value)> {
        novel_events_tests::novel_engine_fixtures()
            .into_iter()
            .map(|(name, text)| {
                let envelope: Env = serde_json::from_str(&text)
                    .unwrap_or_else(|error| panic!("fixture {name}: {error}"));
                let json: Value = serde_json::from_str(&text).expect("fixtures are JSON");
                (envelope, json)
            })
            .collect()
    }

    // ----------------------------------------------------------------------------------------
    // Helpers.

    /// Fails the test instead of hanging it.
    async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
        tokio::time::timeout(Duration::from_secs(30), future)
            .await
            .unwrap_or_else(|_| panic!("timed out: {what}"))
    }

    /// Appends events to their aggregate's stream, whatever its version; returns the outcome.
    async fn append<S: Store>(store: &S, events: Vec<Env>) -> AppendOutcome {
        let aggregate = events[0].aggregate_id;
        store
            .append(aggregate, ExpectedVersion::Any, events)
            .await
            .unwrap_or_else(|error| panic!("append failed: {error}"))
    }

    /// The (stream version, position) of an append that must have appended.
    fn appended(outcome: AppendOutcome) -> (u64, u64) {
        match outcome {
            AppendOutcome::Appended {
                stream_version,
                position,
            } => (stream_version, position),
            other => panic!("expected the events to be appended, got {other:?}"),
        }
    }

    fn envelopes(events: &[StoredEvent<AnyEvent>]) -> Vec<Env> {
        events.iter().map(|event| event.envelope.clone()).collect()
    }

    fn positions<P>(events: &[StoredEvent<P>]) -> Vec<u64> {
        events.iter().map(|event| event.position).collect()
    }

    fn versions<P>(events: &[StoredEvent<P>]) -> Vec<u64> {
        events.iter().map(|event| event.stream_version).collect()
    }

    async fn everything<S: Store>(store: &S) -> Vec<StoredEvent<AnyEvent>> {
        store.read_all(0, usize::MAX).await.expect("the log reads")
    }

    // ----------------------------------------------------------------------------------------
    // Appending and reading.

    /// Every hand-written fixture goes in and comes back equal, by every read, and encodes to
    /// the fixture's JSON again.
    pub async fn append_and_read_back_equal_envelopes<S: Store>(make: impl Fn() -> S) {
        let store = make();
        let fixtures = fixtures();
        assert_eq!(fixtures.len(), 26, "the 26 Novel Engine fixtures");
        let mut stream_versions: HashMap<Uuid, u64> = HashMap::new();
        for (index, (envelope, _)) in fixtures.iter().enumerate() {
            let version = stream_versions.entry(envelope.aggregate_id).or_default();
            *version += 1;
            let outcome = append(&store, vec![envelope.clone()]).await;
            assert_eq!(
                outcome,
                AppendOutcome::Appended {
                    stream_version: *version,
                    position: index as u64 + 1
                },
                "appending {}",
                envelope.event_type()
            );
        }

        let all = everything(&store).await;
        assert_eq!(positions(&all), (1..=26).collect::<Vec<u64>>());
        for (stored, (envelope, json)) in all.iter().zip(&fixtures) {
            assert_eq!(
                &stored.envelope,
                envelope,
                "read_all of {}",
                envelope.event_type()
            );
            assert_eq!(
                &serde_json::to_value(&stored.envelope).expect("envelopes encode"),
                json,
                "{} read back encodes to its fixture",
                envelope.event_type()
            );
            let one = store
                .read_event(envelope.event_id)
                .await
                .expect("read_event")
                .unwrap_or_else(|| panic!("{} is stored", envelope.event_id));
            assert_eq!(&one, stored, "read_event of {}", envelope.event_type());
        }
        for (aggregate, count) in &stream_versions {
            let stream = store.read_stream(*aggregate, 1).await.expect("read_stream");
            assert_eq!(versions(&stream), (1..=*count).collect::<Vec<u64>>());
            let expected: Vec<Env> = fixtures
                .iter()
                .map(|(envelope, _)| envelope)
                .filter(|envelope| envelope.aggregate_id == *aggregate)
                .cloned()
                .collect();
            assert_eq!(envelopes(&stream), expected, "stream of {aggregate}");
        }
        // Campaign 4f5e6d7c has CampaignCreated, CampaignStarted, SessionStarted and
        // WorldStateChanged among the fixtures.
        assert!(stream_versions.values().any(|count| *count >= 4));
    }

    /// One append of several events gives them consecutive versions and positions.
    pub async fn a_batch_is_numbered_in_order<S: Store>(make: impl Fn() -> S) {
        let store = make();
        let character = Uuid::new_v4();
        let batch = vec![
            root(created(character, "Mira")),
            root(skill(character, 1)),
            root(skill(character, 2)),
        ];
        let outcome = store
            .append(character, ExpectedVersion::NoStream, batch.clone())
            .await
            .expect("append");
        assert_eq!(
            outcome,
            AppendOutcome::Appended {
                stream_version: 3,
                position: 3
            }
        );
        let more = vec![root(skill(character, 3)), root(deleted(character))];
        let outcome = store
            .append(character, ExpectedVersion::Exactly(3), more.clone())
            .await
            .expect("append");
        assert_eq!(
            outcome,
            AppendOutcome::Appended {
                stream_version: 5,
                position: 5
            }
        );
        let stream = store.read_stream(character, 1).await.expect("read_stream");
        assert_eq!(versions(&stream), [1, 2, 3, 4, 5]);
        assert_eq!(positions(&stream), [1, 2, 3, 4, 5]);
        assert_eq!(envelopes(&stream), [batch, more].concat());
    }

    // ----------------------------------------------------------------------------------------
    // Optimistic concurrency.

    pub async fn no_stream_on_an_existing_stream_conflicts<S: Store>(make: impl Fn() -> S) {
        let store = make();
        let character = Uuid::new_v4();
        store
            .append(
                character,
                ExpectedVersion::NoStream,
                vec![root(created(character, "Mira"))],
            )
            .await
            .expect("the first append of a stream");
        let late = root(created(character, "Mira again"));
        let error = store
            .append(character, ExpectedVersion::NoStream, vec![late.clone()])
            .await
            .expect_err("the stream exists");
        match &error {
            StoreError::Conflict {
                aggregate_id,
                expected,
                actual,
            } => assert_eq!((*aggregate_id, *expected, *actual), (character, 0, 1)),
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert!(
            error.to_string().contains(&character.to_string()),
            "{error}"
        );
        assert_eq!(store.last_position().await.expect("last_position"), 1);
        assert_eq!(
            store.read_event(late.event_id).await.expect("read_event"),
            None
        );
    }

    pub async fn a_wrong_expected_version_conflicts_naming_both_versions<S: Store>(
        make: impl Fn() -> S,
    ) {
        let store = make();
        let character = Uuid::new_v4();
        store
            .append(
                character,
                ExpectedVersion::NoStream,
                vec![root(created(character, "Mira")), root(skill(character, 1))],
            )
            .await
            .expect("append");

        for (expected, actual) in [(1, 2), (3, 2), (7, 2)] {
            let error = store
                .append(
                    character,
                    ExpectedVersion::Exactly(expected),
                    vec![root(skill(character, 9))],
                )
                .await
                .expect_err("a wrong version");
            assert!(
                matches!(error, StoreError::Conflict { aggregate_id, expected: e, actual: a }
                    if aggregate_id == character && e == expected && a == actual),
                "expected a conflict {expected} vs {actual}, got {error:?}"
            );
            let message = error.to_string();
            assert!(
                message.contains(&format!("expected stream version {expected}"))
                    && message.contains(&format!("it is at {actual}")),
                "the message names both versions: {message}"
            );
        }
        // A stream that does not exist is at version 0.
        let nobody = Uuid::new_v4();
        let error = store
            .append(
                nobody,
                ExpectedVersion::Exactly(1),
                vec![root(created(nobody, "Nobody"))],
            )
            .await
            .expect_err("no stream");
        assert!(
            matches!(
                error,
                StoreError::Conflict {
                    expected: 1,
                    actual: 0,
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(store.last_position().await.expect("last_position"), 2);

        // The right version, and Any, append.
        let outcome = store
            .append(
                character,
                ExpectedVersion::Exactly(2),
                vec![root(skill(character, 3))],
            )
            .await
            .expect("the right version");
        assert_eq!(appended(outcome), (3, 3));
        let outcome = append(&store, vec![root(skill(character, 4))]).await;
        assert_eq!(appended(outcome), (4, 4));
    }

    /// Several tasks append at the same expected version, round after round: exactly one wins
    /// each round, the others are told the version moved on.
    pub async fn concurrent_appenders_one_winner_per_version<S: Store>(make: impl Fn() -> S) {
        const ROUNDS: u64 = 6;
        const TASKS: usize = 5;
        let store = make();
        let character = Uuid::new_v4();
        let mut winners = Vec::new();
        for version in 0..ROUNDS {
            let expected = if version == 0 {
                ExpectedVersion::NoStream
            } else {
                ExpectedVersion::Exactly(version)
            };
            let start = Arc::new(tokio::sync::Barrier::new(TASKS));
            let tasks: Vec<_> = (0..TASKS)
                .map(|task| {
                    let store = store.clone();
                    let start = Arc::clone(&start);
                    let event = root(skill(character, task as i64 + 1));
                    tokio::spawn(async move {
                        start.wait().await;
                        let outcome = store.append(character, expected, vec![event.clone()]).await;
                        (event, outcome)
                    })
                })
                .collect();
            let mut won = Vec::new();
            for task in tasks {
                let (event, outcome) = within("an appender", task).await.expect("no panic");
                match outcome {
                    Ok(outcome) => {
                        assert_eq!(appended(outcome).0, version + 1);
                        won.push(event);
                    }
                    Err(StoreError::Conflict {
                        aggregate_id,
                        expected,
                        actual,
                    }) => {
                        assert_eq!(aggregate_id, character);
                        assert_eq!((expected, actual), (version, version + 1));
                    }
                    Err(other) => panic!("expected success or a conflict, got {other}"),
                }
            }
            assert_eq!(
                won.len(),
                1,
                "exactly one appender wins version {}",
                version + 1
            );
            winners.extend(won);
        }
        let stream = store.read_stream(character, 1).await.expect("read_stream");
        assert_eq!(envelopes(&stream), winners);
        assert_eq!(versions(&stream), (1..=ROUNDS).collect::<Vec<u64>>());
        assert_eq!(store.last_position().await.expect("last_position"), ROUNDS);
    }

    /// Tasks that reload and retry on conflict all get their events in, once each, in their
    /// own order, with versions and positions without gaps.
    pub async fn concurrent_appenders_that_retry_lose_nothing<S: Store>(make: impl Fn() -> S) {
        const TASKS: usize = 4;
        const EACH: usize = 5;
        let store = make();
        let character = Uuid::new_v4();
        let start = Arc::new(tokio::sync::Barrier::new(TASKS));
        let tasks: Vec<_> = (0..TASKS)
            .map(|task| {
                let store = store.clone();
                let start = Arc::clone(&start);
                tokio::spawn(async move {
                    start.wait().await;
                    let mut mine = Vec::new();
                    let mut conflicts = 0;
                    let mut known = 0;
                    for index in 0..EACH {
                        let event = root(skill(character, (task * EACH + index) as i64));
                        loop {
                            let expected = if known == 0 {
                                ExpectedVersion::NoStream
                            } else {
                                ExpectedVersion::Exactly(known)
                            };
                            match store.append(character, expected, vec![event.clone()]).await {
                                Ok(outcome) => {
                                    known = appended(outcome).0;
                                    break;
                                }
                                Err(StoreError::Conflict { actual, .. }) => {
                                    assert!(actual > known, "a conflict moves forward");
                                    conflicts += 1;
                                    known = actual;
                                    tokio::task::yield_now().await;
                                }
                                Err(other) => panic!("append failed: {other}"),
                            }
                        }
                        mine.push(event.event_id);
                    }
                    (mine, conflicts)
                })
            })
            .collect();
        let mut expected_ids = HashSet::new();
        let mut per_task = Vec::new();
        for task in tasks {
            let (mine, _conflicts) = within("an appender", task).await.expect("no panic");
            expected_ids.extend(mine.iter().copied());
            per_task.push(mine);
        }
        let stream = store.read_stream(character, 1).await.expect("read_stream");
        let total = (TASKS * EACH) as u64;
        assert_eq!(versions(&stream), (1..=total).collect::<Vec<u64>>());
        assert_eq!(positions(&stream), (1..=total).collect::<Vec<u64>>());
        let stored: Vec<Uuid> = stream.iter().map(|event| event.envelope.event_id).collect();
        assert_eq!(stored.iter().copied().collect::<HashSet<_>>(), expected_ids);
        assert_eq!(stored.len(), expected_ids.len(), "no event twice");
        for mine in per_task {
            let order: Vec<Uuid> = stored
                .iter()
                .copied()
                .filter(|id| mine.contains(id))
                .collect();
            assert_eq!(order, mine, "each appender's events keep its order");
        }
    }

    // ----------------------------------------------------------------------------------------
    // Idempotent appends.

    pub async fn appending_the_same_events_again_stores_nothing<S: Store>(make: impl Fn() -> S) {
        let store = make();
        let character = Uuid::new_v4();
        let batch = vec![root(created(character, "Mira")), root(skill(character, 1))];
        let ids: Vec<Uuid> = batch.iter().map(|event| event.event_id).collect();
        store
            .append(character, ExpectedVersion::NoStream, batch.clone())
            .await
            .expect("append");
        // A retry after a lost acknowledgement: same events, same (now stale) expectation.
        for expected in [
            ExpectedVersion::NoStream,
            ExpectedVersion::Exactly(0),
            ExpectedVersion::Exactly(2),
            ExpectedVersion::Any,
        ] {
            let outcome = store
                .append(character, expected, batch.clone())
                .await
                .unwrap_or_else(|error| panic!("the same events again ({expected:?}): {error}"));
            assert_eq!(
                outcome,
                AppendOutcome::AlreadyStored {
                    event_ids: ids.clone()
                }
            );
        }
        // Still after the stream moved on.
        append(&store, vec![root(skill(character, 2))]).await;
        let outcome = store
            .append(character, ExpectedVersion::NoStream, batch.clone())
            .await
            .expect("the same events again");
        assert!(
            matches!(outcome, AppendOutcome::AlreadyStored { .. }),
            "{outcome:?}"
        );
        // One event of the batch alone is all stored too.
        let outcome = store
            .append(
                character,
                ExpectedVersion::Exactly(1),
                vec![batch[1].clone()],
            )
            .await
            .expect("one event again");
        assert_eq!(
            outcome,
            AppendOutcome::AlreadyStored {
                event_ids: vec![ids[1]]
            }
        );

        assert_eq!(store.last_position().await.expect("last_position"), 3);
        let stream = store.read_stream(character, 1).await.expect("read_stream");
        assert_eq!(versions(&stream), [1, 2, 3]);
        assert_eq!(envelopes(&stream[..2]), batch);
    }

    pub async fn a_mix_of_stored_and_new_events_is_refused_whole<S: Store>(make: impl Fn() -> S) {
        let store = make();
        let character = Uuid::new_v4();
        let stored = root(created(character, "Mira"));
        store
            .append(character, ExpectedVersion::NoStream, vec![stored.clone()])
            .await
            .expect("append");
        let new = root(skill(character, 1));
        for batch in [
            vec![stored.clone(), new.clone()],
            vec![new.clone(), stored.clone()],
        ] {
            let error = store
                .append(character, ExpectedVersion::Any, batch)
                .await
                .expect_err("partly stored");
            match &error {
                StoreError::PartlyStored { event_id, position } => {
                    assert_eq!((*event_id, *position), (stored.event_id, 1));
                }
                other => panic!("expected PartlyStored, got {other:?}"),
            }
            assert!(
                error.to_string().contains(&stored.event_id.to_string()),
                "{error}"
            );
        }
        assert_eq!(
            store.read_event(new.event_id).await.expect("read_event"),
            None
        );
        assert_eq!(store.last_position().await.expect("last_position"), 1);
        // One new event twice in a batch is refused too, whole.
        let other = root(skill(character, 2));
        let error = store
            .append(
                character,
                ExpectedVersion::Any,
                vec![other.clone(), new.clone(), new.clone()],
            )
            .await
            .expect_err("an eventId twice in one append");
        assert!(
            matches!(error, StoreError::DuplicateInAppend { event_id } if event_id == new.event_id),
            "{error:?}"
        );
        assert_eq!(
            store.read_event(other.event_id).await.expect("read_event"),
            None
        );
        assert_eq!(store.last_position().await.expect("last_position"), 1);
        // The new event alone goes in.
        let outcome = store
            .append(character, ExpectedVersion::Exactly(1), vec![new.clone()])
            .await
            .expect("append");
        assert_eq!(appended(outcome), (2, 2));
    }

    // ----------------------------------------------------------------------------------------
    // The global log.

    pub async fn positions_are_global_contiguous_and_paged<S: Store>(make: impl Fn() -> S) {
        let store = make();
        let [a, b, c] = [Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4()];
        let mut log = Vec::new();
        for batch in [
            vec![root(created(a, "A"))],
            vec![root(created(b, "B")), root(skill(b, 1))],
            vec![root(skill(a, 1))],
            vec![root(created(c, "C")), root(skill(c, 1)), root(skill(c, 2))],
            vec![root(skill(b, 2))],
            vec![root(skill(a, 2)), root(deleted(a))],
        ] {
            log.extend(batch.iter().cloned());
            let (_, position) = appended(append(&store, batch).await);
            assert_eq!(
                position,
                log.len() as u64,
                "the position of a batch's last event"
            );
        }
        let total = log.len() as u64;
        assert_eq!(total, 10);
        let all = everything(&store).await;
        assert_eq!(positions(&all), (1..=total).collect::<Vec<u64>>());
        assert_eq!(envelopes(&all), log);

        // Paging with `after` and `limit`.
        let mut pages = Vec::new();
        let mut after = 0;
        loop {
            let page = store.read_all(after, 3).await.expect("read_all");
            if page.is_empty() {
                break;
            }
            after = page.last().expect("not empty").position;
            pages.push(positions(&page));
        }
        assert_eq!(
            pages,
            [vec![1, 2, 3], vec![4, 5, 6], vec![7, 8, 9], vec![10]]
        );
        assert_eq!(
            positions(&store.read_all(4, 2).await.expect("read_all")),
            [5, 6]
        );
        assert_eq!(
            positions(&store.read_all(9, 100).await.expect("read_all")),
            [10]
        );
        assert!(store.read_all(10, 100).await.expect("read_all").is_empty());
        assert!(
            store
                .read_all(1000, 100)
                .await
                .expect("read_all")
                .is_empty()
        );
        assert!(store.read_all(0, 0).await.expect("read_all").is_empty());
        assert_eq!(store.last_position().await.expect("last_position"), total);

        // Each stream's versions are its own.
        for (aggregate, count) in [(a, 4), (b, 3), (c, 3)] {
            let stream = store.read_stream(aggregate, 1).await.expect("read_stream");
            assert_eq!(versions(&stream), (1..=count).collect::<Vec<u64>>());
        }
    }

    pub async fn read_stream_from_a_version<S: Store>(make: impl Fn() -> S) {
        let store = make();
        let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
        let mut mine = Vec::new();
        for level in 0..5 {
            let event = root(skill(a, level));
            mine.push(event.clone());
            append(&store, vec![event]).await;
            append(&store, vec![root(skill(b, level))]).await;
        }
        let from_start = store.read_stream(a, 1).await.expect("read_stream");
        assert_eq!(envelopes(&from_start), mine);
        assert_eq!(positions(&from_start), [1, 3, 5, 7, 9]);
        assert_eq!(
            store.read_stream(a, 0).await.expect("read_stream"),
            from_start
        );
        let from_three = store.read_stream(a, 3).await.expect("read_stream");
        assert_eq!(versions(&from_three), [3, 4, 5]);
        assert_eq!(positions(&from_three), [5, 7, 9]);
        assert_eq!(envelopes(&from_three), mine[2..]);
        assert_eq!(from_three[..], from_start[2..]);
        assert_eq!(
            versions(&store.read_stream(a, 5).await.expect("read_stream")),
            [5]
        );
        assert!(
            store
                .read_stream(a, 6)
                .await
                .expect("read_stream")
                .is_empty()
        );
        assert!(
            store
                .read_stream(Uuid::new_v4(), 1)
                .await
                .expect("read_stream")
                .is_empty()
        );
    }

    pub async fn read_correlation_returns_a_flow_in_log_order<S: Store>(make: impl Fn() -> S) {
        let store = make();
        let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
        let start = root(created(a, "A"));
        let other_flow = root(created(b, "B"));
        let first = Envelope::caused_by(&start, related(a, b, 0.4));
        let second = Envelope::caused_by(&first, related(b, a, 0.6));
        let unrelated = Envelope::caused_by(&other_flow, skill(b, 3));
        let third = Envelope::caused_by(&start, skill(a, 2));
        for event in [&start, &other_flow, &first, &second, &unrelated, &third] {
            append(&store, vec![event.clone()]).await;
        }
        let flow = store
            .read_correlation(start.event_id)
            .await
            .expect("read_correlation");
        assert_eq!(envelopes(&flow), [start.clone(), first, second, third]);
        assert_eq!(positions(&flow), [1, 3, 4, 6]);
        let other = store
            .read_correlation(other_flow.event_id)
            .await
            .expect("read_correlation");
        assert_eq!(envelopes(&other), [other_flow, unrelated]);
        assert!(
            store
                .read_correlation(Uuid::new_v4())
                .await
                .expect("read_correlation")
                .is_empty()
        );
    }

    pub async fn read_event_and_last_position<S: Store>(make: impl Fn() -> S) {
        let store = make();
        assert_eq!(store.last_position().await.expect("last_position"), 0);
        assert_eq!(*store.watch_position().borrow(), 0);
        assert!(everything(&store).await.is_empty());
        assert_eq!(
            store.read_event(Uuid::new_v4()).await.expect("read_event"),
            None
        );

        let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
        let events = [
            root(created(a, "A")),
            root(created(b, "B")),
            root(skill(a, 1)),
        ];
        for event in &events {
            append(&store, vec![event.clone()]).await;
        }
        let third = store
            .read_event(events[2].event_id)
            .await
            .expect("read_event")
            .expect("stored");
        assert_eq!(
            (third.position, third.stream_version, &third.envelope),
            (3, 2, &events[2])
        );
        assert_eq!(store.last_position().await.expect("last_position"), 3);
        assert_eq!(*store.watch_position().borrow(), 3);
        assert_eq!(
            store.read_event(Uuid::new_v4()).await.expect("read_event"),
            None
        );
    }

    pub async fn an_append_mixing_aggregates_is_refused<S: Store>(make: impl Fn() -> S) {
        let store = make();
        let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
        let error = store
            .append(
                a,
                ExpectedVersion::Any,
                vec![root(created(a, "A")), root(created(b, "B"))],
            )
            .await
            .expect_err("two aggregates");
        assert!(
            matches!(error, StoreError::MixedStreams { expected, found } if expected == a && found == b),
            "{error:?}"
        );
        // Appending one aggregate's event to another's stream is mixing too.
        let error = store
            .append(b, ExpectedVersion::Any, vec![root(created(a, "A"))])
            .await
            .expect_err("the wrong stream");
        assert!(
            matches!(error, StoreError::MixedStreams { expected, found } if expected == b && found == a),
            "{error:?}"
        );
        assert_eq!(store.last_position().await.expect("last_position"), 0);
        assert!(
            store
                .read_stream(a, 1)
                .await
                .expect("read_stream")
                .is_empty()
        );
    }

    pub async fn an_invalid_payload_is_refused_and_nothing_is_stored<S: Store>(
        make: impl Fn() -> S,
    ) {
        let store = make();
        let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
        let valid = root(related(a, b, 0.5));
        let invalid = root(related(a, b, 1.5));
        let error = store
            .append(
                a,
                ExpectedVersion::Any,
                vec![valid.clone(), invalid.clone()],
            )
            .await
            .expect_err("relationshipStrength 1.5 breaks the catalog");
        match &error {
            StoreError::Invalid { event_type, source } => {
                assert_eq!(*event_type, "characters.character.relationship-formed");
                assert!(
                    source.to_string().contains("relationshipStrength"),
                    "the field is named: {source}"
                );
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        assert_eq!(store.last_position().await.expect("last_position"), 0);
        assert_eq!(
            store.read_event(valid.event_id).await.expect("read_event"),
            None
        );
        assert_eq!(
            store
                .read_event(invalid.event_id)
                .await
                .expect("read_event"),
            None
        );
        // The valid event alone is stored.
        let outcome = store
            .append(a, ExpectedVersion::NoStream, vec![valid])
            .await
            .expect("append");
        assert_eq!(appended(outcome), (1, 1));
    }

    // ----------------------------------------------------------------------------------------
    // Catch-up subscriptions.

    pub async fn catch_up_subscription_delivers_stored_then_live_events<S: Store>(
        make: impl Fn() -> S,
    ) {
        let store = make();
        let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
        let stored = [
            root(created(a, "A")),
            root(created(b, "B")),
            root(skill(a, 1)),
        ];
        for event in &stored {
            append(&store, vec![event.clone()]).await;
        }

        let (sender, mut received) = tokio::sync::mpsc::unbounded_channel();
        let mut subscription = CatchUp::new(store.clone(), 0);
        let subscriber = tokio::spawn(async move {
            loop {
                let event = subscription.next().await;
                let failed = event.is_err();
                if sender.send(event).is_err() || failed {
                    return subscription.position();
                }
            }
        });
        let mut got = Vec::new();
        for _ in 0..stored.len() {
            let event = within("a stored event", received.recv())
                .await
                .expect("the subscriber runs")
                .expect("the subscription reads");
            got.push(event);
        }
        assert_eq!(positions(&got), [1, 2, 3]);
        assert_eq!(envelopes(&got), stored);

        // Caught up: it waits.
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(
            received.try_recv().is_err(),
            "nothing more before new appends"
        );

        let live = [root(skill(b, 1)), root(skill(a, 2)), root(deleted(b))];
        append(&store, vec![live[0].clone()]).await;
        append(&store, vec![live[1].clone(), root(skill(a, 3))]).await;
        append(&store, vec![live[2].clone()]).await;
        let mut got = Vec::new();
        for _ in 0..4 {
            let event = within("a live event", received.recv())
                .await
                .expect("the subscriber runs")
                .expect("the subscription reads");
            got.push(event);
        }
        assert_eq!(positions(&got), [4, 5, 6, 7]);
        assert_eq!(got[0].envelope, live[0]);
        assert_eq!(got[1].envelope, live[1]);
        assert_eq!(got[3].envelope, live[2]);
        subscriber.abort();

        // A subscription from a later position starts after it.
        let mut later = CatchUp::new(store.clone(), 5);
        let next = within("a stored event", later.next()).await.expect("next");
        assert_eq!(next.position, 6);
        assert_eq!(later.position(), 6);
    }

    /// An append whose future is dropped (a timeout, a cancelled request) after the store
    /// started it may be stored or not; if it is, subscribers waiting for live events get it.
    pub async fn an_append_its_caller_gave_up_on_still_wakes_subscribers<S: Store>(
        make: impl Fn() -> S,
    ) {
        let store = make();
        let mut subscription = CatchUp::new(store.clone(), 0);
        let waiting = tokio::spawn(async move { subscription.next().await });
        tokio::time::sleep(Duration::from_millis(20)).await;

        let character = Uuid::new_v4();
        let event = root(created(character, "Mira"));
        // Polled once (the store starts the append), then dropped.
        let gave_up = tokio::time::timeout(
            Duration::from_nanos(1),
            store.append(character, ExpectedVersion::NoStream, vec![event.clone()]),
        )
        .await;
        if gave_up.is_ok() {
            // The append finished in its first poll: nothing was given up on.
            let got = within("the live event", waiting).await.expect("no panic");
            assert_eq!(got.expect("next").envelope, event);
            return;
        }
        let stored = within("the append to settle", async {
            for _ in 0..100 {
                if store.last_position().await.expect("last_position") > 0 {
                    return true;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            false
        })
        .await;
        if stored {
            let got = tokio::time::timeout(Duration::from_secs(5), waiting)
                .await
                .expect("the waiting subscriber is woken by the stored event")
                .expect("no panic");
            assert_eq!(got.expect("next").envelope, event);
            assert_eq!(*store.watch_position().borrow(), 1);
        } else {
            waiting.abort();
        }
    }

    // ----------------------------------------------------------------------------------------
    // Checkpoints, snapshots and aggregates.

    pub async fn checkpoints_and_snapshots_are_kept_per_key<S: Store>(make: impl Fn() -> S) {
        let store = make();
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
        Create { id: Uuid, name: String },
        Relate { with: Uuid, strength: f64 },
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

        fn handle(&self, command: CharacterCommand) -> Result<Vec<AnyEvent>, CharacterError> {
            if self.deleted {
                return Err(CharacterError::Deleted);
            }
            match (command, self.id) {
                (CharacterCommand::Create { .. }, Some(_)) => Err(CharacterError::AlreadyCreated),
                (CharacterCommand::Create { id, name }, None) => Ok(vec![created(id, &name)]),
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

    const NO_CAUSE: Option<&Env> = None;

    /// Snapshots every 3 events: after 7, the latest is at version 6, and loading from it gives
    /// the state a full replay gives.
    pub async fn snapshots_every_three_events_load_the_same_state<S: Store>(make: impl Fn() -> S) {
        let store = make();
        let id = Uuid::new_v4();
        let snapshotting = Repository::<Character, _>::new(store.clone(), SOURCE).with_snapshots(3);
        let plain = Repository::<Character, _>::new(store.clone(), SOURCE);
        snapshotting
            .execute(
                id,
                CharacterCommand::Create {
                    id,
                    name: "Mira".into(),
                },
                NO_CAUSE,
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
                    NO_CAUSE,
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

        async fn load_snapshot(
            &self,
            aggregate_id: Uuid,
        ) -> Result<Option<(u64, String)>, StoreError> {
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
    pub async fn concurrent_executes_conflict<S: Store>(make: impl Fn() -> S) {
        let store = make();
        let id = Uuid::new_v4();
        let plain = Repository::<Character, _>::new(store.clone(), SOURCE).with_snapshots(3);
        plain
            .execute(
                id,
                CharacterCommand::Create {
                    id,
                    name: "Mira".into(),
                },
                NO_CAUSE,
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
            tokio::join!(
                first.execute(id, relate(x), NO_CAUSE),
                second.execute(id, relate(y), NO_CAUSE)
            )
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
        plain
            .execute(id, relate(loser.0), NO_CAUSE)
            .await
            .expect("the retry");
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
        make: impl Fn() -> S,
    ) {
        let store = make();
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
                    id,
                    name: "Mira".into(),
                },
                NO_CAUSE,
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

    pub async fn a_refused_command_writes_nothing<S: Store>(make: impl Fn() -> S) {
        let store = make();
        let id = Uuid::new_v4();
        let repository = Repository::<Character, _>::new(store.clone(), SOURCE);
        let error = repository
            .execute(
                id,
                CharacterCommand::Relate {
                    with: Uuid::new_v4(),
                    strength: 0.5,
                },
                NO_CAUSE,
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
            .execute(
                id,
                CharacterCommand::Create {
                    id,
                    name: "Mira".into(),
                },
                Some(&cause),
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
                    id,
                    name: "Mira".into(),
                },
                NO_CAUSE,
            )
            .await
            .expect_err("already created");
        assert!(
            matches!(error, CommandError::Refused(CharacterError::AlreadyCreated)),
            "{error:?}"
        );
        let stream = store.read_stream(id, 1).await.expect("read_stream");
        assert_eq!(envelopes(&stream), events);
    }

    // ----------------------------------------------------------------------------------------
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

    pub async fn projection_catch_up_applies_each_event_once<S: Store>(make: impl Fn() -> S) {
        let store = make();
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

    pub async fn projection_replay_rebuilds_the_same_read_model<S: Store>(make: impl Fn() -> S) {
        let store = make();
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
    pub async fn a_refused_event_stops_a_projection_just_before_it<S: Store>(make: impl Fn() -> S) {
        let store = make();
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

    pub async fn follow_continues_live_until_stopped<S: Store>(make: impl Fn() -> S) {
        let store = make();
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

    // ----------------------------------------------------------------------------------------
    // Lineage.

    pub async fn lineage_of_a_flow_is_its_causation_tree<S: Store>(make: impl Fn() -> S) {
        let store = make();
        let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
        let start = root(created(a, "A"));
        let first_child = Envelope::caused_by(&start, related(a, b, 0.4));
        let second_child =
            Envelope::caused_by(&start, created(b, "B")).with_source("other-service");
        let grandchild = Envelope::caused_by(&second_child, related(b, a, 0.6));
        let elsewhere = root(skill(a, 1));
        for event in [&start, &elsewhere, &first_child, &second_child, &grandchild] {
            append(&store, vec![event.clone()]).await;
        }

        for member in [&start, &first_child, &second_child, &grandchild] {
            let trees = lineage(&store, member.event_id)
                .await
                .expect("lineage")
                .expect("the event is stored");
            assert_eq!(trees.len(), 1, "one root");
            let tree = &trees[0];
            assert_eq!(tree.len(), 4);
            assert!(!tree.is_empty());
            assert_eq!(tree.event.envelope, start);
            let children: Vec<&Env> = tree
                .children
                .iter()
                .map(|child| &child.event.envelope)
                .collect();
            assert_eq!(children, [&first_child, &second_child]);
            assert!(tree.children[0].children.is_empty());
            assert_eq!(tree.children[1].children.len(), 1);
            assert_eq!(tree.children[1].children[0].event.envelope, grandchild);
            assert!(tree.children[1].children[0].children.is_empty());
            assert_eq!(
                tree.render(),
                format!(
                    "characters.character.created {} ({SOURCE}, #1)\n  \
                     characters.character.relationship-formed {} ({SOURCE}, #3)\n  \
                     characters.character.created {} (other-service, #4)\n    \
                     characters.character.relationship-formed {} (other-service, #5)\n",
                    start.event_id,
                    first_child.event_id,
                    second_child.event_id,
                    grandchild.event_id
                )
            );
        }
        let alone = lineage(&store, elsewhere.event_id)
            .await
            .expect("lineage")
            .expect("stored");
        assert_eq!(alone.len(), 1);
        assert_eq!(alone[0].len(), 1);
        assert_eq!(
            lineage(&store, Uuid::new_v4()).await.expect("lineage"),
            None
        );
    }

    // ----------------------------------------------------------------------------------------
    // Upcasting (the workshop catalog).

    fn order_v1(order: Uuid) -> workshop::AnyEvent {
        workshop::orders::OrderPlacedV1_0_0 {
            order_id: order,
            items: vec!["SKU-1".into(), "SKU-2".into()],
        }
        .into()
    }

    /// 1.0.0 had `items`; 2.0.0 has `lines` and more.
    fn order_v1_to_v2(payload: Value) -> Result<Value, String> {
        let items = payload["items"].as_array().ok_or("items is missing")?;
        Ok(json!({
            "orderId": payload["orderId"],
            "placedAt": "2025-01-01T00:00:00Z",
            "priority": "normal",
            "lines": items
                .iter()
                .map(|sku| json!({ "sku": sku, "quantity": 1, "unitPrice": 0.0 }))
                .collect::<Vec<_>>(),
            "deliverTo": { "street": "unknown", "city": "unknown" },
            "type": "standard",
            "metadata": { "upcastFrom": "1.0.0" },
        }))
    }

    fn order_v2_of_v1(order: Uuid) -> workshop::orders::OrderPlaced {
        use workshop::orders::{Channel, OrderLine, OrderPlaced, Type};
        let mut metadata = serde_json::Map::new();
        metadata.insert("upcastFrom".into(), json!("1.0.0"));
        OrderPlaced {
            order_id: order,
            placed_at: "2025-01-01T00:00:00Z".parse().expect("a datetime"),
            priority: workshop::Priority::Normal,
            lines: ["SKU-1", "SKU-2"]
                .into_iter()
                .map(|sku| OrderLine {
                    sku: sku.into(),
                    quantity: 1,
                    unit_price: 0.0,
                })
                .collect(),
            deliver_to: workshop::Address {
                street: "unknown".into(),
                city: "unknown".into(),
                postcode: None,
            },
            gift_wrap: false,
            channel: Channel::Web,
            notes: None,
            coupon_code: None,
            r#type: Type::Standard,
            metadata,
        }
    }

    fn machine(name: &str) -> workshop::AnyEvent {
        workshop::machines::MachineStatusChanged {
            machine_name: name.into(),
            status: workshop::machines::Status::Running,
            load: 0.5,
        }
        .into()
    }

    fn upcasters(
        convert: impl Fn(Value) -> Result<Value, String> + Send + Sync + 'static,
    ) -> Upcasters {
        let mut upcasters = Upcasters::new();
        upcasters.register("orders.order.placed", "1.0.0", "2.0.0", convert);
        upcasters
    }

    /// An `OrderPlaced` 1.0.0 in the store reads as 2.0.0, by every read; other events and
    /// events stored as 2.0.0 read as stored.
    pub async fn upcasting_reads_an_old_version_as_the_newest<W: WorkshopStore>(
        make: impl Fn(Upcasters) -> W,
    ) {
        let store = make(upcasters(order_v1_to_v2));
        let order = Uuid::new_v4();
        let old = Envelope::new(order_v1(order), SOURCE);
        assert_eq!(old.event_version(), "1.0.0");
        store
            .append(order, ExpectedVersion::NoStream, vec![old.clone()])
            .await
            .expect("a 1.0.0 event is stored as it is");
        let newer = Envelope::caused_by(
            &old,
            workshop::AnyEvent::from(workshop::orders::OrderPlaced {
                notes: Some("second order".into()),
                ..order_v2_of_v1(order)
            }),
        );
        store
            .append(order, ExpectedVersion::Exactly(1), vec![newer.clone()])
            .await
            .expect("a 2.0.0 event");
        let press = Envelope::caused_by(&old, machine("press"));
        store
            .append(
                press.aggregate_id,
                ExpectedVersion::Any,
                vec![press.clone()],
            )
            .await
            .expect("another event");

        let upcast = old.with_payload(workshop::AnyEvent::from(order_v2_of_v1(order)));
        assert_eq!(upcast.event_version(), "2.0.0");
        let stream = store.read_stream(order, 1).await.expect("read_stream");
        assert_eq!(
            stream
                .iter()
                .map(|event| &event.envelope)
                .collect::<Vec<_>>(),
            [&upcast, &newer]
        );
        assert_eq!(versions(&stream), [1, 2]);
        let all = store.read_all(0, 10).await.expect("read_all");
        assert_eq!(
            all.iter().map(|event| &event.envelope).collect::<Vec<_>>(),
            [&upcast, &newer, &press]
        );
        let one = store
            .read_event(old.event_id)
            .await
            .expect("read_event")
            .expect("stored");
        assert_eq!(one.envelope, upcast);
        let flow = store
            .read_correlation(old.correlation_id)
            .await
            .expect("read_correlation");
        assert_eq!(flow.len(), 3);
        assert_eq!(flow[0].envelope, upcast);
        // Idempotency goes by eventId, whatever the version read.
        let again = store
            .append(order, ExpectedVersion::NoStream, vec![old.clone()])
            .await
            .expect("the same 1.0.0 event again");
        assert_eq!(
            again,
            AppendOutcome::AlreadyStored {
                event_ids: vec![old.event_id]
            }
        );
    }

    /// A converter that fails, or that produces what 2.0.0 does not accept, makes the event
    /// undecodable, naming it; the other events still read.
    pub async fn a_failing_upcaster_makes_the_event_undecodable<W: WorkshopStore>(
        make: impl Fn(Upcasters) -> W,
    ) {
        let failing: [(Upcasters, &str); 2] = [
            (
                upcasters(|_| Err("the warehouse codes are gone".into())),
                "the warehouse codes are gone",
            ),
            (
                upcasters(|payload| Ok(json!({ "orderId": payload["orderId"] }))),
                "placedAt",
            ),
        ];
        for (upcasters, why) in failing {
            let store = make(upcasters);
            let press = Envelope::new(machine("press"), SOURCE);
            store
                .append(
                    press.aggregate_id,
                    ExpectedVersion::Any,
                    vec![press.clone()],
                )
                .await
                .expect("append");
            let order = Uuid::new_v4();
            let old = Envelope::new(order_v1(order), SOURCE);
            store
                .append(order, ExpectedVersion::NoStream, vec![old.clone()])
                .await
                .expect("append");

            let check = |error: StoreError| match &error {
                StoreError::Undecodable {
                    position,
                    event_id,
                    event_type,
                    event_version,
                    message,
                } => {
                    assert_eq!(*position, 2);
                    assert_eq!(*event_id, old.event_id.to_string());
                    assert_eq!(event_type, "orders.order.placed");
                    assert_eq!(event_version, "1.0.0");
                    assert!(message.contains(why), "{message}");
                    let shown = error.to_string();
                    assert!(
                        shown.contains("position 2") && shown.contains(&old.event_id.to_string()),
                        "{shown}"
                    );
                }
                other => panic!("expected Undecodable, got {other:?}"),
            };
            check(store.read_stream(order, 1).await.expect_err("read_stream"));
            check(store.read_all(0, 10).await.expect_err("read_all"));
            check(
                store
                    .read_event(old.event_id)
                    .await
                    .expect_err("read_event"),
            );
            // What comes before it, and other streams, read.
            let first = store.read_all(0, 1).await.expect("read_all before it");
            assert_eq!(first[0].envelope, press);
            let machine_stream = store
                .read_stream(press.aggregate_id, 1)
                .await
                .expect("another stream");
            assert_eq!(machine_stream[0].envelope, press);
        }
    }

    pub async fn without_an_upcaster_an_old_version_reads_as_stored<W: WorkshopStore>(
        make: impl Fn(Upcasters) -> W,
    ) {
        let store = make(Upcasters::new());
        let order = Uuid::new_v4();
        let old = Envelope::new(order_v1(order), SOURCE);
        store
            .append(order, ExpectedVersion::NoStream, vec![old.clone()])
            .await
            .expect("append");
        let stream = store.read_stream(order, 1).await.expect("read_stream");
        assert_eq!(stream[0].envelope, old);
        assert!(matches!(
            stream[0].envelope.payload,
            workshop::AnyEvent::OrderPlacedV1_0_0(_)
        ));
    }
}

/// Given/when/then without a store.
#[test]
fn aggregate_test_given_when_then() {
    use novel_events::AggregateTest;
    use suite::{Character, CharacterCommand, CharacterError, created, deleted, related};
    use uuid::Uuid;

    let [id, other] = [Uuid::new_v4(), Uuid::new_v4()];
    AggregateTest::<Character>::given(vec![])
        .when(CharacterCommand::Create {
            id,
            name: "Mira".into(),
        })
        .then_expect_events(vec![created(id, "Mira")]);
    AggregateTest::<Character>::given(vec![created(id, "Mira")])
        .when(CharacterCommand::Relate {
            with: other,
            strength: 0.5,
        })
        .then_expect_events(vec![related(id, other, 0.5)]);
    AggregateTest::<Character>::given(vec![created(id, "Mira"), related(id, other, 0.5)])
        .when(CharacterCommand::Relate {
            with: other,
            strength: 0.9,
        })
        .then_expect_error(CharacterError::AlreadyRelated(other));
    AggregateTest::<Character>::given(vec![])
        .when(CharacterCommand::Delete)
        .then_expect_error(CharacterError::NotCreated);
    AggregateTest::<Character>::given(vec![created(id, "Mira"), deleted(id)])
        .when(CharacterCommand::Delete)
        .then_expect_error(CharacterError::Deleted);

    // The helpers fail loudly.
    let wrong = std::panic::catch_unwind(|| {
        AggregateTest::<Character>::given(vec![])
            .when(CharacterCommand::Delete)
            .then_expect_events(vec![deleted(id)]);
    });
    assert!(wrong.is_err(), "a refusal is not the expected events");
    let wrong = std::panic::catch_unwind(|| {
        AggregateTest::<Character>::given(vec![created(id, "Mira")])
            .when(CharacterCommand::Delete)
            .then_expect_error(CharacterError::Deleted);
    });
    assert!(wrong.is_err(), "events are not the expected error");
}

/// `SqliteProjection`: a read model in the store's own database, each event applied and the
/// checkpoint advanced in one transaction.
/// The same suite on a multi-thread runtime, where the store runs its SQLite work in place
/// (`block_in_place`) instead of on the blocking pool.
mod sqlite_multi_thread {
    use novel_events::novel_engine::AnyEvent;
    use novel_events::{SqliteEventStore, StoreOptions, Upcasters};

    use crate::scratch::Scratch;

    conformance_suite! {
        test: #[tokio::test(flavor = "multi_thread", worker_threads = 2)],
        scratch: |test: &str| Scratch::new(&format!("{test}_multi_thread")),
        store: |scratch: &Scratch| {
            SqliteEventStore::<AnyEvent>::open(scratch.file()).expect("a new store opens")
        },
        workshop_store: |scratch: &Scratch, upcasters: Upcasters| {
            SqliteEventStore::<crate::workshop::AnyEvent>::open_with(
                scratch.file(),
                StoreOptions { upcasters, ..StoreOptions::default() },
            )
            .expect("a new store opens")
        },
    }
}

mod sqlite_projection {
    use novel_events::novel_engine::AnyEvent;
    use novel_events::{
        CheckpointStore, EventAppender, ExpectedVersion, SqliteEventStore, SqliteProjection,
        StoreError, StoredEvent,
    };
    use rusqlite::Connection;
    use uuid::Uuid;

    use crate::scratch::Scratch;
    use crate::suite::{related, root, skill};

    const NAME: &str = "relationship-counts";

    /// Counts relationships per character; records every position it applied (a primary key:
    /// applying an event twice fails).
    struct RelationshipCounts {
        refuse: Option<u64>,
    }

    impl SqliteProjection<AnyEvent> for RelationshipCounts {
        fn name(&self) -> &str {
            NAME
        }

        fn apply(
            &mut self,
            transaction: &rusqlite::Transaction<'_>,
            event: &StoredEvent<AnyEvent>,
        ) -> rusqlite::Result<()> {
            let position = i64::try_from(event.position).expect("positions fit");
            transaction.execute(
                "INSERT INTO applied_positions (position) VALUES (?1)",
                [position],
            )?;
            if let AnyEvent::CharacterRelationshipFormed(relationship) = &event.envelope.payload {
                transaction.execute(
                    "INSERT INTO relationship_counts (character_id, relationships) VALUES (?1, 1)
                     ON CONFLICT (character_id) DO UPDATE SET relationships = relationships + 1",
                    [relationship.character_id.to_string()],
                )?;
            }
            if self.refuse == Some(event.position) {
                // After writing: the transaction must roll the writes back.
                return Err(rusqlite::Error::ToSqlConversionFailure(
                    "refused on purpose".into(),
                ));
            }
            Ok(())
        }
    }

    /// The store, and a connection of our own to the same file, with the read model's tables.
    fn open(scratch: &Scratch) -> (SqliteEventStore<AnyEvent>, Connection) {
        let path = scratch.file();
        let store = SqliteEventStore::<AnyEvent>::open(&path).expect("a new store opens");
        let connection = Connection::open(&path).expect("the same file opens");
        connection
            .execute_batch(
                "CREATE TABLE applied_positions (position INTEGER PRIMARY KEY);
                 CREATE TABLE relationship_counts (
                     character_id TEXT PRIMARY KEY,
                     relationships INTEGER NOT NULL
                 );",
            )
            .expect("the read model's tables");
        (store, connection)
    }

    fn applied(connection: &Connection) -> Vec<u64> {
        let mut statement = connection
            .prepare("SELECT position FROM applied_positions ORDER BY position")
            .expect("query");
        statement
            .query_map([], |row| row.get::<_, i64>(0))
            .expect("query")
            .map(|position| u64::try_from(position.expect("row")).expect("positive"))
            .collect()
    }

    fn count(connection: &Connection, character: Uuid) -> i64 {
        connection
            .query_row(
                "SELECT coalesce((SELECT relationships FROM relationship_counts WHERE character_id = ?1), 0)",
                [character.to_string()],
                |row| row.get(0),
            )
            .expect("query")
    }

    /// Appends relationships of `a` and `b` and one skill: (a's, b's) per event appended.
    async fn append_events(store: &SqliteEventStore<AnyEvent>, a: Uuid, b: Uuid, pattern: &[char]) {
        for (index, which) in pattern.iter().enumerate() {
            let event = match which {
                'a' => root(related(a, b, 0.5)),
                'b' => root(related(b, a, 0.5)),
                _ => root(skill(a, index as i64)),
            };
            store
                .append(event.aggregate_id, ExpectedVersion::Any, vec![event])
                .await
                .expect("append");
        }
    }

    #[tokio::test]
    async fn each_event_is_applied_exactly_once() {
        let scratch = Scratch::new("sqlite_projection_exactly_once");
        let (store, connection) = open(&scratch);
        let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
        append_events(&store, a, b, &['a', 'b', 's', 'a', 'a', 's', 'b', 's']).await;

        let (_, applied_now) = store
            .run_sqlite_projection(RelationshipCounts { refuse: None })
            .await
            .expect("the projection runs");
        assert_eq!(applied_now, 8);
        assert_eq!(applied(&connection), (1..=8).collect::<Vec<u64>>());
        assert_eq!((count(&connection, a), count(&connection, b)), (3, 2));
        assert_eq!(store.load_checkpoint(NAME).await.expect("load"), 8);

        // Again: nothing to apply.
        let (_, applied_now) = store
            .run_sqlite_projection(RelationshipCounts { refuse: None })
            .await
            .expect("the projection runs");
        assert_eq!(applied_now, 0);
        assert_eq!((count(&connection, a), count(&connection, b)), (3, 2));

        // New events: only they are applied.
        append_events(&store, a, b, &['a', 'a']).await;
        let (_, applied_now) = store
            .run_sqlite_projection(RelationshipCounts { refuse: None })
            .await
            .expect("the projection runs");
        assert_eq!(applied_now, 2);
        assert_eq!(applied(&connection), (1..=10).collect::<Vec<u64>>());
        assert_eq!((count(&connection, a), count(&connection, b)), (5, 2));
        assert_eq!(store.load_checkpoint(NAME).await.expect("load"), 10);

        // More than one batch of the runner (256 events).
        let many = vec!['b'; 300];
        append_events(&store, a, b, &many).await;
        let (_, applied_now) = store
            .run_sqlite_projection(RelationshipCounts { refuse: None })
            .await
            .expect("the projection runs");
        assert_eq!(applied_now, 300);
        assert_eq!(applied(&connection), (1..=310).collect::<Vec<u64>>());
        assert_eq!(count(&connection, b), 302);
    }

    #[tokio::test]
    async fn a_failure_midway_leaves_the_checkpoint_and_the_read_model_together() {
        let scratch = Scratch::new("sqlite_projection_failure");
        let (store, connection) = open(&scratch);
        let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
        append_events(&store, a, b, &['a', 'b', 'a', 'b', 'a', 'a']).await;

        let error = store
            .run_sqlite_projection(RelationshipCounts { refuse: Some(4) })
            .await
            .err()
            .expect("the projection fails at 4");
        match &error {
            StoreError::Database(message) => assert!(
                message.contains(NAME) && message.contains("position 4"),
                "{message}"
            ),
            other => panic!("expected a database error, got {other:?}"),
        }
        // Events 1 to 3 are applied and recorded; 4's writes were rolled back with it.
        assert_eq!(store.load_checkpoint(NAME).await.expect("load"), 3);
        assert_eq!(applied(&connection), [1, 2, 3]);
        assert_eq!((count(&connection, a), count(&connection, b)), (2, 1));

        let (_, applied_now) = store
            .run_sqlite_projection(RelationshipCounts { refuse: None })
            .await
            .expect("the projection runs");
        assert_eq!(applied_now, 3);
        assert_eq!(applied(&connection), [1, 2, 3, 4, 5, 6]);
        assert_eq!((count(&connection, a), count(&connection, b)), (4, 2));
        assert_eq!(store.load_checkpoint(NAME).await.expect("load"), 6);
    }
}

/// `read_stream` keeps the slots of the streams it read in memory: what another handle on the
/// same file appends, to a stream it knows or to one it found empty, is read all the same.
mod sqlite_stream_slots {
    use novel_events::novel_engine::AnyEvent;
    use novel_events::{EventAppender, EventReader, ExpectedVersion, SqliteEventStore};
    use uuid::Uuid;

    use crate::scratch::Scratch;
    use crate::suite::{root, skill};

    async fn versions(store: &SqliteEventStore<AnyEvent>, aggregate: Uuid, from: u64) -> Vec<u64> {
        store
            .read_stream(aggregate, from)
            .await
            .expect("read_stream")
            .iter()
            .map(|event| event.stream_version)
            .collect()
    }

    #[tokio::test]
    async fn another_handles_appends_are_read() {
        let scratch = Scratch::new("sqlite_stream_slots");
        let file = scratch.file();
        let writer = SqliteEventStore::<AnyEvent>::open(&file).expect("opens");
        let reader = SqliteEventStore::<AnyEvent>::open(&file).expect("opens");
        let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];

        // Not there yet: read empty, and not remembered as such.
        assert!(versions(&reader, a, 1).await.is_empty());
        writer
            .append(a, ExpectedVersion::NoStream, vec![root(skill(a, 1))])
            .await
            .expect("append");
        assert_eq!(versions(&reader, a, 1).await, [1]);

        // Another stream created after the reader learned `a`'s slot.
        writer
            .append(b, ExpectedVersion::NoStream, vec![root(skill(b, 1))])
            .await
            .expect("append");
        writer
            .append(
                a,
                ExpectedVersion::Exactly(1),
                vec![root(skill(a, 2)), root(skill(a, 3))],
            )
            .await
            .expect("append");
        assert_eq!(versions(&reader, a, 1).await, [1, 2, 3]);
        assert_eq!(versions(&reader, a, 3).await, [3]);
        assert!(versions(&reader, a, 4).await.is_empty());
        assert!(versions(&reader, a, u64::MAX).await.is_empty());
        assert_eq!(versions(&reader, a, 0).await, [1, 2, 3]);
        assert_eq!(versions(&reader, b, 1).await, [1]);
        assert_eq!(versions(&writer, b, 1).await, [1]);
        let stream = reader.read_stream(b, 1).await.expect("read_stream");
        assert!(stream.iter().all(|event| event.envelope.aggregate_id == b));
    }
}
