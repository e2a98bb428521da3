//! `Envelope<DynamicPayload<_>>` and `Envelope<CheckedPayload<_>>`, which the `validate`
//! command uses, against the generated `Envelope<AnyEvent>` of the Novel Engine catalog: on
//! the hand-written fixtures and thousands of broken copies of them (every field removed,
//! replaced by wrong values, duplicated, nested fields too; headers too), all three accept
//! and refuse alike, with the same error text, and what is accepted is written back alike.
//!
//! The same holds on `tests/catalogs/workshop.yaml`, which uses every construct of the catalog
//! format (defaults, optional and deprecated fields, named types, arrays of nested objects,
//! two versions of an event, a name-based aggregate id), compiled here with `include_catalog!`.
//!
//! The metadata is the one `novel-events` builds from the YAML at run time (not the compiled
//! `CATALOG`), so this also holds that construction to the generated code.

#[path = "../../tests/rng.rs"]
#[allow(dead_code)] // The crash tests' helpers of the generator are not used here.
mod rng;

use std::sync::OnceLock;

use novel_events::catalog::{CatalogSource, CheckedPayload, DynamicPayload};
use novel_events::novel_engine::AnyEvent;
use novel_events::{CatalogInfo, Envelope, EventPayload};
use serde_json::{Value, json};

/// The workshop catalog, compiled (with the upcaster its breaking version needs).
use novel_events_tests::conformance::store::workshop;

/// A catalog as `novel-events` loads it: parsed from the YAML at run time.
fn load(relative: &str) -> &'static CatalogInfo {
    let path = format!("{}/../{relative}", env!("CARGO_MANIFEST_DIR"));
    let catalog = novel_events_cli::catalog_file::load(path.as_ref()).expect("valid");
    novel_events_cli::metadata::catalog_info(&catalog)
}

/// The Novel Engine catalog, loaded at run time.
struct FromYaml;

impl CatalogSource for FromYaml {
    fn catalog() -> &'static CatalogInfo {
        static INFO: OnceLock<&'static CatalogInfo> = OnceLock::new();
        INFO.get_or_init(|| load("novel-events/catalog/novel-engine.yaml"))
    }
}

/// The workshop catalog, loaded at run time.
struct WorkshopYaml;

impl CatalogSource for WorkshopYaml {
    fn catalog() -> &'static CatalogInfo {
        static INFO: OnceLock<&'static CatalogInfo> = OnceLock::new();
        INFO.get_or_init(|| load("tests/catalogs/workshop.yaml"))
    }
}

fn fixtures() -> Vec<(String, Value)> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/novel-engine"
    );
    let mut fixtures: Vec<(String, Value)> = std::fs::read_dir(dir)
        .expect("the fixtures directory")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable");
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (
                name,
                serde_json::from_str(&text).expect("a fixture is JSON"),
            )
        })
        .collect();
    fixtures.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(fixtures.len(), 26);
    fixtures
}

/// Decodes `text` the three ways on the Novel Engine catalog; panics unless they agree.
/// Returns whether it was accepted.
fn agree(text: &str) -> bool {
    agree_on::<AnyEvent, FromYaml>(text)
}

/// Decodes `text` as `Envelope<G>` (generated) and with the dynamic payloads of the catalog
/// `S`; panics unless the three agree. Returns whether it was accepted.
fn agree_on<G: EventPayload, S: CatalogSource>(text: &str) -> bool {
    let generated = serde_json::from_str::<Envelope<G>>(text);
    let dynamic = serde_json::from_str::<Envelope<DynamicPayload<S>>>(text);
    let checked = serde_json::from_str::<Envelope<CheckedPayload<S>>>(text);
    match (generated, dynamic, checked) {
        (Ok(generated), Ok(dynamic), Ok(checked)) => {
            assert_eq!(
                serde_json::to_value(&generated).unwrap(),
                serde_json::to_value(&dynamic).unwrap(),
                "written back alike: {text}"
            );
            assert_eq!(checked.event_id, generated.event_id);
            assert_eq!(checked.aggregate_id, generated.aggregate_id);
            true
        }
        (Err(generated), Err(dynamic), Err(checked)) => {
            assert_eq!(generated.to_string(), dynamic.to_string(), "{text}");
            assert_eq!(generated.to_string(), checked.to_string(), "{text}");
            false
        }
        (generated, dynamic, checked) => panic!(
            "disagree on {text}\n generated: {:?}\n dynamic: {:?}\n checked: {:?}",
            generated.map(|_| ()),
            dynamic.map(|_| ()),
            checked.map(|_| ())
        ),
    }
}

