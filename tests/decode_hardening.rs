//! Hardening of the envelope decoder (issue "no input ... poisons the log"): duplicate keys
//! refused wherever they stand and whatever the key order, acceptance independent of the
//! envelope's key order, short quotes of huge input, errors about eventType and eventVersion
//! at their own position, non-finite numbers refused, and the [`Limits`] of
//! [`Envelope::from_json`].
//!
//! Every input is a hand-written fixture of `tests/fixtures/` edited as JSON text.

use std::time::{Duration, Instant};

use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::CharacterCreated;
use novel_events::{Envelope, Limits};
use novel_events_tests::novel_engine_fixture;
use serde_json::{Value, json};

/// The fixture `name` as compact JSON with the keys of `first` first (the others after them,
/// in the fixture's order) and `payload` as written in `payload`.
fn text(name: &str, first: &[&str], payload: &str) -> String {
    let fixture = novel_engine_fixture(name);
    let object = fixture.as_object().unwrap();
    let entry = |key: &str| {
        if key == "payload" {
            format!("\"payload\":{payload}")
        } else {
            format!("{}:{}", json!(key), object[key])
        }
    };
    let mut parts: Vec<String> = first.iter().map(|key| entry(key)).collect();
    parts.extend(
        object
            .keys()
            .filter(|key| !first.contains(&key.as_str()))
            .map(|key| entry(key)),
    );
    format!("{{{}}}", parts.join(","))
}

/// The fixture's payload as compact JSON, with `extra` inserted after its opening brace.
fn payload_with(name: &str, extra: &str) -> String {
    let payload = serde_json::to_string(&novel_engine_fixture(name)["payload"]).unwrap();
    format!("{{{extra}{}", &payload[1..])
}

/// The verdict of decoding `payload` in the fixture `name`, with the payload last and first
/// (both must agree; errors without their position, last then first).
fn verdict(name: &str, payload: &str) -> Result<Envelope<AnyEvent>, (String, String)> {
    let last = text(name, &[], payload);
    let first = text(name, &["payload"], payload);
    let decode = |json: &str| serde_json::from_str::<Envelope<AnyEvent>>(json);
    let (last, first) = (decode(&last), decode(&first));
    assert_eq!(
        last.is_ok(),
        first.is_ok(),
        "the payload's place changes the verdict: last {last:?}, first {first:?}"
    );
    match (last, first) {
        (Ok(last), Ok(first)) => {
            assert_eq!(last, first);
            Ok(last)
        }
        (Err(last), Err(first)) => {
            let strip = |error: serde_json::Error| {
                let message = error.to_string();
                message
                    .rsplit_once(" at line ")
                    .map_or(message.clone(), |(text, _)| text.to_owned())
            };
            Err((strip(last), strip(first)))
        }
        _ => unreachable!(),
    }
}

/// The error of decoding `payload`, which must be the same wherever the payload stands.
fn same_error(name: &str, payload: &str) -> String {
    let (last, first) = verdict(name, payload).unwrap_err();
    assert_eq!(last, first, "the payload's place changes the error");
    last
}

// ---------------------------------------------------------------------------------------------
// Duplicate keys

