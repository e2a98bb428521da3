//! The example envelopes the docs site shows (`EventInfo::example_envelope`): for every event
//! of every catalog of the repository, and of a catalog written here to use every type the
//! format allows, the example conforms to the event's JSON Schema (formats checked) and decodes
//! as the event: as `Envelope<AnyEvent>` for the compiled Novel Engine catalog, and through
//! `DynamicPayload` (what `novel-events validate` runs) for every catalog, giving back the same
//! JSON.

use std::cell::Cell;
use std::path::{Path, PathBuf};

use jsonschema::Validator;
use novel_events::catalog::{CatalogSource, DynamicPayload, EXAMPLE_NAMESPACE, EXAMPLE_TIMESTAMP};
use novel_events::novel_engine::{AnyEvent, CATALOG};
use novel_events::{CatalogInfo, Envelope, EventInfo, name_based_aggregate_id};
use novel_events_cli::{catalog_file, metadata};
use serde_json::{Value, json};

thread_local! {
    /// The catalog the payloads decoded on this thread are checked against.
    static CURRENT: Cell<Option<&'static CatalogInfo>> = const { Cell::new(None) };
}

/// The catalog of the test running on this thread (tests run on threads of their own).
struct ThisThread;

impl CatalogSource for ThisThread {
    fn catalog() -> &'static CatalogInfo {
        CURRENT
            .with(Cell::get)
            .expect("a catalog set for this thread")
    }
}

fn validator(schema: &Value) -> Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|error| panic!("schema does not compile: {error}"))
}