/// Values of every JSON type, and some that only some types accept.
fn wrong_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!(u64::MAX),
        json!(""),
        json!("x"),
        json!("2025-08-26T09:02:14Z"),
        json!("2025-08-26 09:02:14"),
        json!("6b1f0e2d-9c8a-4b7e-a6d5-4c3b2a190f8e"),
        json!("protagonist"),
        json!([]),
        json!([1]),
        json!(["x"]),
        json!({}),
        json!({ "a": 1 }),
    ]
}

/// Every path to an object member under `value` (`["payload", "personalityTraits"]`, ...),
/// through arrays by index.
fn member_paths(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(Step::Key(key.clone()));
                out.push(prefix.clone());
                member_paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                prefix.push(Step::Index(index));
                member_paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// The object holding the last step of `path`, and that step's key.
fn parent<'a>(
    value: &'a mut Value,
    path: &[Step],
) -> (&'a mut serde_json::Map<String, Value>, String) {
    let (last, init) = path.split_last().expect("a path");
    let mut node = value;
    for step in init {
        node = match step {
            Step::Key(key) => &mut node[key.as_str()],
            Step::Index(index) => &mut node[*index],
        };
    }
    let Step::Key(key) = last else {
        panic!("paths end at a key")
    };
    (node.as_object_mut().expect("an object"), key.clone())
}

#[test]
fn fixtures_decode_alike_and_write_back_alike() {
    for (name, fixture) in fixtures() {
        assert!(agree(&fixture.to_string()), "{name} is accepted");
        // `payload` before eventType: the envelope buffers it as a Value first.
        let object = fixture.as_object().unwrap();
        let mut text = format!("{{\"payload\":{}", object["payload"]);
        for (key, value) in object.iter().filter(|(key, _)| *key != "payload") {
            text.push_str(&format!(",{}:{value}", Value::from(key.as_str())));
        }
        text.push('}');
        assert!(agree(&text), "{name} with payload first is accepted");
    }
}

/// Every member of every fixture removed, and replaced by each wrong value, decoded by
/// `agree`: the counts of (accepted, refused).
fn break_members(fixtures: &[Value], agree: fn(&str) -> bool) -> (usize, usize) {
    let wrong = wrong_values();
    let (mut accepted, mut refused) = (0, 0);
    for fixture in fixtures {
        let mut paths = Vec::new();
        member_paths(fixture, &mut Vec::new(), &mut paths);
        for path in &paths {
            let mut removed = fixture.clone();
            let (object, key) = parent(&mut removed, path);
            object.remove(&key);
            let outcome = agree(&removed.to_string());
            *if outcome { &mut accepted } else { &mut refused } += 1;
            for value in &wrong {
                let mut replaced = fixture.clone();
                let (object, key) = parent(&mut replaced, path);
                object.insert(key, value.clone());
                let outcome = agree(&replaced.to_string());
                *if outcome { &mut accepted } else { &mut refused } += 1;
            }
        }
    }
    (accepted, refused)
}

#[test]
fn broken_fixtures_fail_alike() {
    let fixtures: Vec<Value> = fixtures().into_iter().map(|(_, value)| value).collect();
    let (accepted, refused) = break_members(&fixtures, agree);
    // Both outcomes are exercised in numbers (optional fields, `object` fields and unknown
    // keys accept many values; most replacements are refused).
    assert!(
        accepted > 500 && refused > 5_000,
        "{accepted} accepted, {refused} refused"
    );
}

