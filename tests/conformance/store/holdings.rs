//! What a store holds, checked when it opens against the payload type it is opened with: a
//! store written with one catalog ([`writer`]) opened with readers that lack something of it,
//! each refused with every pair it cannot read, its count and advice that fits the cause, or
//! opened because it reads them all (as stored, as a forward-compatible newer release, through
//! upcasters).
//!
//! The tests are generic over where a store lives ([`StoreLocation`]: a SQLite file, a
//! PostgreSQL schema), which each backend opens with any payload type. Backends run them from
//! their own test files, beside the test of their migration to the table they keep the pairs in.

use std::future::Future;

use novel_events::store::{EventKind, HoldingsCheck, Unreadable, UnreadableEvents};
use novel_events::{
    Envelope, EventAppender, EventPayload, EventReader, EventSet, ExpectedVersion, StoreError,
    Upcasters,
};
use serde_json::Value;
use uuid::Uuid;

/// The catalog that wrote the stores (`catalogs/holdings/writer.yaml`).
pub mod writer {
    novel_events::include_catalog!("catalogs/holdings/writer.yaml");
}

/// `BookShelved` only at 1.0.0, without forward reads, and no `BookWithdrawn`
/// (`catalogs/holdings/old_reader.yaml`).
pub mod old_reader {
    novel_events::include_catalog!("catalogs/holdings/old_reader.yaml");
}

/// `BookShelved` 1.0.0 reading newer releases (`catalogs/holdings/forward_reader.yaml`).
pub mod forward_reader {
    novel_events::include_catalog!("catalogs/holdings/forward_reader.yaml");
}

/// `BookShelved` only at 2.0.0 (`catalogs/holdings/new_reader.yaml`).
pub mod new_reader {
    novel_events::include_catalog!("catalogs/holdings/new_reader.yaml");
}

/// The writer's shelving events only, in both versions: a part of the catalog on purpose.
#[derive(Debug, Clone, PartialEq, EventSet)]
pub enum Shelving {
    /// 1.1.0.
    Shelved(writer::library::BookShelved),
    /// 1.0.0.
    ShelvedFirst(writer::library::BookShelvedV1_0_0),
}

/// The writer's shelving events of 1.0.0 only.
#[derive(Debug, Clone, PartialEq, EventSet)]
pub enum FirstShelving {
    /// 1.0.0.
    Shelved(writer::library::BookShelvedV1_0_0),
}

/// Where a store lives (a SQLite file, a PostgreSQL schema), which the tests open again and
/// again, each time with the payload type, upcasters and check they choose.
pub trait StoreLocation {
    /// The store, reading `P`.
    type Store<P: EventPayload + Send + Sync + 'static>: EventAppender<P> + EventReader<P>;

    /// Opens (or creates) the store here.
    fn open<P: EventPayload + Send + Sync + 'static>(
        &self,
        upcasters: Upcasters,
        check: HoldingsCheck,
    ) -> impl Future<Output = Result<Self::Store<P>, StoreError>>;

    /// The pairs `store` lists (its `event_kinds`).
    fn event_kinds<P: EventPayload + Send + Sync + 'static>(
        store: &Self::Store<P>,
    ) -> impl Future<Output = Result<Vec<EventKind>, StoreError>>;
}

const SOURCE: &str = "holdings-tests";

/// The books of [`write_the_library`]: `a` and `b` shelved at 1.0.0, `c` at 1.1.0; each lent;
/// `a` withdrawn.
pub struct Library {
    /// Shelved at 1.0.0, lent, withdrawn.
    pub a: Uuid,
    /// Shelved at 1.0.0, lent.
    pub b: Uuid,
    /// Shelved at 1.1.0, lent.
    pub c: Uuid,
}

