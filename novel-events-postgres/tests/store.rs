//! The store's behaviour through the `novel_events` traits, against the real server: the same
//! answers as `SqliteEventStore`.

mod common;

use common::{Env, TestSchema, created, deleted, root, skill};
use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{CharacterRelationshipFormed, RelationshipType};
use novel_events::{
    AppendOutcome, CheckpointStore, Envelope, EventAppender, EventReader, ExpectedVersion,
    StoreError, Upcasters,
};
use novel_events_postgres::sqlx::{self, Connection as _};
use uuid::Uuid;

fn appended(outcome: AppendOutcome) -> (u64, u64) {
    match outcome {
        AppendOutcome::Appended {
            stream_version,
            position,
        } => (stream_version, position),
        other => panic!("expected the events to be appended, got {other:?}"),
    }
}

#[tokio::test]
async fn append_and_read_back_by_every_read() {
    let schema = TestSchema::new().await;
    let store = schema.open::<AnyEvent>().await;
    assert_eq!(store.last_position().await.expect("last_position"), 0);
    let character = Uuid::new_v4();
    let first = root(created(character, "Mira")).with_user(Uuid::new_v4());
    let second = Envelope::caused_by(&first, skill(character, 2))
        .with_trace("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    let third = Envelope::caused_by(&second, deleted(character));
    let outcome = store
        .append(
            character,
            ExpectedVersion::NoStream,
            vec![first.clone(), second.clone(), third.clone()],
        )
        .await
        .expect("append");
    assert_eq!(appended(outcome), (3, 3));

    let stream = store.read_stream(character, 1).await.expect("read_stream");
    let envelopes: Vec<Env> = stream.iter().map(|event| event.envelope.clone()).collect();
    assert_eq!(
        envelopes,
        vec![first.clone(), second.clone(), third.clone()]
    );
    let numbers: Vec<(u64, u64)> = stream
        .iter()
        .map(|event| (event.position, event.stream_version))
        .collect();
    assert_eq!(numbers, vec![(1, 1), (2, 2), (3, 3)]);

    let from_two = store.read_stream(character, 2).await.expect("read_stream");
    assert_eq!(from_two.len(), 2);
    assert_eq!(from_two[0].envelope, second);
    assert!(
        store
            .read_stream(Uuid::new_v4(), 1)
            .await
            .expect("read")
            .is_empty()
    );

    let all = store.read_all(0, 100).await.expect("read_all");
    assert_eq!(all.len(), 3);
    let paged = store.read_all(1, 1).await.expect("read_all");
    assert_eq!(paged.len(), 1);
    assert_eq!(paged[0].position, 2);
    assert!(store.read_all(3, 10).await.expect("read_all").is_empty());
    assert_eq!(
        store.read_all(0, usize::MAX).await.expect("no limit").len(),
        3
    );

    let flow = store
        .read_correlation(first.correlation_id)
        .await
        .expect("read_correlation");
    assert_eq!(flow.len(), 3, "caused_by keeps the correlation");
    assert!(
        store
            .read_correlation(Uuid::new_v4())
            .await
            .expect("read")
            .is_empty()
    );

    let found = store.read_event(second.event_id).await.expect("read_event");
    assert_eq!(
        found.map(|event| (event.position, event.envelope)),
        Some((2, second))
    );
    assert!(
        store
            .read_event(Uuid::new_v4())
            .await
            .expect("read_event")
            .is_none()
    );
    assert_eq!(store.last_position().await.expect("last_position"), 3);
    assert_eq!(*store.watch_position().borrow(), 3);
}

#[tokio::test]
async fn the_hand_written_json_of_an_event_comes_back_equal() {
    let schema = TestSchema::new().await;
    let store = schema.open::<AnyEvent>().await;
    // Numbers, nested objects and a NUL character survive (the column is json, kept as written).
    let mut event = root(created(Uuid::new_v4(), "Null\u{0}Byte"));
    if let AnyEvent::CharacterCreated(created) = &mut event.payload {
        created.configuration.insert(
            "depth".into(),
            serde_json::json!({ "ratio": 0.1, "big": 1e300 }),
        );
    }
    let character = event.aggregate_id;
    store
        .append(character, ExpectedVersion::Any, vec![event.clone()])
        .await
        .expect("append");
    let stored = store.read_stream(character, 1).await.expect("read");
    assert_eq!(stored[0].envelope, event);
    assert_eq!(
        serde_json::to_value(&stored[0].envelope).expect("encodes"),
        serde_json::to_value(&event).expect("encodes")
    );
}

#[tokio::test]
async fn conflicts_name_both_versions_and_store_nothing() {
    let schema = TestSchema::new().await;
    let store = schema.open::<AnyEvent>().await;
    let character = Uuid::new_v4();
    store
        .append(
            character,
            ExpectedVersion::NoStream,
            vec![root(created(character, "Mira")), root(skill(character, 1))],
        )
        .await
        .expect("append");

    let error = store
        .append(
            character,
            ExpectedVersion::NoStream,
            vec![root(skill(character, 2))],
        )
        .await
        .expect_err("the stream exists");
    assert!(
        matches!(error, StoreError::Conflict { aggregate_id, expected: 0, actual: 2 } if aggregate_id == character),
        "{error:?}"
    );
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
            matches!(error, StoreError::Conflict { expected: e, actual: a, .. } if e == expected && a == actual),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains(&format!("expected stream version {expected}"))
                && message.contains(&format!("it is at {actual}")),
            "the message names both versions: {message}"
        );
    }
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

    // A refused append leaves the log's head unlocked: another pool appends at once.
    let other = schema.open::<AnyEvent>().await;
    let elsewhere = Uuid::new_v4();
    let outcome = common::within(
        "an append of another pool",
        other.append(
            elsewhere,
            ExpectedVersion::NoStream,
            vec![root(created(elsewhere, "Elsewhere"))],
        ),
    )
    .await
    .expect("append");
    assert_eq!(appended(outcome), (1, 3));

    // The right version and Any append, at the next positions: no gap after the conflicts.
    let outcome = store
        .append(
            character,
            ExpectedVersion::Exactly(2),
            vec![root(skill(character, 3))],
        )
        .await
        .expect("the right version");
    assert_eq!(appended(outcome), (3, 4));
    let outcome = store
        .append(
            character,
            ExpectedVersion::Any,
            vec![root(skill(character, 4))],
        )
        .await
        .expect("any version");
    assert_eq!(appended(outcome), (4, 5));
}