#[test]
fn a_duplicate_payload_field_is_refused_when_the_payload_comes_first() {
    // Before: buffered as a JSON value, the last duplicate won ("Mallory").
    let payload = payload_with("CharacterDeleted", r#""name":"Mallory","#);
    let error = same_error("CharacterDeleted", &payload);
    assert_eq!(
        error,
        "payload: duplicate field `name`: a key may appear once in an object"
    );
}

#[test]
fn a_duplicate_key_inside_an_object_field_is_refused_with_its_path() {
    // `configuration` is a catalog `object`: a JSON value, last-wins in either order before.
    let payload = serde_json::to_string(&novel_engine_fixture("CharacterCreated")["payload"])
        .unwrap()
        .replace(
            r#""configuration":{"#,
            r#""configuration":{"nested":{"a":1,"a":2},"#,
        );
    let error = same_error("CharacterCreated", &payload);
    assert_eq!(
        error,
        "payload.configuration.nested: duplicate field `a`: a key may appear once in an object"
    );
    let payload = serde_json::to_string(&novel_engine_fixture("CharacterCreated")["payload"])
        .unwrap()
        .replace(
            r#""configuration":{"#,
            r#""configuration":{"pronouns":"they","#,
        );
    let error = same_error("CharacterCreated", &payload);
    assert!(
        error.starts_with("payload.configuration: duplicate field `pronouns`"),
        "{error}"
    );
}

#[test]
fn a_duplicate_key_of_a_nested_struct_is_refused_in_either_order() {
    let payload = serde_json::to_string(&novel_engine_fixture("CharacterCreated")["payload"])
        .unwrap()
        .replace(
            r#""personalityTraits":{"#,
            r#""personalityTraits":{"openness":0.1,"#,
        );
    let error = same_error("CharacterCreated", &payload);
    assert!(
        error.starts_with("payload.personalityTraits: duplicate field `openness`"),
        "{error}"
    );
}

#[test]
fn duplicate_unknown_keys_are_refused_too() {
    // In the payload, where unknown fields are skipped...
    let payload = payload_with("CharacterDeleted", r#""note":1,"note":2,"#);
    let error = same_error("CharacterDeleted", &payload);
    assert!(
        error.starts_with("payload: duplicate field `note`"),
        "{error}"
    );
    // ... inside an unknown field ...
    let payload = payload_with("CharacterDeleted", r#""note":[{"x":1,"x":1}],"#);
    let error = same_error("CharacterDeleted", &payload);
    assert!(
        error.starts_with("payload.note[0]: duplicate field `x`"),
        "{error}"
    );
    // ... and in the envelope and its metadata.
    let fixture = serde_json::to_string(&novel_engine_fixture("CharacterDeleted")).unwrap();
    for edited in [
        fixture.replacen('{', r#"{"x-tenant":"a","x-tenant":"b","#, 1),
        fixture.replace(r#""metadata":{"#, r#""metadata":{"region":1,"region":2,"#),
    ] {
        let error = serde_json::from_str::<Envelope<AnyEvent>>(&edited)
            .unwrap_err()
            .to_string();
        assert!(error.contains("duplicate field"), "{error}");
    }
}

#[test]
fn a_typed_envelope_refuses_duplicates_the_same_way() {
    let payload = payload_with("CharacterCreated", r#""name":"Mallory","#);
    for first in [&[][..], &["payload"]] {
        let json = text("CharacterCreated", first, &payload);
        let error = serde_json::from_str::<Envelope<CharacterCreated>>(&json)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("payload: duplicate field `name`"),
            "{error}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The verdict does not depend on where the payload stands

#[test]
fn an_out_of_range_number_in_an_unknown_field_fails_in_either_order() {
    // Before: skipped unread when the payload came last (accepted), parsed when it came first
    // (refused).
    let payload = payload_with("CharacterDeleted", r#""extra":[1e400],"#);
    let (last, first) = verdict("CharacterDeleted", &payload).unwrap_err();
    assert_eq!(last, "payload: number out of range");
    assert_eq!(first, "payload: number out of range");
}

#[test]
fn deep_nesting_in_an_unknown_field_gets_one_verdict_in_either_order() {
    for depth in [10, 100, 124, 125, 126, 127, 128, 129, 300, 5000] {
        let extra = format!(r#""extra":{}1{},"#, "[".repeat(depth), "]".repeat(depth));
        let result = verdict(
            "CharacterDeleted",
            &payload_with("CharacterDeleted", &extra),
        );
        // serde_json reads 127 levels; the envelope and its payload take 2.
        match result {
            Ok(_) => assert!(depth <= 125, "depth {depth} accepted"),
            Err((last, first)) => {
                assert!(depth > 125, "depth {depth}: {last}");
                assert!(last.contains("recursion limit exceeded"), "{last}");
                assert!(first.contains("recursion limit exceeded"), "{first}");
            }
        }
    }
}

#[test]
fn every_fixture_decodes_the_same_in_either_order() {
    for (name, _) in novel_events_tests::novel_engine_fixtures() {
        let payload = serde_json::to_string(&novel_engine_fixture(&name)["payload"]).unwrap();
        let decoded = verdict(&name, &payload).unwrap_or_else(|error| panic!("{name}: {error:?}"));
        assert_eq!(
            serde_json::to_value(&decoded).unwrap(),
            novel_engine_fixture(&name)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Huge input: quick to refuse, quoted short

fn with_field(name: &str, key: &str, value: Value) -> String {
    let mut fixture = novel_engine_fixture(name);
    fixture[key] = value;
    serde_json::to_string(&fixture).unwrap()
}

#[test]
fn a_huge_unknown_event_type_is_refused_fast_and_quoted_short() {
    let huge = "characters.character.created".repeat(40_000); // about 1 MiB
    let json = with_field("CharacterCreated", "eventType", json!(huge));
    let started = Instant::now();
    let error = serde_json::from_str::<Envelope<AnyEvent>>(&json)
        .unwrap_err()
        .to_string();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(
        error.len() < 400,
        "the error quotes the input whole: {} bytes",
        error.len()
    );
    assert!(
        error.contains("unknown eventType `characterscharacter") || error.contains("…"),
        "{error}"
    );
    assert!(error.contains('…'), "{error}");
}

#[test]
fn every_error_that_quotes_input_quotes_it_short() {
    let huge = "z".repeat(1 << 20);
    let mut cases: Vec<String> = Vec::new();
    for key in ["eventVersion", "aggregateType"] {
        cases.push(with_field("CharacterCreated", key, json!(huge)));
    }
    let mut fixture = novel_engine_fixture("CharacterRelationshipFormed");
    fixture["payload"]["relationshipType"] = json!(huge); // an enum
    cases.push(serde_json::to_string(&fixture).unwrap());
    let mut fixture = novel_engine_fixture("CharacterRelationshipFormed");
    fixture["payload"]["relationshipStrength"] = json!(huge); // a number
    cases.push(serde_json::to_string(&fixture).unwrap());
    let mut fixture = novel_engine_fixture("CharacterCreated");
    fixture["payload"]["characterId"] = json!(huge); // a uuid
    cases.push(serde_json::to_string(&fixture).unwrap());
    let mut fixture = novel_engine_fixture("CharacterCreated");
    fixture["payload"]["createdBy"] = json!({ huge.clone(): 1 }); // a key where a uuid goes
    cases.push(serde_json::to_string(&fixture).unwrap());
    for json in cases {
        let error = serde_json::from_str::<Envelope<AnyEvent>>(&json)
            .unwrap_err()
            .to_string();
        assert!(
            error.len() < 600,
            "{} bytes: {}",
            error.len(),
            error.chars().take(600).collect::<String>()
        );
    }
    // A typed envelope of another event type, and an event set, quote short too.
    let json = with_field("CharacterCreated", "eventType", json!(huge));
    let error = serde_json::from_str::<Envelope<CharacterCreated>>(&json)
        .unwrap_err()
        .to_string();
    assert!(error.len() < 600, "{} bytes", error.len());
}

#[test]
fn the_runtime_and_the_compiler_quote_alike() {
    for text in [
        String::new(),
        "short".to_owned(),
        "x".repeat(80),
        "x".repeat(81),
        "é".repeat(200),
        format!("{}🦀{}", "a".repeat(79), "b".repeat(10)),
    ] {
        assert_eq!(
            novel_events::__private::shorten(&text),
            novel_events_codegen::shorten(&text),
            "{text}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Errors about eventType and eventVersion point at them

/// The column (line 1) of a decoding error of `json`.
fn error_column(json: &str) -> (String, usize) {
    let error = serde_json::from_str::<Envelope<AnyEvent>>(json).unwrap_err();
    assert_eq!(error.line(), 1, "{error}");
    (error.to_string(), error.column())
}

/// The column just after `"key":value` in `json`.
fn end_of(json: &str, key: &str, value: &str) -> usize {
    let entry = format!("{}:{}", json!(key), json!(value));
    json.find(&entry).unwrap() + entry.len()
}

#[test]
fn an_unknown_event_version_is_reported_at_the_event_version() {
    let json = with_field("CharacterCreated", "eventVersion", json!("9.9.9"));
    let (error, column) = error_column(&json);
    assert!(error.starts_with("eventVersion: "), "{error}");
    assert_eq!(column, end_of(&json, "eventVersion", "9.9.9"), "{error}");
    assert!(column < json.find("\"payload\"").unwrap(), "{error}");
}

#[test]
fn an_unknown_event_type_is_reported_at_the_event_type() {
    // eventType after eventVersion: the error is at eventType.
    let fixture = novel_engine_fixture("CharacterCreated");
    let mut edited = fixture.clone();
    edited["eventType"] = json!("characters.character.vanished");
    let json = text_of(&edited, &["eventVersion", "eventType"]);
    let (error, column) = error_column(&json);
    assert!(error.starts_with("eventType: unknown eventType"), "{error}");
    assert_eq!(
        column,
        end_of(&json, "eventType", "characters.character.vanished")
    );
    // A typed envelope of another type: at the second of the two as well.
    let json = serde_json::to_string(&novel_engine_fixture("CharacterDeleted")).unwrap();
    let error = serde_json::from_str::<Envelope<CharacterCreated>>(&json).unwrap_err();
    assert_eq!(
        error.column(),
        end_of(&json, "eventVersion", "1.0.0"),
        "{error}"
    );
}

#[test]
fn an_aggregate_type_mismatch_is_reported_near_the_aggregate_type() {
    let mut edited = novel_engine_fixture("CharacterCreated");
    edited["aggregateType"] = json!("Story");
    // After the payload: at aggregateType itself.
    let json = text_of(
        &edited,
        &["eventType", "eventVersion", "payload", "aggregateType"],
    );
    let (error, column) = error_column(&json);
    assert!(
        error.starts_with("aggregateType: expected `Character`"),
        "{error}"
    );
    assert_eq!(column, end_of(&json, "aggregateType", "Story"));
    // Before the payload: once the payload is read, not at the end of the envelope.
    let json = text_of(
        &edited,
        &["eventType", "eventVersion", "aggregateType", "payload"],
    );
    let (error, column) = error_column(&json);
    assert!(error.starts_with("aggregateType: "), "{error}");
    assert!(column < json.find("\"metadata\"").unwrap(), "{error}");
}

fn text_of(value: &Value, first: &[&str]) -> String {
    let object = value.as_object().unwrap();
    let mut parts: Vec<String> = first
        .iter()
        .map(|key| format!("{}:{}", json!(key), object[*key]))
        .collect();
    parts.extend(
        object
            .iter()
            .filter(|(key, _)| !first.contains(&key.as_str()))
            .map(|(key, value)| format!("{}:{value}", json!(key))),
    );
    format!("{{{}}}", parts.join(","))
}

// ---------------------------------------------------------------------------------------------
// Non-finite numbers and the limits of `Envelope::from_json`

#[test]
fn the_decoder_refuses_numbers_out_of_a_float_s_range() {
    let mut fixture = novel_engine_fixture("CharacterCreated");
    fixture["payload"]["personalityTraits"]["openness"] = json!(0.5);
    let json = serde_json::to_string(&fixture)
        .unwrap()
        .replace("\"openness\":0.5", "\"openness\":1e309");
    let error = serde_json::from_str::<Envelope<AnyEvent>>(&json)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("payload.personalityTraits.openness: ") && error.contains("out of range"),
        "{error}"
    );
}

#[test]
fn from_json_checks_the_size_before_parsing() {
    let limits = Limits::default();
    // Not even JSON: refused for its size, so it was not parsed.
    let huge = vec![b'['; Limits::DEFAULT_MAX_ENVELOPE_BYTES + 1];
    let error = Envelope::<AnyEvent>::from_json(&huge, &limits)
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        format!(
            "the envelope is {} bytes, more than the limit `max_envelope_bytes` ({})",
            huge.len(),
            Limits::DEFAULT_MAX_ENVELOPE_BYTES
        )
    );
    for (name, text) in novel_events_tests::novel_engine_fixtures() {
        let decoded = Envelope::<AnyEvent>::from_json(text.as_bytes(), &limits)
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(decoded, serde_json::from_str(&text).unwrap());
    }
}

#[test]
fn from_json_enforces_depth_and_string_length_with_the_path() {
    let payload = payload_with("CharacterDeleted", r#""extra":{"a":[[[[1]]]]},"#);
    let json = text("CharacterDeleted", &["payload"], &payload);
    let limits = Limits::default().with_max_depth(5).unwrap();
    let error = Envelope::<AnyEvent>::from_json(json.as_bytes(), &limits)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with(
            "payload.extra.a[0][0]: nested deeper than the limit `max_depth` (5 levels"
        ),
        "{error}"
    );
    assert!(Envelope::<AnyEvent>::from_json(json.as_bytes(), &Limits::default()).is_ok());

    let long = "n".repeat(300);
    let mut fixture = novel_engine_fixture("CharacterDeleted");
    fixture["payload"]["name"] = json!(long);
    let json = serde_json::to_vec(&fixture).unwrap();
    let limits = Limits::default().with_max_string_bytes(256).unwrap();
    let error = Envelope::<AnyEvent>::from_json(&json, &limits)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with(
            "payload.name: a string of 300 bytes is longer than the limit `max_string_bytes` (256)"
        ),
        "{error}"
    );
}

#[test]
fn serde_decoding_reads_back_what_raised_limits_accepted() {
    // A store reads with serde: a long string accepted under raised limits still decodes.
    let mut fixture = novel_engine_fixture("CharacterDeleted");
    fixture["payload"]["deletionReason"] = json!("r".repeat(2 << 20));
    let json = serde_json::to_string(&fixture).unwrap();
    let decoded: Envelope<AnyEvent> = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), fixture);
}
