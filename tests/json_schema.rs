//! The JSON Schema export of the Novel Engine catalog: one draft 2020-12 schema per event that
//! compiles with the `jsonschema` crate (formats checked), accepts the hand-written fixture and
//! refuses copies broken in each way the catalog constrains. Every copy the schema refuses
//! because of its payload or header values is also refused by the decoder.

use jsonschema::{Draft, Validator};
use novel_events::novel_engine::{AnyEvent, CATALOG};
use novel_events::{Envelope, EventInfo, FieldInfo, TypeInfo};
use novel_events_tests::novel_engine_fixture;
use serde_json::{Value, json};

const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

fn schema_of(event: &EventInfo) -> Value {
    CATALOG
        .json_schema(event.event_type, event.event_version)
        .unwrap_or_else(|| panic!("no schema for {}", event.name))
}

fn validator(schema: &Value) -> Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|error| panic!("schema does not compile: {error}\n{schema:#}"))
}

/// A field of a payload at any depth: its JSON pointer from the envelope and its catalog info.
struct Field {
    pointer: String,
    info: &'static FieldInfo,
}

fn fields(prefix: &str, infos: &'static [FieldInfo], out: &mut Vec<Field>) {
    for info in infos {
        let pointer = format!("{prefix}/{}", info.name);
        if let TypeInfo::Struct { fields: nested, .. } = info.ty {
            fields(&pointer, nested, out);
        }
        out.push(Field { pointer, info });
    }
}

fn all_fields(event: &EventInfo) -> Vec<Field> {
    let mut out = Vec::new();
    fields("/payload", event.fields, &mut out);
    out
}

/// The fixture with the value at `pointer` replaced.
fn with(fixture: &Value, pointer: &str, value: Value) -> Value {
    let mut copy = fixture.clone();
    *copy
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in the fixture")) = value;
    copy
}

/// The fixture without the key at `pointer`.
fn without(fixture: &Value, pointer: &str) -> Value {
    let mut copy = fixture.clone();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    copy.pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .and_then(|object| object.remove(key))
        .unwrap_or_else(|| panic!("no {pointer} in the fixture"));
    copy
}

struct Checker<'a> {
    name: &'a str,
    validator: Validator,
    refused: usize,
}

impl Checker<'_> {
    /// The schema must refuse `copy`, with an error at `pointer` (the instance path, a JSON
    /// pointer from the envelope); when `decoder_too`, so must `Envelope<AnyEvent>`.
    fn refuses(&mut self, what: &str, pointer: &str, copy: &Value, decoder_too: bool) {
        let errors: Vec<(String, String)> = self
            .validator
            .iter_errors(copy)
            .map(|error| (error.instance_path().to_string(), error.to_string()))
            .collect();
        assert!(
            !errors.is_empty(),
            "{}: the schema accepts {what} at {pointer}",
            self.name
        );
        assert!(
            errors.iter().any(|(path, _)| path == pointer),
            "{}: {what} at {pointer} refused elsewhere: {errors:?}",
            self.name
        );
        if decoder_too {
            assert!(
                serde_json::from_value::<Envelope<AnyEvent>>(copy.clone()).is_err(),
                "{}: the decoder accepts {what} at {pointer}, which the schema refuses",
                self.name
            );
        }
        self.refused += 1;
    }
}

#[test]
fn every_event_has_a_draft_2020_12_schema() {
    assert_eq!(CATALOG.events.len(), 26);
    for event in CATALOG.events {
        let schema = schema_of(event);
        assert_eq!(schema["$schema"], DRAFT_2020_12, "{}", event.name);
        assert_eq!(
            Draft::Draft202012.detect(&schema),
            Draft::Draft202012,
            "{}",
            event.name
        );
        assert_eq!(
            validator(&schema).draft(),
            Draft::Draft202012,
            "{}",
            event.name
        );
        jsonschema::meta::validate(&schema)
            .unwrap_or_else(|error| panic!("{}: not a valid 2020-12 schema: {error}", event.name));
        assert_eq!(schema["type"], "object");
        assert_eq!(schema["properties"]["eventType"]["const"], event.event_type);
        assert_eq!(
            schema["properties"]["eventVersion"]["const"],
            event.event_version
        );
        assert_eq!(
            schema["properties"]["aggregateType"]["const"],
            event.aggregate_type
        );
    }
}

#[test]
fn an_unknown_event_type_or_version_has_no_schema() {
    assert!(
        CATALOG
            .json_schema("characters.character.create", "1.0.0")
            .is_none()
    );
    assert!(
        CATALOG
            .json_schema("billing.invoice.paid", "1.0.0")
            .is_none()
    );
    assert!(
        CATALOG
            .json_schema("characters.character.created", "2.0.0")
            .is_none()
    );
    assert!(CATALOG.json_schema("", "").is_none());
    assert!(
        CATALOG
            .json_schema("characters.character.created", "1.0.0")
            .is_some()
    );
}