#[test]
fn duplicate_and_out_of_range_members_fail_alike() {
    for (_, fixture) in fixtures() {
        let payload = fixture["payload"].as_object().unwrap();
        for (key, value) in payload {
            // The member again, at the end of the payload: refused by all (`duplicate field`).
            let mut text = fixture.to_string();
            let payload_text = Value::Object(payload.clone()).to_string();
            let duplicated = format!(
                "{},{}:{value}}}",
                &payload_text[..payload_text.len() - 1],
                Value::from(key.as_str())
            );
            text = text.replacen(&payload_text, &duplicated, 1);
            assert!(!agree(&text), "a duplicate `{key}` is refused: {text}");
            // Numbers JSON can write and f64 cannot hold, and integers beyond i64.
            for raw in ["1e400", "-1e400", "9223372036854775808", "1.0", "-0", "1E2"] {
                let mut broken = fixture.clone();
                broken["payload"][key.as_str()] = json!("__RAW__");
                let text = broken.to_string().replace("\"__RAW__\"", raw);
                agree(&text);
            }
        }
    }
}

#[test]
fn an_unknown_event_or_version_fails_alike() {
    let (_, fixture) = fixtures().remove(0);
    for (key, value) in [
        ("eventType", json!("characters.character.creatd")),
        ("eventType", json!("nothing.like.this")),
        ("eventVersion", json!("9.9.9")),
        ("aggregateType", json!("Nothing")),
        ("aggregateId", json!("00000000-0000-0000-0000-000000000000")),
    ] {
        let mut broken = fixture.clone();
        broken[key] = value;
        assert!(!agree(&broken.to_string()));
    }
}

/// Random byte edits of compact fixtures (a byte changed, removed, inserted, duplicated, the
/// line cut): `CheckedPayload`, which `validate` decodes, agrees with the generated code on
/// every outcome, error for error, and nothing panics.
#[test]
fn random_byte_mutations_fail_alike() {
    const INTERESTING: &[u8] = b"{}[]\",:0123456789.eE+-tfnul \\\xff\x00";
    let lines: Vec<Vec<u8>> = fixtures()
        .iter()
        .map(|(_, value)| value.to_string().into_bytes())
        .collect();
    let mut rng = rng::Rng::new(0x6e6f_7665_6c2d_6576);
    let mut refused = 0;
    for _ in 0..20_000 {
        let mut line = lines[rng.below(lines.len() as u64) as usize].clone();
        for _ in 0..=rng.below(3) {
            if line.is_empty() {
                break;
            }
            let at = rng.below(line.len() as u64) as usize;
            let byte = INTERESTING[rng.below(INTERESTING.len() as u64) as usize];
            match rng.below(5) {
                0 => line[at] = byte,
                1 => {
                    line.remove(at);
                }
                2 => line.insert(at, byte),
                3 => {
                    let end = (at + 1 + rng.below(40) as usize).min(line.len());
                    let copy = line[at..end].to_vec();
                    line.splice(at..at, copy);
                }
                _ => line.truncate(at.max(1)),
            }
        }
        let line = line
            .into_iter()
            .filter(|byte| *byte != b'\n')
            .collect::<Vec<u8>>();
        let generated = serde_json::from_slice::<Envelope<AnyEvent>>(&line);
        let checked = serde_json::from_slice::<Envelope<CheckedPayload<FromYaml>>>(&line);
        match (&generated, &checked) {
            (Ok(_), Ok(_)) => {}
            (Err(generated), Err(checked)) => {
                refused += 1;
                assert_eq!(
                    generated.to_string(),
                    checked.to_string(),
                    "{}",
                    String::from_utf8_lossy(&line)
                );
            }
            _ => panic!(
                "disagree on {}: generated {:?}, checked {:?}",
                String::from_utf8_lossy(&line),
                generated.as_ref().map(|_| ()),
                checked.as_ref().map(|_| ())
            ),
        }
    }
    assert!(
        refused > 10_000,
        "most mutations break the envelope: {refused}"
    );
}

