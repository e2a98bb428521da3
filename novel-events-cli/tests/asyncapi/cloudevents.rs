//! `--encoding cloudevents-binary`: the document of a bus that publishes CloudEvents 1.0 in the
//! binary mode passes the official parser (YAML and JSON), names every `ce-` header of the
//! mapping in every message, pins the ones fixed per event version, and gives the payload
//! alone as the body; `--base-uri` is taken only with that encoding.

use novel_events::novel_engine::CATALOG;
use serde_json::{Value, json};

use crate::support::{
    NOVEL_ENGINE, code, first_difference, json_document, official_parser, run, stderr, stdout,
    temp_dir,
};

/// The headers of the binary mode every message carries, as the CloudEvents 1.0 specification
/// and its NATS binding name them (`ce-` and the attribute), with the extensions of
/// `novel_events::cloudevents` that every envelope fills.
const REQUIRED: [&str; 17] = [
    "Nats-Msg-Id",
    "Novel-Event-Type",
    "Novel-Event-Version",
    "Novel-Correlation-Id",
    "Novel-Causation-Id",
    "ce-specversion",
    "ce-id",
    "ce-source",
    "ce-type",
    "ce-subject",
    "ce-time",
    "ce-datacontenttype",
    "ce-dataschema",
    "ce-eventversion",
    "ce-aggregatetype",
    "ce-correlationid",
    "ce-causationid",
];

/// The headers only some messages carry: the envelope's optional fields.
const OPTIONAL: [&str; 5] = [
    "traceparent",
    "ce-userid",
    "ce-traceparent",
    "ce-trace",
    "ce-schema",
];

/// The object a local `$ref` (`#/a/b`) points at.
fn resolve<'a>(document: &'a Value, reference: &Value) -> &'a Value {
    let pointer = reference["$ref"]
        .as_str()
        .and_then(|reference| reference.strip_prefix('#'))
        .unwrap_or_else(|| panic!("not a local reference: {reference}"));
    document
        .pointer(pointer)
        .unwrap_or_else(|| panic!("`{pointer}` points at nothing"))
}

fn cloudevents_document(extra: &[&str]) -> Value {
    let mut args = vec!["--encoding", "cloudevents-binary"];
    args.extend_from_slice(extra);
    json_document(NOVEL_ENGINE, &args)
}

