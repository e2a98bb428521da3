//! A rolling upgrade, producers first: a producer built on a catalog where
//! `characters.character.created` is at 1.1.0 (an optional and a defaulted field added), and
//! consumers still built on 1.0.0, exchanging events as JSON through the in-memory bus and
//! through one SQLite file. A consumer whose event promises forward compatibility
//! (`compatibilityMode: forward`) decodes 1.1.0 as 1.0.0, ignoring the fields it does not know;
//! one whose event does not (the default, backward) refuses it, saying why, and refuses at open
//! a store that holds it. The upgraded
//! side's service gets both versions through its one method, 1.0.0 upcast by the generated
//! `Upcast` step.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use novel_events::{
    Envelope, EventAppender, EventBus, EventReader, ExpectedVersion, HandlerError, HandlerResult,
    HoldingsCheck, InMemoryBus, Latest, Projection, SqliteEventStore, StoreError, StoreOptions,
    StoredEvent, SubscriptionOptions, handler_fn,
};
use uuid::Uuid;

mod producer {
    novel_events::include_catalog!("catalogs/rolling/producer.yaml");
}

mod forward {
    novel_events::include_catalog!("catalogs/rolling/consumer_forward.yaml");
}

mod backward {
    novel_events::include_catalog!("catalogs/rolling/consumer_backward.yaml");
}

const SOURCE: &str = "rolling-upgrade-test";

fn created_v1_1(character: Uuid) -> producer::AnyEvent {
    producer::characters::CharacterCreated {
        character_id: character,
        name: "Mira Vale".into(),
        nickname: Some("Mi".into()),
        level: 7,
    }
    .into()
}

fn created_v1_0(character: Uuid) -> producer::AnyEvent {
    producer::characters::CharacterCreatedV1_0_0 {
        character_id: character,
        name: "Old Tom".into(),
    }
    .into()
}