/// What the writer's catalog appends to a new store at `location`: `library.book.shelved`
/// 1.0.0 twice and 1.1.0 once, `library.book.lent` 1.0.0 three times, `library.book.withdrawn`
/// 2.0.0 once.
pub async fn write_the_library<L: StoreLocation>(location: &L) -> Library {
    use writer::library::{BookLent, BookShelved, BookShelvedV1_0_0, BookWithdrawn};
    let store = location
        .open::<writer::AnyEvent>(Upcasters::new(), HoldingsCheck::Readable)
        .await
        .expect("a new store opens");
    let library = Library {
        a: Uuid::new_v4(),
        b: Uuid::new_v4(),
        c: Uuid::new_v4(),
    };
    let first = |book_id| {
        writer::AnyEvent::from(BookShelvedV1_0_0 {
            book_id,
            shelf: "poetry".into(),
        })
    };
    let lent = |book_id| {
        writer::AnyEvent::from(BookLent {
            book_id,
            reader: "Ada".into(),
        })
    };
    let streams = [
        (
            library.a,
            vec![
                first(library.a),
                lent(library.a),
                BookWithdrawn { book_id: library.a }.into(),
            ],
        ),
        (library.b, vec![first(library.b), lent(library.b)]),
        (
            library.c,
            vec![
                BookShelved {
                    book_id: library.c,
                    shelf: "maps".into(),
                    section: Some("north".into()),
                }
                .into(),
                lent(library.c),
            ],
        ),
    ];
    for (book, events) in streams {
        let envelopes = events
            .into_iter()
            .map(|payload| Envelope::new(payload, SOURCE))
            .collect();
        store
            .append(book, ExpectedVersion::NoStream, envelopes)
            .await
            .expect("append");
    }
    library
}

/// The refusal inside `result`, or a panic saying what came instead.
#[track_caller]
fn refusal<S>(result: Result<S, StoreError>) -> (UnreadableEvents, String) {
    match result {
        Err(StoreError::UnreadableEvents(unreadable)) => {
            let message = unreadable.to_string();
            (*unreadable, message)
        }
        Err(other) => panic!("expected UnreadableEvents, got {other:?}"),
        Ok(_) => panic!("expected UnreadableEvents, but the store opened"),
    }
}

/// The pairs a refusal lists: eventType, eventVersion, count, why.
fn listed(unreadable: &UnreadableEvents) -> Vec<(&str, &str, u64, Unreadable)> {
    unreadable
        .events
        .iter()
        .map(|event| {
            (
                event.kind.event_type.as_str(),
                event.kind.event_version.as_str(),
                event.count,
                event.why.clone(),
            )
        })
        .collect()
}

#[track_caller]
fn assert_says(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "`{part}` is not in:\n{message}");
    }
}

/// A reader built on an older catalog, which lacks an eventType and knows only an older
/// version of another, is refused at open: the error lists both pairs with their counts, and
/// says for each why and what to do. Opened without the check, it reads what it can.
pub async fn a_store_of_another_catalog_is_refused_with_every_pair_it_cannot_read<
    L: StoreLocation,
>(
    location: &L,
) {
    let library = write_the_library(location).await;
    let (unreadable, message) = refusal(
        location
            .open::<old_reader::AnyEvent>(Upcasters::new(), HoldingsCheck::Readable)
            .await,
    );
    assert_eq!(
        listed(&unreadable),
        [
            (
                "library.book.shelved",
                "1.1.0",
                1,
                Unreadable::NewerVersion {
                    newest: "1.0.0",
                    same_major: true
                }
            ),
            (
                "library.book.withdrawn",
                "2.0.0",
                1,
                Unreadable::UnknownType { nearest: None }
            ),
        ]
    );
    assert_says(
        &message,
        &[
            "holds 2 events that catalog `holdings-old-reader` cannot read",
            "`library.book.withdrawn` 2.0.0 (1 event): catalog `holdings-old-reader` has no eventType `library.book.withdrawn`",
            "written with another catalog",
            "`library.book.shelved` 1.1.0 (1 event): version 1.1.0 is newer than the newest catalog `holdings-old-reader` knows (1.0.0)",
            "upgrade this reader",
            "compatibilityMode that promises forward reads for `library.book.shelved`",
            "`check_holdings: HoldingsCheck::Off`",
        ],
    );
    // A subset check is the same for a catalog: it has no eventTypes left out on purpose.
    let (complete, _) = refusal(
        location
            .open::<old_reader::AnyEvent>(Upcasters::new(), HoldingsCheck::Complete)
            .await,
    );
    assert_eq!(complete, unreadable);

    let unchecked = location
        .open::<old_reader::AnyEvent>(Upcasters::new(), HoldingsCheck::Off)
        .await
        .expect("opens unchecked");
    let b = unchecked.read_stream(library.b, 1).await.expect("book b");
    assert_eq!(b.len(), 2);
    match unchecked.read_stream(library.c, 1).await {
        Err(StoreError::Undecodable { event_version, .. }) => assert_eq!(event_version, "1.1.0"),
        other => panic!("expected Undecodable, got {other:?}"),
    }
}

