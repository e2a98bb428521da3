//! `Envelope<DynamicPayload<_>>` and `Envelope<CheckedPayload<_>>`, which the `validate`
//! command uses, against the generated `Envelope<AnyEvent>` of the Novel Engine catalog: on
//! the hand-written fixtures and thousands of broken copies of them (every field removed,
//! replaced by wrong values, duplicated, nested fields too; headers too), all three accept
//! and refuse alike, with the same error text, and what is accepted is written back alike.
//!
//! The metadata is the one `novel-events` builds from the YAML at run time (not the compiled
//! `CATALOG`), so this also holds that construction to the generated code.

#[path = "../../tests/rng.rs"]
#[allow(dead_code)] // The crash tests' helpers of the generator are not used here.
mod rng;

use std::sync::OnceLock;

use novel_events::catalog::{CatalogSource, CheckedPayload, DynamicPayload};
use novel_events::novel_engine::AnyEvent;
use novel_events::{CatalogInfo, Envelope};
use serde_json::{Value, json};

/// The Novel Engine catalog as `novel-events` loads it: parsed from the YAML at run time.
struct FromYaml;

impl CatalogSource for FromYaml {
    fn catalog() -> &'static CatalogInfo {
        static INFO: OnceLock<&'static CatalogInfo> = OnceLock::new();
        INFO.get_or_init(|| {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../novel-events/catalog/novel-engine.yaml"
            );
            let catalog = novel_events_cli::catalog_file::load(path.as_ref()).expect("valid");
            novel_events_cli::metadata::catalog_info(&catalog)
        })
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

/// Decodes `text` the three ways; panics unless they agree. Returns whether it was accepted.
fn agree(text: &str) -> bool {
    let generated = serde_json::from_str::<Envelope<AnyEvent>>(text);
    let dynamic = serde_json::from_str::<Envelope<DynamicPayload<FromYaml>>>(text);
    let checked = serde_json::from_str::<Envelope<CheckedPayload<FromYaml>>>(text);
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

#[test]
fn broken_fixtures_fail_alike() {
    let wrong = wrong_values();
    let (mut accepted, mut refused) = (0, 0);
    for (_, fixture) in fixtures() {
        let mut paths = Vec::new();
        member_paths(&fixture, &mut Vec::new(), &mut paths);
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