#[tokio::test]
async fn appending_the_same_events_again_is_an_idempotent_no_op() {
    let schema = TestSchema::new().await;
    let store = schema.open::<AnyEvent>().await;
    let character = Uuid::new_v4();
    let events = vec![root(created(character, "Mira")), root(skill(character, 1))];
    let ids: Vec<Uuid> = events.iter().map(|event| event.event_id).collect();
    store
        .append(character, ExpectedVersion::NoStream, events.clone())
        .await
        .expect("append");

    // Again, at the version it was appended at (now a conflict), at Any, and at the current one.
    for expected in [
        ExpectedVersion::NoStream,
        ExpectedVersion::Any,
        ExpectedVersion::Exactly(2),
    ] {
        let outcome = store
            .append(character, expected, events.clone())
            .await
            .expect("a retry is no error");
        assert_eq!(
            outcome,
            AppendOutcome::AlreadyStored {
                event_ids: ids.clone()
            }
        );
    }
    assert_eq!(store.last_position().await.expect("last_position"), 2);

    // Some stored, some new: refused whole, naming the first stored one.
    let fresh = root(skill(character, 5));
    let error = store
        .append(
            character,
            ExpectedVersion::Any,
            vec![fresh.clone(), events[1].clone()],
        )
        .await
        .expect_err("partly stored");
    assert!(
        matches!(error, StoreError::PartlyStored { event_id, position: 2 } if event_id == ids[1]),
        "{error:?}"
    );
    assert!(
        store
            .read_event(fresh.event_id)
            .await
            .expect("read")
            .is_none()
    );

    // The same eventId twice in one append, and an empty append.
    let twice = root(skill(character, 6));
    let error = store
        .append(
            character,
            ExpectedVersion::Any,
            vec![twice.clone(), twice.clone()],
        )
        .await
        .expect_err("twice");
    assert!(
        matches!(error, StoreError::DuplicateInAppend { event_id } if event_id == twice.event_id),
        "{error:?}"
    );
    let outcome = store
        .append(character, ExpectedVersion::Any, Vec::new())
        .await
        .expect("empty");
    assert_eq!(
        outcome,
        AppendOutcome::AlreadyStored {
            event_ids: Vec::new()
        }
    );
}