/// A reader whose event promises forward compatibility opens a store holding a newer release
/// of the same major version, and reads it as the version it knows.
pub async fn a_reader_that_reads_forward_opens_a_store_of_newer_releases<L: StoreLocation>(
    location: &L,
) {
    let library = write_the_library(location).await;
    let store = location
        .open::<forward_reader::AnyEvent>(Upcasters::new(), HoldingsCheck::Readable)
        .await
        .expect("a forward reader opens the store");
    let c = store.read_stream(library.c, 1).await.expect("book c");
    match &c[0].envelope.payload {
        forward_reader::AnyEvent::BookShelved(shelved) => assert_eq!(shelved.shelf, "maps"),
        other => panic!("expected BookShelved, got {other:?}"),
    }
    assert_eq!(store.read_all(0, 100).await.expect("read_all").len(), 7);
}

/// A reader whose catalog dropped the older versions is refused, told which upcaster to
/// register; with upcasters to its version it opens and reads them all as its version, and
/// upcasters that stop at a version it does not know are refused too.
pub async fn an_older_version_needs_an_upcaster_which_opens_the_store<L: StoreLocation>(
    location: &L,
) {
    let library = write_the_library(location).await;
    let (unreadable, message) = refusal(
        location
            .open::<new_reader::AnyEvent>(Upcasters::new(), HoldingsCheck::Readable)
            .await,
    );
    let older = Unreadable::OlderVersion { oldest: "2.0.0" };
    assert_eq!(
        listed(&unreadable),
        [
            ("library.book.shelved", "1.0.0", 2, older.clone()),
            ("library.book.shelved", "1.1.0", 1, older),
        ]
    );
    assert_says(
        &message,
        &[
            "holds 3 events that catalog `holdings-new-reader` cannot read",
            "`library.book.shelved` 1.0.0 (2 events): version 1.0.0 is older than every version catalog `holdings-new-reader` knows (2.0.0) and no upcaster starts from it",
            "`Upcasters::register(\"library.book.shelved\", \"1.0.0\", \"2.0.0\", ...)`",
            "`Upcasters::register(\"library.book.shelved\", \"1.1.0\", \"2.0.0\", ...)`",
            "an `Upcast` step",
        ],
    );

    // Upcasters that stop short of the reader's versions.
    let mut short = Upcasters::new();
    short.register("library.book.shelved", "1.0.0", "1.1.0", Ok);
    let (unreadable, message) = refusal(
        location
            .open::<new_reader::AnyEvent>(short, HoldingsCheck::Readable)
            .await,
    );
    assert_eq!(
        listed(&unreadable)
            .into_iter()
            .map(|(event_type, version, count, _)| (event_type, version, count))
            .collect::<Vec<_>>(),
        [
            ("library.book.shelved", "1.0.0", 2),
            ("library.book.shelved", "1.1.0", 1)
        ]
    );
    assert_eq!(
        unreadable.events[0].why,
        Unreadable::UpcastToUnknown { to: "1.1.0".into() }
    );
    assert_says(
        &message,
        &[
            "the store's upcasters convert it to 1.1.0, which catalog `holdings-new-reader` does not decode either (it knows 2.0.0)",
        ],
    );

    let store = location
        .open::<new_reader::AnyEvent>(to_location(), HoldingsCheck::Readable)
        .await
        .expect("with upcasters to 2.0.0, the store opens");
    for (book, location) in [(library.b, "poetry"), (library.c, "maps")] {
        let events = store.read_stream(book, 1).await.expect("read_stream");
        match &events[0].envelope.payload {
            new_reader::AnyEvent::BookShelved(shelved) => {
                assert_eq!(shelved.location, location);
            }
            other => panic!("expected BookShelved 2.0.0, got {other:?}"),
        }
    }
}

/// `library.book.shelved` 1.0.0 → 1.1.0 → 2.0.0, `shelf` become `location`.
fn to_location() -> Upcasters {
    let mut upcasters = Upcasters::new();
    upcasters.register("library.book.shelved", "1.0.0", "1.1.0", Ok);
    upcasters.register("library.book.shelved", "1.1.0", "2.0.0", |mut payload| {
        let object = payload
            .as_object_mut()
            .ok_or("the payload is not an object")?;
        let shelf = object.remove("shelf").ok_or("no shelf")?;
        object.remove("section");
        object.insert("location".into(), shelf);
        Ok::<Value, String>(payload)
    });
    upcasters
}