#[test]
fn every_schema_accepts_its_fixture_and_the_decoders_output() {
    for event in CATALOG.events {
        let validator = validator(&schema_of(event));
        let fixture = novel_engine_fixture(event.name);
        let errors: Vec<String> = validator
            .iter_errors(&fixture)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{}: fixture refused: {errors:?}",
            event.name
        );

        let envelope: Envelope<AnyEvent> = serde_json::from_value(fixture.clone()).unwrap();
        let reencoded = serde_json::to_value(&envelope).unwrap();
        assert!(validator.is_valid(&reencoded), "{}", event.name);

        // Optional envelope parts and unknown fields are allowed, as the decoder allows them.
        let mut lean = without(&fixture, "/userId");
        lean["metadata"] = json!({ "source": "svc" });
        lean["extension"] = json!({ "anything": [1, 2] });
        lean["payload"]["addedLater"] = json!(true);
        assert!(validator.is_valid(&lean), "{}", event.name);
        assert!(
            serde_json::from_value::<Envelope<AnyEvent>>(lean).is_ok(),
            "{}",
            event.name
        );
    }
}

#[test]
fn a_schema_refuses_another_events_fixture() {
    for (index, event) in CATALOG.events.iter().enumerate() {
        let validator = validator(&schema_of(event));
        let other = &CATALOG.events[(index + 1) % CATALOG.events.len()];
        assert!(
            !validator.is_valid(&novel_engine_fixture(other.name)),
            "the schema of {} accepts the fixture of {}",
            event.name,
            other.name
        );
    }
}

#[test]
fn every_schema_refuses_broken_copies_of_its_fixture() {
    let mut enums = 0;
    let mut bounded = 0;
    let mut uuids = 0;
    let mut datetimes = 0;
    let mut integers = 0;
    for event in CATALOG.events {
        let fixture = novel_engine_fixture(event.name);
        let mut check = Checker {
            name: event.name,
            validator: validator(&schema_of(event)),
            refused: 0,
        };

        // Header: const eventType / eventVersion / aggregateType, uuids, date-time, required.
        let other_type = CATALOG
            .events
            .iter()
            .find(|other| other.event_type != event.event_type)
            .unwrap()
            .event_type;
        for (pointer, wrong) in [
            ("/eventType", json!(other_type)),
            ("/eventType", json!(format!("{}x", event.event_type))),
            ("/eventVersion", json!("2.0.0")),
            ("/eventVersion", json!("1.0")),
            ("/aggregateType", json!("Elsewhere")),
        ] {
            // Another known eventType may or may not decode the payload: schema only.
            let decoder_too = pointer != "/eventType" || wrong != json!(other_type);
            check.refuses(
                "a wrong const",
                pointer,
                &with(&fixture, pointer, wrong),
                decoder_too,
            );
        }
        for pointer in [
            "/eventId",
            "/aggregateId",
            "/correlationId",
            "/causationId",
            "/userId",
        ] {
            for wrong in [
                "not-a-uuid",
                "0f6c2a7e3d414b9a8e2571c4d9a0b3e1x",
                "0f6c2a7e-3d41",
            ] {
                check.refuses(
                    "a malformed uuid",
                    pointer,
                    &with(&fixture, pointer, json!(wrong)),
                    true,
                );
            }
        }
        for wrong in [
            "yesterday",
            "2025-08-26",
            "2025-08-26T25:00:00Z",
            "2025-13-01T10:00:00Z",
        ] {
            check.refuses(
                "a malformed date-time",
                "/timestamp",
                &with(&fixture, "/timestamp", json!(wrong)),
                true,
            );
        }
        for key in [
            "eventId",
            "eventType",
            "eventVersion",
            "aggregateId",
            "aggregateType",
            "timestamp",
            "correlationId",
            "causationId",
            "payload",
            "metadata",
        ] {
            check.refuses(
                "a missing envelope key",
                "",
                &without(&fixture, &format!("/{key}")),
                true,
            );
        }
        check.refuses(
            "metadata without source",
            "/metadata",
            &without(&fixture, "/metadata/source"),
            true,
        );

        // Payload: each field missing, enums, bounds, formats, integers, objects.
        for field in all_fields(event) {
            let pointer = field.pointer.as_str();
            if !field.info.optional {
                let parent = pointer.rsplit_once('/').unwrap().0;
                check.refuses(
                    "a missing required field",
                    parent,
                    &without(&fixture, pointer),
                    true,
                );
            }
            match field.info.ty {
                TypeInfo::Enum { values, .. } => {
                    enums += 1;
                    for wrong in [
                        json!("not-one-of-them"),
                        json!(values[0].to_uppercase()),
                        json!(1),
                    ] {
                        check.refuses(
                            "a value outside the enum",
                            pointer,
                            &with(&fixture, pointer, wrong),
                            true,
                        );
                    }
                }
                TypeInfo::Uuid => {
                    uuids += 1;
                    check.refuses(
                        "a malformed uuid",
                        pointer,
                        &with(&fixture, pointer, json!("nope")),
                        true,
                    );
                }
                TypeInfo::DateTime => {
                    datetimes += 1;
                    for wrong in ["2025-08-26T10:15:00", "26 Aug 2025", "2025-08-26T10:61:00Z"] {
                        check.refuses(
                            "a malformed date-time",
                            pointer,
                            &with(&fixture, pointer, json!(wrong)),
                            true,
                        );
                    }
                }
                TypeInfo::Integer => {
                    integers += 1;
                    check.refuses(
                        "a fractional integer",
                        pointer,
                        &with(&fixture, pointer, json!(12.5)),
                        true,
                    );
                    check.refuses(
                        "a string integer",
                        pointer,
                        &with(&fixture, pointer, json!("12")),
                        true,
                    );
                }
                TypeInfo::Number => {
                    check.refuses(
                        "a string number",
                        pointer,
                        &with(&fixture, pointer, json!("0.5")),
                        true,
                    );
                }
                TypeInfo::Object | TypeInfo::Struct { .. } => {
                    check.refuses(
                        "a non-object",
                        pointer,
                        &with(&fixture, pointer, json!([])),
                        true,
                    );
                    check.refuses(
                        "a non-object",
                        pointer,
                        &with(&fixture, pointer, json!("x")),
                        true,
                    );
                }
                TypeInfo::Array(item) => {
                    check.refuses(
                        "a non-array",
                        pointer,
                        &with(&fixture, pointer, json!({})),
                        true,
                    );
                    let item_pointer = format!("{pointer}/0");
                    let wrong_item = match item {
                        TypeInfo::Uuid => json!("nope"),
                        _ => json!(7),
                    };
                    check.refuses(
                        "a wrong array item",
                        &item_pointer,
                        &with(&fixture, &item_pointer, wrong_item),
                        true,
                    );
                }
                TypeInfo::String => {
                    check.refuses(
                        "a non-string",
                        pointer,
                        &with(&fixture, pointer, json!(1)),
                        true,
                    );
                }
                TypeInfo::Boolean => {
                    check.refuses(
                        "a non-boolean",
                        pointer,
                        &with(&fixture, pointer, json!("true")),
                        true,
                    );
                }
            }
            if let (Some(min), Some(max)) = (field.info.min, field.info.max) {
                bounded += 1;
                for wrong in [min - 0.5, max + 0.5, max + 1e-9] {
                    check.refuses(
                        "a number out of bounds",
                        pointer,
                        &with(&fixture, pointer, json!(wrong)),
                        true,
                    );
                }
                for edge in [min, max] {
                    let copy = with(&fixture, pointer, json!(edge));
                    assert!(
                        check.validator.is_valid(&copy),
                        "{}: {pointer} = {edge}",
                        event.name
                    );
                    assert!(serde_json::from_value::<Envelope<AnyEvent>>(copy).is_ok());
                }
            }
        }
        assert!(
            check.refused > 30,
            "{}: only {} broken copies",
            event.name,
            check.refused
        );
    }
    // The catalog has each kind of constraint, so each kind was exercised.
    assert_eq!(enums, 21, "enum fields");
    assert_eq!(bounded, 3, "relationshipStrength and the two qualityScores");
    assert_eq!(uuids, 49, "uuid fields");
    assert_eq!(datetimes, 9, "datetime fields");
    assert_eq!(integers, 9, "integer fields");
}