/// What a Memory Service saw: eventId, eventVersion, name.
type Seen = Arc<Mutex<Vec<(Uuid, &'static str, String)>>>;

/// The Memory Service of a consumer not yet upgraded.
#[derive(Clone, Default)]
struct OldMemory {
    seen: Seen,
}

impl forward::MemoryServiceSubscriber for OldMemory {
    async fn on_character_created(
        &self,
        event: &Envelope<forward::characters::CharacterCreated>,
    ) -> HandlerResult {
        self.seen.lock().unwrap().push((
            event.event_id,
            event.event_version(),
            event.payload.name.clone(),
        ));
        Ok(())
    }
}

/// What the upgraded Memory Service saw: eventVersion, name, nickname, level.
type SeenNew = Arc<Mutex<Vec<(&'static str, String, Option<String>, i64)>>>;

/// The Memory Service of the upgraded side: one method, whatever the version published.
#[derive(Clone, Default)]
struct NewMemory {
    seen: SeenNew,
}

impl producer::MemoryServiceSubscriber for NewMemory {
    async fn on_character_created(
        &self,
        event: &Envelope<producer::characters::CharacterCreated>,
    ) -> HandlerResult {
        let payload = &event.payload;
        self.seen.lock().unwrap().push((
            event.event_version(),
            payload.name.clone(),
            payload.nickname.clone(),
            payload.level,
        ));
        Ok(())
    }
}

/// The producer's bus, whose immediate `wire` subscriber writes each envelope as JSON (what
/// a broker would carry to the other processes), and the upgraded Memory Service.
async fn producer_bus() -> (
    InMemoryBus<producer::AnyEvent>,
    Arc<Mutex<Vec<String>>>,
    NewMemory,
) {
    let bus = InMemoryBus::<producer::AnyEvent>::new();
    let wire = Arc::new(Mutex::new(Vec::new()));
    let lines = Arc::clone(&wire);
    bus.subscribe(
        SubscriptionOptions::immediate("wire"),
        handler_fn(move |envelope: Arc<Envelope<producer::AnyEvent>>| {
            let line = serde_json::to_string(&*envelope).expect("an envelope serializes");
            lines.lock().unwrap().push(line);
            async { Ok(()) }
        }),
    )
    .await
    .expect("subscribe the wire");
    let memory = NewMemory::default();
    bus.subscribe(
        SubscriptionOptions::immediate("memory"),
        producer::MemoryServiceSubscriber::into_handler(memory.clone()),
    )
    .await
    .expect("subscribe the upgraded Memory Service");
    (bus, wire, memory)
}

#[tokio::test]
async fn through_the_bus_a_forward_reader_decodes_the_newer_minor_as_its_own() {
    let (producer_bus, wire, new_memory) = producer_bus().await;
    let consumer_bus = InMemoryBus::<forward::AnyEvent>::new();
    let old_memory = OldMemory::default();
    consumer_bus
        .subscribe(
            SubscriptionOptions::immediate("memory"),
            forward::MemoryServiceSubscriber::into_handler(old_memory.clone()),
        )
        .await
        .expect("subscribe the old Memory Service");

    let character = Uuid::new_v4();
    let newer = Envelope::new(created_v1_1(character), SOURCE);
    let older = Envelope::new(created_v1_0(Uuid::new_v4()), SOURCE);
    producer_bus
        .publish(newer.clone())
        .await
        .expect("publish 1.1.0");
    producer_bus
        .publish(older.clone())
        .await
        .expect("publish 1.0.0");

    let lines = wire.lock().unwrap().clone();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].contains(r#""eventVersion":"1.1.0""#),
        "{}",
        lines[0]
    );
    for line in &lines {
        let envelope: Envelope<forward::AnyEvent> =
            serde_json::from_str(line).expect("a forward reader decodes 1.0.0 and 1.1.0");
        consumer_bus
            .publish(envelope)
            .await
            .expect("the consumer publishes it");
    }
    assert_eq!(
        *old_memory.seen.lock().unwrap(),
        [
            (newer.event_id, "1.0.0", "Mira Vale".to_owned()),
            (older.event_id, "1.0.0", "Old Tom".to_owned()),
        ]
    );
    // The upgraded service has one method: 1.0.0 reaches it upcast, with the defaults.
    assert_eq!(
        *new_memory.seen.lock().unwrap(),
        [
            ("1.1.0", "Mira Vale".to_owned(), Some("Mi".to_owned()), 7),
            ("1.1.0", "Old Tom".to_owned(), None, 1),
        ]
    );
}

#[tokio::test]
async fn through_the_bus_a_backward_reader_refuses_the_newer_minor_and_says_why() {
    let (producer_bus, wire, _) = producer_bus().await;
    producer_bus
        .publish(Envelope::new(created_v1_1(Uuid::new_v4()), SOURCE))
        .await
        .expect("publish 1.1.0");
    let line = wire.lock().unwrap()[0].clone();
    let error = serde_json::from_str::<Envelope<backward::AnyEvent>>(&line)
        .expect_err("1.1.0 is unknown to a backward reader");
    let message = error.to_string();
    for expected in [
        "eventVersion: `characters.character.created` has no version 1.1.0 in catalog `rolling`",
        "known versions: 1.0.0",
        "compatibilityMode promised forward compatibility",
    ] {
        assert!(message.contains(expected), "{expected:?} in {message}");
    }
    // A version of another major is refused by the forward reader too.
    let major = line.replace(r#""eventVersion":"1.1.0""#, r#""eventVersion":"2.0.0""#);
    let error = serde_json::from_str::<Envelope<forward::AnyEvent>>(&major)
        .expect_err("2.0.0 is not a newer minor");
    assert!(
        error.to_string().contains("has no version 2.0.0"),
        "{error}"
    );
}

/// A projection of the upgraded side written against the newest version only: the levels.
struct Levels(Vec<(String, i64)>);

impl Projection<producer::AnyEvent> for Levels {
    fn name(&self) -> &str {
        "levels"
    }

    fn apply(&mut self, event: &StoredEvent<producer::AnyEvent>) -> Result<(), HandlerError> {
        if let producer::AnyEvent::CharacterCreated(created) = &event.envelope.payload {
            self.0.push((created.name.clone(), created.level));
        }
        Ok(())
    }
}

/// A SQLite file of its own, removed at the end.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

#[tokio::test]
async fn through_the_store_each_reader_reads_as_its_catalog_allows() {
    let file = TempFile(std::env::temp_dir().join(format!("rolling-{}.db", Uuid::new_v4())));
    let writer = SqliteEventStore::<producer::AnyEvent>::open(&file.0).expect("open the store");
    let old = Envelope::new(created_v1_0(Uuid::new_v4()), SOURCE);
    let new = Envelope::new(created_v1_1(Uuid::new_v4()), SOURCE);
    for envelope in [&old, &new] {
        writer
            .append(
                envelope.aggregate_id,
                ExpectedVersion::NoStream,
                vec![envelope.clone()],
            )
            .await
            .expect("append");
    }

    // The upgraded reader, asked, sees both as 1.1.0.
    let latest: Vec<_> = writer
        .read_all(0, 10)
        .await
        .expect("read_all")
        .into_iter()
        .map(|stored| stored.into_latest().envelope)
        .collect();
    let producer::AnyEvent::CharacterCreated(first) = &latest[0].payload else {
        panic!("1.0.0 upcast: {:?}", latest[0].payload);
    };
    assert_eq!(
        (first.name.as_str(), first.level, &first.nickname),
        ("Old Tom", 1, &None)
    );
    assert_eq!(latest[0].event_id, old.event_id);
    assert_eq!(latest[1], new);
    // So does a projection wrapped in `Latest`; unwrapped, it would skip the 1.0.0 event.
    let mut levels = Latest(Levels(Vec::new()));
    novel_events::store::projection::replay(&writer, &mut levels)
        .await
        .expect("replay");
    assert_eq!(
        levels.0.0,
        [("Old Tom".to_owned(), 1), ("Mira Vale".to_owned(), 7)]
    );
    let mut unwrapped = Levels(Vec::new());
    novel_events::store::projection::replay(&writer, &mut unwrapped)
        .await
        .expect("replay");
    assert_eq!(unwrapped.0, [("Mira Vale".to_owned(), 7)]);

    let forward_reader =
        SqliteEventStore::<forward::AnyEvent>::open(&file.0).expect("open the store again");
    let read = forward_reader.read_all(0, 10).await.expect("read_all");
    let seen: Vec<_> = read
        .iter()
        .map(|stored| match &stored.envelope.payload {
            forward::AnyEvent::CharacterCreated(payload) => (
                stored.envelope.event_id,
                stored.envelope.event_version(),
                payload.name.clone(),
                payload.character_id,
            ),
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                old.event_id,
                "1.0.0",
                "Old Tom".to_owned(),
                old.aggregate_id
            ),
            (
                new.event_id,
                "1.0.0",
                "Mira Vale".to_owned(),
                new.aggregate_id
            ),
        ]
    );

    // The reader whose event does not promise forward compatibility is refused at open, told
    // what it cannot read and why...
    match SqliteEventStore::<backward::AnyEvent>::open(&file.0) {
        Err(StoreError::UnreadableEvents(unreadable)) => {
            let held: Vec<_> = unreadable
                .events
                .iter()
                .map(|event| (event.kind.event_version.as_str(), event.count))
                .collect();
            assert_eq!(held, [("1.1.0", 1)]);
            let message = unreadable.to_string();
            assert!(
                message.contains("version 1.1.0 is newer than the newest")
                    && message.contains("compatibilityMode that promises forward reads"),
                "{message}"
            );
        }
        other => panic!("expected UnreadableEvents, got {:?}", other.err()),
    }
    // ... and, opened without the check, reads what it can and fails on the rest, saying why.
    let backward_reader = SqliteEventStore::<backward::AnyEvent>::open_with(
        &file.0,
        StoreOptions {
            check_holdings: HoldingsCheck::Off,
            ..StoreOptions::default()
        },
    )
    .expect("open the store again, unchecked");
    let first = backward_reader.read_all(0, 1).await.expect("1.0.0 reads");
    assert_eq!(first[0].envelope.event_id, old.event_id);
    match backward_reader.read_all(0, 10).await {
        Err(StoreError::Undecodable {
            position,
            event_version,
            message,
            ..
        }) => {
            assert_eq!((position, event_version.as_str()), (2, "1.1.0"));
            assert!(
                message.contains("has no version 1.1.0")
                    && message.contains("compatibilityMode promised forward compatibility"),
                "{message}"
            );
        }
        other => panic!("expected Undecodable, got {other:?}"),
    }
}
