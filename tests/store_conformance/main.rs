//! The conformance suite of event stores, run for [`SqliteEventStore`](novel_events::SqliteEventStore)
//! on a file in a temporary directory, on a current-thread and on a multi-thread runtime.
//!
//! The suite itself is `novel_events_tests::conformance::store`, generic over the store, so that
//! any other store runs it with one macro call. The SQLite-only promises (exactly-once
//! `SqliteProjection`s in the store's own database, the stream slots of a handle) are tested at
//! the end of this file; the store's failure modes (damaged files, full disks, undecodable rows)
//! in `store_faults`.

mod sqlite {
    use novel_events::novel_engine::AnyEvent;
    use novel_events::{SqliteEventStore, StoreOptions, Upcasters};
    use novel_events_tests::conformance::store::workshop;
    use novel_events_tests::scratch::Scratch;

    novel_events_tests::store_conformance_tests! {
        scratch: Scratch::new,
        store: async |scratch: &Scratch| {
            SqliteEventStore::<AnyEvent>::open(scratch.file()).expect("a new store opens")
        },
        workshop_store: async |scratch: &Scratch, upcasters: Upcasters| {
            SqliteEventStore::<workshop::AnyEvent>::open_with(
                scratch.file(),
                StoreOptions { upcasters, ..StoreOptions::default() },
            )
            .expect("a new store opens")
        },
    }
}

/// Given/when/then without a store.
#[test]
fn aggregate_test_given_when_then() {
    use novel_events::AggregateTest;
    use novel_events_tests::conformance::store::{
        Character, CharacterCommand, CharacterError, created, deleted, related,
    };
    use uuid::Uuid;

    let [id, other] = [Uuid::new_v4(), Uuid::new_v4()];
    AggregateTest::<Character>::given_for(id, vec![])
        .when(CharacterCommand::Create {
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
    let wrong = std::panic::catch_unwind(|| {
        AggregateTest::<Character>::given(vec![]).when(CharacterCommand::Misfile);
    });
    assert!(wrong.is_err(), "another aggregate's event fails the test");
}

/// The same suite on a multi-thread runtime, where the store runs its SQLite work in place
/// (`block_in_place`) instead of on the blocking pool.
mod sqlite_multi_thread {
    use novel_events::novel_engine::AnyEvent;
    use novel_events::{SqliteEventStore, StoreOptions, Upcasters};

    use novel_events_tests::scratch::Scratch;

    novel_events_tests::store_conformance_tests! {
        test: #[tokio::test(flavor = "multi_thread", worker_threads = 2)],
        scratch: |test: &str| Scratch::new(&format!("{test}_multi_thread")),
        store: async |scratch: &Scratch| {
            SqliteEventStore::<AnyEvent>::open(scratch.file()).expect("a new store opens")
        },
        workshop_store: async |scratch: &Scratch, upcasters: Upcasters| {
            SqliteEventStore::<novel_events_tests::conformance::store::workshop::AnyEvent>::open_with(
                scratch.file(),
                StoreOptions { upcasters, ..StoreOptions::default() },
            )
            .expect("a new store opens")
        },
    }
}

/// `SqliteProjection`: a read model in the store's own database, each event applied and the
/// checkpoint advanced in one transaction.
mod sqlite_projection {
    use novel_events::novel_engine::AnyEvent;
    use novel_events::{
        CheckpointStore, EventAppender, ExpectedVersion, SqliteEventStore, SqliteProjection,
        StoreError, StoredEvent,
    };
    use rusqlite::Connection;
    use uuid::Uuid;

    use novel_events_tests::conformance::store::{related, root, skill};
    use novel_events_tests::scratch::Scratch;

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

    use novel_events_tests::conformance::store::{root, skill};
    use novel_events_tests::scratch::Scratch;

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

/// The suite through its single entry point, as another crate's store runs it.
#[tokio::test]
async fn the_whole_suite_runs_through_one_entry_point() {
    use novel_events::novel_engine::AnyEvent;
    use novel_events::{SqliteEventStore, StoreOptions};
    use novel_events_tests::conformance::store::{run_all, workshop};
    use novel_events_tests::scratch::Scratch;

    let scratch = Scratch::new("the_whole_suite_runs_through_one_entry_point");
    run_all(
        async || SqliteEventStore::<AnyEvent>::open(scratch.file()).expect("a new store opens"),
        async |upcasters| {
            SqliteEventStore::<workshop::AnyEvent>::open_with(
                scratch.file(),
                StoreOptions {
                    upcasters,
                    ..StoreOptions::default()
                },
            )
            .expect("a new store opens")
        },
    )
    .await;
}
