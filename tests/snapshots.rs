//! Snapshot tests of generated code: each small catalog of `tests/catalogs/` is expanded,
//! formatted with prettyplease and compared with `tests/snapshots/<name>.rs`. The snapshots are
//! also compiled (included below) and used, so a snapshot that stops compiling fails too.
//!
//! After an intended change of the generator, refresh them with
//! `UPDATE_SNAPSHOTS=1 cargo test -p novel-events-tests --test snapshots` and review the diff.

use std::path::Path;

/// The snapshot catalogs, by name, with their paths relative to `tests/`.
const CATALOGS: &[(&str, &str)] = &[
    ("library", "../novel-events/examples/library.yaml"),
    ("workshop", "catalogs/workshop.yaml"),
];

fn expand(name: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let relative = CATALOGS
        .iter()
        .find(|(catalog, _)| *catalog == name)
        .map(|(_, path)| *path)
        .expect("a known snapshot catalog");
    let path = dir.join(relative);
    let catalog = novel_events_codegen::load_catalog(&path, relative)
        .unwrap_or_else(|errors| panic!("catalog {name} is valid: {errors:?}"));
    let tokens =
        novel_events_codegen::generate(&catalog, &novel_events_codegen::Options::default());
    let file: syn::File = syn::parse2(tokens).expect("generated code parses as a Rust file");
    format!(
        "// @generated from {relative} by novel-events-codegen; see tests/snapshots.rs.\n{}",
        prettyplease::unparse(&file)
    )
}

fn check_snapshot(name: &str) {
    let actual = expand(name);
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("snapshots")
        .join(format!("{name}.rs"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &actual).expect("snapshot is writable");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "generated code for {name} differs from {} from line {}:\n  snapshot: {:?}\n  now:      {:?}\n\
             Run UPDATE_SNAPSHOTS=1 cargo test -p novel-events-tests --test snapshots and review the diff.",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>"),
        );
    }
}

#[test]
fn library_snapshot() {
    check_snapshot("library");
}

#[test]
fn workshop_snapshot() {
    check_snapshot("workshop");
}

#[allow(dead_code, unused_imports)]
mod library {
    include!("snapshots/library.rs");
}

#[allow(dead_code, unused_imports)]
mod workshop {
    include!("snapshots/workshop.rs");

    /// 1.0.0 → 2.0.0 is not additive: the catalog needs this step to compile.
    impl novel_events::Upcast<orders::OrderPlacedV2_0_0> for orders::OrderPlacedV1_0_0 {
        fn upcast(self) -> orders::OrderPlacedV2_0_0 {
            orders::OrderPlacedV2_0_0 {
                order_id: self.order_id,
                placed_at: chrono::DateTime::UNIX_EPOCH,
                priority: Priority::Normal,
                lines: Vec::new(),
                deliver_to: Address {
                    street: self.items.join(", "),
                    city: String::new(),
                    postcode: None,
                },
                gift_wrap: false,
                channel: orders::Channel::Web,
                notes: None,
                coupon_code: None,
                r#type: orders::Type::Standard,
                metadata: serde_json::Map::new(),
            }
        }
    }
}

#[test]
fn snapshot_of_library_compiles_and_works() {
    use novel_events::{Envelope, Event};
    let borrowed = library::lending::BookBorrowed {
        book_id: uuid::Uuid::nil(),
        due_in_days: 14,
        format: library::lending::Format::Ebook,
    };
    assert_eq!(
        library::lending::BookBorrowed::EVENT_TYPE,
        "lending.book.borrowed"
    );
    let envelope = Envelope::new(borrowed, "desk");
    let json = serde_json::to_string(&envelope).unwrap();
    let back: Envelope<library::AnyEvent> = serde_json::from_str(&json).unwrap();
    assert!(matches!(back.payload, library::AnyEvent::BookBorrowed(_)));
}

#[test]
fn snapshot_of_workshop_compiles_and_names_versions() {
    use novel_events::Event;
    use workshop::orders::{OrderPlaced, OrderPlacedV1_0_0, OrderPlacedV2_0_0};
    assert_eq!(OrderPlaced::EVENT_VERSION, "2.0.0");
    // The newest version is also named for its version, for good.
    assert_eq!(OrderPlacedV2_0_0::EVENT_VERSION, "2.0.0");
    assert_eq!(OrderPlacedV1_0_0::EVENT_VERSION, "1.0.0");
    let old = workshop::AnyEvent::from(OrderPlacedV1_0_0 {
        order_id: uuid::Uuid::nil(),
        items: vec!["SKU-1".into()],
    });
    assert!(!old.is_latest());
    let workshop::AnyEvent::OrderPlaced(newest) = old.into_latest() else {
        panic!("1.0.0 upcasts to the newest variant");
    };
    assert_eq!(newest.deliver_to.street, "SKU-1");
    assert_eq!(workshop::Priority::VALUES, ["low", "normal", "urgent"]);
    assert_eq!(workshop::orders::Channel::InStore.as_str(), "in-store");
    assert_eq!(
        workshop::CATALOG
            .events
            .iter()
            .filter(|event| event.is_latest)
            .count(),
        2
    );
}