#[tokio::test]
async fn mixed_aggregates_and_invalid_payloads_are_refused_before_writing() {
    let schema = TestSchema::new().await;
    let store = schema.open::<AnyEvent>().await;
    let character = Uuid::new_v4();
    let other = Uuid::new_v4();
    let error = store
        .append(
            character,
            ExpectedVersion::Any,
            vec![
                root(created(character, "Mira")),
                root(created(other, "Oren")),
            ],
        )
        .await
        .expect_err("mixed");
    assert!(
        matches!(error, StoreError::MixedStreams { expected, found } if expected == character && found == other),
        "{error:?}"
    );
    let invalid = AnyEvent::from(CharacterRelationshipFormed {
        character_id: character,
        related_character_id: other,
        relationship_type: RelationshipType::Ally,
        relationship_strength: 1.5,
        context: "shared a campfire".into(),
        formation_event: "the storm at Gull Point".into(),
    });
    let error = store
        .append(
            character,
            ExpectedVersion::Any,
            vec![root(created(character, "Mira")), root(invalid)],
        )
        .await
        .expect_err("relationshipStrength 1.5 breaks the catalog");
    assert!(
        matches!(
            error,
            StoreError::Invalid {
                event_type: "characters.character.relationship-formed",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("relationshipStrength"),
        "{error}"
    );
    assert_eq!(store.last_position().await.expect("last_position"), 0);
}

#[tokio::test]
async fn checkpoints_and_snapshots_are_kept_per_key() {
    let schema = TestSchema::new().await;
    let store = schema.open::<AnyEvent>().await;
    assert_eq!(store.load_checkpoint("a").await.expect("load"), 0);
    store.save_checkpoint("a", 5).await.expect("save");
    store.save_checkpoint("b", 9).await.expect("save");
    store.save_checkpoint("a", 7).await.expect("save");
    assert_eq!(store.load_checkpoint("a").await.expect("load"), 7);
    assert_eq!(store.load_checkpoint("b").await.expect("load"), 9);

    let aggregate = Uuid::new_v4();
    assert_eq!(store.load_snapshot(aggregate).await.expect("load"), None);
    store
        .save_snapshot(aggregate, "Character", 3, "{\"v\":3}".into())
        .await
        .expect("save");
    // An older snapshot does not replace a newer one.
    store
        .save_snapshot(aggregate, "Character", 2, "{\"v\":2}".into())
        .await
        .expect("save");
    assert_eq!(
        store.load_snapshot(aggregate).await.expect("load"),
        Some((3, "{\"v\":3}".to_owned()))
    );
    store
        .save_snapshot(aggregate, "Character", 6, "{\"v\":6}".into())
        .await
        .expect("save");
    assert_eq!(
        store.load_snapshot(aggregate).await.expect("load"),
        Some((6, "{\"v\":6}".to_owned()))
    );
    assert_eq!(
        store.load_snapshot(Uuid::new_v4()).await.expect("load"),
        None
    );
}

/// Writes the envelope of `event` as an older version 0.9.0 whose payload named the deleted
/// character `formerName`, as a row the store's earlier writer would have left.
async fn store_old_version(schema: &TestSchema, position: i64, event: &Env) {
    let mut json = serde_json::to_value(event).expect("encodes");
    json["eventVersion"] = "0.9.0".into();
    let name = json["payload"]
        .as_object_mut()
        .and_then(|payload| payload.remove("name"))
        .expect("a name");
    json["payload"]["formerName"] = name;
    let mut connection = common::connect().await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO \"{}\".events (position, event_id, aggregate_id, aggregate_type, stream_version,
             event_type, event_version, correlation_id, causation_id, \"timestamp\", envelope)
         VALUES ($1, $2, $3, 'Character', 1, $4, '0.9.0', $2, $2, now(), $5::json);
         ",
        schema.name
    )))
    .bind(position)
    .bind(event.event_id)
    .bind(event.aggregate_id)
    .bind(event.event_type())
    .bind(json.to_string())
    .execute(&mut connection)
    .await
    .expect("insert an old row");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE \"{}\".log_head SET position = $1",
        schema.name
    )))
    .bind(position)
    .execute(&mut connection)
    .await
    .expect("move the head");
    connection.close().await.expect("close");
}

#[tokio::test]
async fn older_versions_are_upcast_on_read_and_a_bad_row_is_undecodable() {
    let schema = TestSchema::new().await;
    let mut upcasters = Upcasters::new();
    upcasters.register(
        "characters.character.deleted",
        "0.9.0",
        "1.0.0",
        |mut payload| {
            let name = payload
                .as_object_mut()
                .and_then(|payload| payload.remove("formerName"))
                .ok_or("formerName is missing")?;
            payload["name"] = name;
            Ok(payload)
        },
    );
    let store = schema
        .open_with::<AnyEvent>(novel_events_postgres::PostgresOptions {
            upcasters,
            ..schema.options()
        })
        .await;
    let character = Uuid::new_v4();
    let event = root(deleted(character));
    store_old_version(&schema, 1, &event).await;
    let read = store
        .read_stream(character, 1)
        .await
        .expect("upcast on read");
    assert_eq!(read[0].envelope, event);
    assert_eq!(read[0].envelope.event_version(), "1.0.0");

    // Without the upcaster the old row does not decode: the error names it.
    let plain = common::TestSchema::new().await;
    let without = plain.open::<AnyEvent>().await;
    store_old_version(&plain, 1, &event).await;
    let error = without.read_all(0, 10).await.expect_err("undecodable");
    assert!(
        matches!(&error, StoreError::Undecodable { position: 1, event_version, .. } if event_version == "0.9.0"),
        "{error:?}"
    );
}