/// Asserts that the example of every event of `info` conforms to its schema and decodes
/// through `DynamicPayload` to the same JSON.
fn check_examples(info: &'static CatalogInfo) {
    CURRENT.with(|current| current.set(Some(info)));
    assert!(!info.events.is_empty(), "{}: no events", info.name);
    for event in info.events {
        let example = event.example_envelope();
        let what = format!("{} {} {}", info.name, event.name, event.event_version);
        let schema = info
            .json_schema(event.event_type, event.event_version)
            .expect("a schema");
        let errors: Vec<String> = validator(&schema)
            .iter_errors(&example)
            .map(|error| format!("{error} at {}", error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{what}: {errors:?}\n{example:#}");
        let envelope: Envelope<DynamicPayload<ThisThread>> =
            serde_json::from_value(example.clone())
                .unwrap_or_else(|error| panic!("{what}: {error}\n{example:#}"));
        assert_eq!(envelope.payload.info().name, event.name, "{what}");
        assert_eq!(
            serde_json::to_value(&envelope).expect("serializes"),
            example,
            "{what}: decoding keeps the example as it is"
        );
    }
}

fn catalog_info(path: &Path) -> &'static CatalogInfo {
    let catalog =
        catalog_file::parse(path).unwrap_or_else(|error| panic!("{}: {error:?}", path.display()));
    metadata::catalog_info(&catalog)
}

fn yaml_files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "yaml")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn novel_engine_examples_conform_to_their_schemas_and_decode_as_any_event() {
    assert_eq!(CATALOG.events.len(), 26);
    for event in CATALOG.events {
        let example = event.example_envelope();
        let schema = CATALOG
            .json_schema(event.event_type, event.event_version)
            .expect("a schema");
        assert!(
            validator(&schema).is_valid(&example),
            "{}: {example:#}",
            event.name
        );
        let envelope: Envelope<AnyEvent> = serde_json::from_value(example.clone())
            .unwrap_or_else(|error| panic!("{}: {error}", event.name));
        assert_eq!(envelope.event_type(), event.event_type);
        assert_eq!(serde_json::to_value(&envelope).unwrap(), example);
    }
    check_examples(&CATALOG);
}

#[test]
fn examples_of_every_catalog_of_the_repository_conform_and_decode() {
    let mut files = vec![
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../novel-events/catalog/novel-engine.yaml"),
    ];
    files.extend(yaml_files("../tests/catalogs"));
    files.extend(yaml_files("../tests/catalogs/rolling"));
    files.extend(yaml_files("../novel-events/examples"));
    assert!(files.len() >= 7, "{files:?}");
    for file in files {
        check_examples(catalog_info(&file));
    }
}

/// A catalog that uses every type, bound, default and presence the format allows.
const EVERY_TYPE: &str = r#"
catalog: every-type
version: "1.0.0"
types:
  Tier: { enum: [bronze, silver, gold] }
  Address:
    fields:
      street: string
      postcode: string?
      tags: [string]
domains:
  shop:
    publisher: Shop Service
    events:
      - name: OrderPlaced
        eventType: shop.order.placed
        eventVersion: "1.0.0"
        aggregateType: Order
        aggregateId: orderId
        payload:
          orderId: uuid
          customerId: uuid
          placedAt: datetime
          paid: boolean
          note: string?
          extras: object
          tier: Tier
          channel: { enum: [web, phone], name: Channel }
          quantity: { type: integer, min: 1, max: 28 }
          retries: { type: integer, default: 3, min: 0 }
          floor: { type: integer, min: 7 }
          ceiling: { type: integer, max: -2 }
          discount: { type: number, min: 0.0, max: 0.3 }
          weight: { type: number, min: 2.5 }
          plan: { type: string, default: basic }
          rush: { type: boolean, default: false }
          lines: { type: [string], default: [] }
          meta: { type: object, default: {} }
          shipTo: Address
          stops: [Address]
          matrix: [[integer]]
          when: [datetime]
          gift:
            name: Gift
            optional: true
            fields:
              wrapped: boolean
              message: string?
  system:
    events:
      - name: NodeChecked
        eventType: system.node.checked
        eventVersion: "1.0.0"
        aggregateType: Node
        aggregateId: { uuidV5Of: node }
        category: system
        publisher: Monitor
        payload:
          node: string
          load: { type: number, min: 0, max: 1 }
"#;

#[test]
fn examples_cover_every_type_of_the_format_with_values_chosen_from_the_metadata() {
    let catalog = novel_events_codegen::parse_catalog(EVERY_TYPE, "every-type.yaml")
        .unwrap_or_else(|errors| panic!("{errors:?}"));
    let info = metadata::catalog_info(&catalog);
    check_examples(info);

    let order = info.event("shop.order.placed", "1.0.0").unwrap();
    let envelope = order.example_envelope();
    let payload = &envelope["payload"];
    let uuid_of = |name: &str| {
        json!(novel_events::uuid::Uuid::new_v5(
            &EXAMPLE_NAMESPACE,
            name.as_bytes()
        ))
    };
    assert_eq!(payload["orderId"], uuid_of("orderId"));
    assert_eq!(envelope["aggregateId"], payload["orderId"]);
    assert_eq!(payload["placedAt"], EXAMPLE_TIMESTAMP);
    assert_eq!(envelope["timestamp"], EXAMPLE_TIMESTAMP);
    assert_eq!(payload["paid"], true);
    assert_eq!(payload["note"], "example note", "optional fields are shown");
    assert_eq!(payload["extras"], json!({}));
    assert_eq!(payload["tier"], "bronze");
    assert_eq!(payload["channel"], "web");
    assert_eq!(payload["quantity"], 14);
    assert_eq!(payload["retries"], 3, "the default");
    assert_eq!(payload["floor"], 7);
    assert_eq!(payload["ceiling"], -2);
    assert_eq!(payload["discount"], 0.15);
    assert_eq!(payload["weight"], 2.5);
    assert_eq!(payload["plan"], "basic");
    assert_eq!(payload["rush"], false);
    assert_eq!(payload["lines"], json!([]));
    assert_eq!(payload["meta"], json!({}));
    assert_eq!(
        payload["shipTo"],
        json!({ "street": "example street", "postcode": "example postcode", "tags": ["example tags"] })
    );
    assert_eq!(payload["stops"][0]["street"], "example street");
    assert_eq!(payload["matrix"], json!([[1]]));
    assert_eq!(payload["when"], json!([EXAMPLE_TIMESTAMP]));
    assert_eq!(
        payload["gift"],
        json!({ "wrapped": true, "message": "example message" })
    );
    assert_eq!(envelope["metadata"]["source"], "Shop Service");
    assert!(
        envelope.get("userId").is_some(),
        "a domain event has a user"
    );

    let checked: &EventInfo = info.event("system.node.checked", "1.0.0").unwrap();
    let envelope = checked.example_envelope();
    assert_eq!(
        envelope["aggregateId"],
        json!(name_based_aggregate_id("example node"))
    );
    assert_eq!(envelope["payload"]["load"], 0.5);
    assert!(
        envelope.get("userId").is_none(),
        "a system event has no user"
    );
    assert_eq!(envelope["metadata"]["source"], "Monitor");
}