#[test]
fn the_schema_describes_each_constraint_kind() {
    let schema = CATALOG
        .json_schema("characters.character.relationship-formed", "1.0.0")
        .unwrap();
    let payload = &schema["properties"]["payload"];
    assert_eq!(payload["type"], "object");
    let required: Vec<&str> = payload["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|name| name.as_str().unwrap())
        .collect();
    assert_eq!(
        required,
        [
            "characterId",
            "relatedCharacterId",
            "relationshipType",
            "relationshipStrength",
            "context",
            "formationEvent"
        ]
    );
    let properties = &payload["properties"];
    assert_eq!(properties["characterId"]["format"], "uuid");
    assert_eq!(
        properties["relationshipType"]["enum"],
        json!(["ally", "enemy", "neutral", "romantic", "family"])
    );
    assert_eq!(properties["relationshipStrength"]["minimum"], 0.0);
    assert_eq!(properties["relationshipStrength"]["maximum"], 1.0);
    assert_eq!(schema["properties"]["timestamp"]["format"], "date-time");

    let nested = CATALOG
        .json_schema("characters.character.created", "1.0.0")
        .unwrap();
    let traits = &nested["properties"]["payload"]["properties"]["personalityTraits"];
    assert_eq!(traits["type"], "object");
    assert_eq!(traits["required"].as_array().unwrap().len(), 5);
    assert_eq!(traits["properties"]["openness"]["type"], "number");

    let stats = CATALOG
        .json_schema("campaigns.campaign.completed", "1.0.0")
        .unwrap();
    assert_eq!(
        stats["properties"]["payload"]["properties"]["statistics"]["properties"]["sessionsCount"]["type"],
        "integer"
    );
}