/// Hand-written envelopes of the workshop catalog: both versions of OrderPlaced (the second
/// with every kind of field, some optional ones absent so that defaults apply) and a
/// MachineStatusChanged, whose aggregate id is the UUID v5 of its machine's name.
fn workshop_envelopes() -> Vec<Value> {
    let header = |event_type: &str, version: &str, aggregate_type: &str, aggregate_id: &str| {
        json!({
            "eventId": "3b0a9c1e-5d2f-4e7a-8b6c-1d0e9f8a7b6c",
            "eventType": event_type,
            "eventVersion": version,
            "aggregateId": aggregate_id,
            "aggregateType": aggregate_type,
            "timestamp": "2026-03-02T08:30:00Z",
            "correlationId": "3b0a9c1e-5d2f-4e7a-8b6c-1d0e9f8a7b6c",
            "causationId": "3b0a9c1e-5d2f-4e7a-8b6c-1d0e9f8a7b6c",
            "metadata": { "source": "shop-front" }
        })
    };
    let order = "c2d3e4f5-a6b7-4c8d-9e0f-a1b2c3d4e5f6";
    let mut v1 = header("orders.order.placed", "1.0.0", "Order", order);
    v1["payload"] = json!({ "orderId": order, "items": ["oak shelf", "brass hinges"] });
    let mut v2 = header("orders.order.placed", "2.0.0", "Order", order);
    v2["payload"] = json!({
        "orderId": order,
        "placedAt": "2026-03-02T08:29:41.500+01:00",
        "priority": "urgent",
        "lines": [
            { "sku": "SHELF-OAK-90", "quantity": 2, "unitPrice": 89.5 },
            { "sku": "HINGE-BR-4", "quantity": 8, "unitPrice": 3 }
        ],
        "deliverTo": { "street": "12 Mill Lane", "city": "Ashford" },
        "notes": null,
        "couponCode": "SPRING10",
        "type": "express",
        "metadata": { "referrer": "newsletter" }
    });
    let machine = novel_events::name_based_aggregate_id("packer-2").to_string();
    let mut status = header(
        "machines.machine.status-changed",
        "1.0.0",
        "Machine",
        &machine,
    );
    status["payload"] = json!({ "machineName": "packer-2", "status": "maintenance", "load": 0.25 });
    vec![v1, v2, status]
}

fn agree_on_workshop(text: &str) -> bool {
    agree_on::<workshop::AnyEvent, WorkshopYaml>(text)
}

#[test]
fn the_workshop_catalog_decodes_alike() {
    assert_eq!(
        WorkshopYaml::catalog(),
        &workshop::CATALOG,
        "the metadata built at run time"
    );
    let envelopes = workshop_envelopes();
    for envelope in &envelopes {
        assert!(
            agree_on_workshop(&envelope.to_string()),
            "accepted: {envelope}"
        );
    }
    // Defaults are written back as the generated type writes them.
    let v2: Envelope<DynamicPayload<WorkshopYaml>> =
        serde_json::from_value(envelopes[1].clone()).unwrap();
    assert_eq!(v2.payload.value()["giftWrap"], false);
    assert_eq!(v2.payload.value()["channel"], "web");
    assert!(!v2.payload.value().contains_key("notes"));
    // A payload on its own, as a publisher of a catalog loaded at run time would check it.
    let payload = envelopes[1]["payload"].clone();
    let alone =
        DynamicPayload::<WorkshopYaml>::from_value("orders.order.placed", "2.0.0", payload.clone());
    assert_eq!(alone.unwrap(), v2.payload);
    let error = DynamicPayload::<WorkshopYaml>::from_value("orders.order.placed", "1.0.0", payload)
        .unwrap_err();
    assert_eq!(error.to_string(), "payload: missing field `items`");
    let (accepted, refused) = break_members(&envelopes, agree_on_workshop);
    assert!(
        accepted > 50 && refused > 400,
        "{accepted} accepted, {refused} refused"
    );
}