/// The pairs a store holds are listed with the append that first stores them, once each (an
/// append stored already, or refused, lists nothing); the writer's own catalog opens its store,
/// older versions included (the typed upcasting brings them to the newest when asked).
pub async fn the_writers_catalog_opens_its_store_and_lists_what_it_holds<L: StoreLocation>(
    location: &L,
) {
    let store = location
        .open::<writer::AnyEvent>(Upcasters::new(), HoldingsCheck::Readable)
        .await
        .expect("a new store opens");
    assert_eq!(L::event_kinds(&store).await.expect("event_kinds"), []);
    let d = Uuid::new_v4();
    let shelved = Envelope::new(
        writer::AnyEvent::from(writer::library::BookShelved {
            book_id: d,
            shelf: "atlases".into(),
            section: None,
        }),
        SOURCE,
    );
    let shelved_kinds = [EventKind::new("library.book.shelved", "1.1.0")];
    store
        .append(d, ExpectedVersion::NoStream, vec![shelved.clone()])
        .await
        .expect("append");
    assert_eq!(
        L::event_kinds(&store).await.expect("event_kinds"),
        shelved_kinds
    );
    store
        .append(d, ExpectedVersion::Any, vec![shelved])
        .await
        .expect("the same append again");
    let lent = Envelope::new(
        writer::AnyEvent::from(writer::library::BookLent {
            book_id: d,
            reader: "Grace".into(),
        }),
        SOURCE,
    );
    let refused = store.append(d, ExpectedVersion::NoStream, vec![lent]).await;
    assert!(
        matches!(refused, Err(StoreError::Conflict { .. })),
        "{refused:?}"
    );
    assert_eq!(
        L::event_kinds(&store).await.expect("event_kinds"),
        shelved_kinds
    );

    let library = write_the_library(location).await;
    let store = location
        .open::<writer::AnyEvent>(Upcasters::new(), HoldingsCheck::Readable)
        .await
        .expect("the writer's catalog opens its store");
    assert_eq!(
        L::event_kinds(&store).await.expect("event_kinds"),
        [
            EventKind::new("library.book.lent", "1.0.0"),
            EventKind::new("library.book.shelved", "1.0.0"),
            EventKind::new("library.book.shelved", "1.1.0"),
            EventKind::new("library.book.withdrawn", "2.0.0"),
        ]
    );
    let a = store.read_stream(library.a, 1).await.expect("book a");
    let latest = a[0].clone().into_latest();
    assert!(
        matches!(&latest.envelope.payload, writer::AnyEvent::BookShelved(shelved) if shelved.section.is_none()),
        "{latest:?}"
    );
}

/// An event set is checked on the eventTypes it names: it opens a store holding others (it
/// leaves them out on purpose) unless asked for [`HoldingsCheck::Complete`], and is refused when
/// it lacks a version of one it names.
pub async fn an_event_set_is_checked_on_the_event_types_it_names<L: StoreLocation>(location: &L) {
    let library = write_the_library(location).await;
    let store = location
        .open::<Shelving>(Upcasters::new(), HoldingsCheck::Readable)
        .await
        .expect("a set of some of the eventTypes opens the store");
    // It reads its own events.
    let first = store.read_all(0, 1).await.expect("the first event");
    assert!(
        matches!(&first[0].envelope.payload, Shelving::ShelvedFirst(shelved) if shelved.book_id == library.a),
        "{first:?}"
    );

    let (unreadable, message) = refusal(
        location
            .open::<Shelving>(Upcasters::new(), HoldingsCheck::Complete)
            .await,
    );
    assert_eq!(
        listed(&unreadable),
        [
            (
                "library.book.lent",
                "1.0.0",
                3,
                Unreadable::UnknownType { nearest: None }
            ),
            (
                "library.book.withdrawn",
                "2.0.0",
                1,
                Unreadable::UnknownType { nearest: None }
            ),
        ]
    );
    assert_says(
        &message,
        &[
            "holds 4 events that event set `Shelving` cannot read",
            "event set `Shelving` has no variant for eventType `library.book.lent`: add one",
            "`HoldingsCheck::Readable` (the default)",
        ],
    );

    let (unreadable, message) = refusal(
        location
            .open::<FirstShelving>(Upcasters::new(), HoldingsCheck::Readable)
            .await,
    );
    assert_eq!(
        listed(&unreadable),
        [(
            "library.book.shelved",
            "1.1.0",
            1,
            Unreadable::NewerVersion {
                newest: "1.0.0",
                same_major: true
            }
        )]
    );
    assert_says(&message, &["give the event set a variant holding 1.1.0"]);
}