#[test]
fn the_official_parser_accepts_the_cloudevents_document_in_yaml_and_json() {
    let dir = temp_dir("cloudevents-parser");
    let mut loaded = Vec::new();
    for format in ["yaml", "json"] {
        let path = dir.join(format!("novel-engine.cloudevents.asyncapi.{format}"));
        let output = run(&[
            "asyncapi",
            NOVEL_ENGINE,
            "--encoding",
            "cloudevents-binary",
            "--base-uri",
            "https://schemas.example/novel engine",
            "--out",
            path.to_str().expect("a UTF-8 path"),
        ]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        assert!(
            stdout(&output).starts_with(
                "wrote the AsyncAPI 3.0.0 document of catalog `novel-engine` 1.0.0 (encoding cloudevents-binary) to "
            ),
            "{}",
            stdout(&output)
        );
        let report = official_parser(&path);
        assert!(
            report.serious().is_empty(),
            "the official AsyncAPI parser finds errors or warnings in the {format} document {}:\n{}",
            path.display(),
            report.listing()
        );
        loaded.push(report.loaded);
    }
    if let Some(difference) = first_difference(&loaded[0], &loaded[1]) {
        panic!("the YAML document does not read as the JSON document at {difference}");
    }
}

#[test]
fn every_message_names_the_ce_headers_and_carries_the_payload_alone() {
    let document = cloudevents_document(&[]);
    let info = document["info"]["description"]
        .as_str()
        .expect("a description");
    assert!(
        info.contains("Encoding: `cloudevents-binary`") && info.contains("binary mode"),
        "{info}"
    );
    let shared = &document["components"]["schemas"]["CloudEventHeaders"];
    assert!(
        document["components"]["schemas"]
            .get("EventHeaders")
            .is_none(),
        "the envelope encoding's headers are not this document's"
    );
    let required: Vec<&str> = shared["required"]
        .as_array()
        .expect("required headers")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for name in REQUIRED.iter().chain(["content-type"].iter()) {
        assert!(
            required.contains(name),
            "`{name}` is required: {required:?}"
        );
    }
    for name in OPTIONAL {
        assert!(!required.contains(&name), "`{name}` is optional");
        assert!(
            shared["properties"].get(name).is_some(),
            "`{name}` is named"
        );
    }
    let property = |name: &str| &shared["properties"][name];
    for name in [
        "Nats-Msg-Id",
        "ce-id",
        "ce-subject",
        "ce-correlationid",
        "ce-causationid",
        "ce-userid",
    ] {
        assert_eq!(property(name)["format"], "uuid", "{name}");
    }
    assert_eq!(property("ce-time")["format"], "date-time");
    assert_eq!(property("ce-specversion")["const"], "1.0");
    assert_eq!(property("ce-datacontenttype")["const"], "application/json");
    assert_eq!(property("content-type")["const"], "application/json");

    let messages = document["components"]["messages"]
        .as_object()
        .expect("messages");
    assert_eq!(messages.len(), CATALOG.events.len());
    for event in CATALOG.events {
        let id = format!("{}.v{}", event.event_type, event.event_version);
        let message = &messages[&id];
        assert_eq!(message["contentType"], "application/json", "{id}");
        let description = message["description"].as_str().expect("a description");
        assert!(
            description.contains("Encoding: `cloudevents-binary`"),
            "{id}: {description}"
        );
        assert_eq!(
            message["correlationId"]["location"], "$message.header#/ce-correlationid",
            "{id}"
        );
        assert_eq!(
            resolve(&document, &message["headers"]["allOf"][0]),
            shared,
            "{id}"
        );
        let pinned = &message["headers"]["allOf"][1]["properties"];
        let expected = [
            ("Novel-Event-Type", event.event_type.to_owned()),
            ("Novel-Event-Version", event.event_version.to_owned()),
            ("ce-type", event.event_type.to_owned()),
            ("ce-eventversion", event.event_version.to_owned()),
            ("ce-aggregatetype", event.aggregate_type.to_owned()),
            (
                "ce-dataschema",
                format!(
                    "urn:novel-events:novel-engine:{}:{}",
                    event.event_type, event.event_version
                ),
            ),
        ];
        for (name, value) in expected {
            assert_eq!(pinned[name]["const"], value.as_str(), "{id}: `{name}`");
        }

        let payload = resolve(&document, &message["payload"]);
        let exported = CATALOG
            .json_schema(event.event_type, event.event_version)
            .expect("the runtime's schema");
        assert_eq!(
            *payload, exported["properties"]["payload"],
            "{id}: the body is the payload schema of the runtime's export"
        );
    }
}

#[test]
fn base_uri_names_ce_dataschema_as_the_header_carries_it_and_the_document_is_stable() {
    let document = cloudevents_document(&["--base-uri", "https://schemas.example/novel engine/"]);
    let pinned = &document["components"]["messages"]["characters.character.created.v1.0.0"]["headers"]
        ["allOf"][1]["properties"];
    assert_eq!(
        pinned["ce-dataschema"],
        json!({ "const": "https://schemas.example/novel%20engine/characters.character.created/1.0.0.schema.json" }),
        "the space percent-encoded, the trailing `/` dropped, as `CloudEvents::with_base_uri` writes it"
    );
    let args = ["asyncapi", NOVEL_ENGINE, "--encoding", "cloudevents-binary"];
    let (first, second) = (run(&args), run(&args));
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert_eq!(
        stdout(&first),
        stdout(&second),
        "the same catalog and options give the same document, byte for byte"
    );
}

#[test]
fn the_envelope_encoding_is_the_default_and_base_uri_needs_cloudevents() {
    let default = json_document(NOVEL_ENGINE, &[]);
    let envelope = json_document(NOVEL_ENGINE, &["--encoding", "envelope"]);
    assert_eq!(default, envelope);
    assert!(
        default["components"]["schemas"]
            .get("EventHeaders")
            .is_some()
    );

    for (args, why) in [
        (
            vec!["--base-uri", "https://schemas.example"],
            "`--base-uri` names the registry that `ce-dataschema` points into, a header of the `cloudevents-binary` encoding alone: give `--encoding cloudevents-binary` too",
        ),
        (
            vec!["--encoding", "cloudevents-structured"],
            "invalid value 'cloudevents-structured' for '--encoding <ENCODING>'",
        ),
    ] {
        let mut all = vec!["asyncapi", NOVEL_ENGINE];
        all.extend(args.iter().copied());
        let output = run(&all);
        assert_eq!(code(&output), 2, "{args:?}");
        assert!(stdout(&output).is_empty(), "{args:?}");
        assert!(
            stderr(&output).contains(why),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}
