//! The document says what the catalog says: checked against the compiled Novel Engine catalog
//! (`novel_events::novel_engine::CATALOG`, built by `include_catalog!`) and against facts
//! copied by hand from the Novel Engine specification's text.

use std::collections::BTreeSet;

use novel_events::novel_engine::CATALOG;
use serde_json::Value;

use crate::support::{NOVEL_ENGINE, json_document};

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

fn operations_of<'a>(
    document: &'a Value,
    action: &str,
    service: &str,
    event_type: &str,
) -> Vec<(&'a String, &'a Value)> {
    let channel = format!("#/channels/{event_type}");
    document["operations"]
        .as_object()
        .expect("operations")
        .iter()
        .filter(|(_, operation)| {
            operation["action"] == action
                && operation["channel"]["$ref"] == channel.as_str()
                && operation["tags"]
                    .as_array()
                    .is_some_and(|tags| tags.iter().any(|tag| tag["name"] == service))
        })
        .collect()
}

#[test]
fn a_channel_per_event_type_on_the_bus_subjects_and_a_message_per_version() {
    let document = json_document(NOVEL_ENGINE, &[]);
    let event_types: BTreeSet<&str> = CATALOG
        .events
        .iter()
        .map(|event| event.event_type)
        .collect();
    let channels = document["channels"].as_object().expect("channels");
    assert_eq!(channels.len(), event_types.len());
    let messages = document["components"]["messages"]
        .as_object()
        .expect("messages");
    assert_eq!(messages.len(), CATALOG.events.len());
    for event_type in &event_types {
        let channel = &channels[*event_type];
        assert_eq!(
            channel["address"],
            format!("novel-engine.{{partition}}.{event_type}"),
        );
        assert_eq!(
            resolve(&document, &channel["parameters"]["partition"])["enum"],
            serde_json::json!(["0"])
        );
        let versions: Vec<_> = CATALOG.versions(event_type).collect();
        let latest = versions
            .iter()
            .find(|event| event.is_latest)
            .expect("a latest version");
        assert_eq!(channel["description"], latest.description);
        assert_eq!(
            channel["messages"].as_object().expect("messages").len(),
            versions.len()
        );
        for event in versions {
            let message = resolve(
                &document,
                &channel["messages"][format!("v{}", event.event_version)],
            );
            assert_eq!(message["name"], event.name);
            assert_eq!(message["contentType"], "application/json");
            let description = message["description"].as_str().expect("a description");
            assert!(description.starts_with(event.description), "{description}");
            for trigger in event.triggers {
                assert!(description.contains(trigger), "{trigger} in {description}");
            }
            let mut schema = CATALOG
                .json_schema(event.event_type, event.event_version)
                .expect("the runtime's schema");
            schema.as_object_mut().expect("an object").remove("$schema");
            assert_eq!(
                *resolve(&document, &message["payload"]),
                schema,
                "the payload of {event_type} {} is the runtime's envelope schema",
                event.event_version
            );
            let pinned = &message["headers"]["allOf"][1]["properties"];
            assert_eq!(pinned["Novel-Event-Type"]["const"], event.event_type);
            assert_eq!(pinned["Novel-Event-Version"]["const"], event.event_version);
            let headers = resolve(&document, &message["headers"]["allOf"][0]);
            for header in [
                "Nats-Msg-Id",
                "Novel-Event-Type",
                "Novel-Event-Version",
                "Novel-Correlation-Id",
                "Novel-Causation-Id",
                "traceparent",
            ] {
                assert!(headers["properties"].get(header).is_some(), "{header}");
            }
        }
    }
}

#[test]
fn publishers_send_and_subscribers_receive_with_their_reasons() {
    let document = json_document(NOVEL_ENGINE, &[]);
    let mut expected = BTreeSet::new();
    for event in CATALOG.events {
        let message = format!(
            "#/channels/{}/messages/v{}",
            event.event_type, event.event_version
        );
        if !event.publisher.is_empty() {
            expected.insert(("send", event.publisher, event.event_type));
            let sends = operations_of(&document, "send", event.publisher, event.event_type);
            assert_eq!(
                sends.len(),
                1,
                "{} sends {}",
                event.publisher,
                event.event_type
            );
            assert_eq!(sends[0].1["bindings"]["nats"]["bindingVersion"], "0.1.0");
            assert!(
                sends[0].1["messages"]
                    .as_array()
                    .expect("messages")
                    .iter()
                    .any(|reference| reference["$ref"] == message.as_str()),
                "{message}"
            );
        }
        for subscriber in event.subscribers {
            expected.insert(("receive", subscriber.service, event.event_type));
            let receives =
                operations_of(&document, "receive", subscriber.service, event.event_type);
            assert_eq!(
                receives.len(),
                1,
                "{} receives {}",
                subscriber.service,
                event.event_type
            );
            let (_, operation) = receives[0];
            assert!(
                operation["description"]
                    .as_str()
                    .is_some_and(|description| description.contains(subscriber.purpose)),
                "the purpose `{}` of {} on {}: {operation}",
                subscriber.purpose,
                subscriber.service,
                event.event_type
            );
            assert!(
                operation["messages"]
                    .as_array()
                    .expect("messages")
                    .iter()
                    .any(|reference| reference["$ref"] == message.as_str()),
                "{message}"
            );
            assert_eq!(operation["bindings"]["nats"]["bindingVersion"], "0.1.0");
        }
    }
    assert_eq!(
        document["operations"]
            .as_object()
            .expect("operations")
            .len(),
        expected.len(),
        "one operation per (action, service, eventType), and no other"
    );
}

#[test]
fn the_specification_s_subscribers_of_character_created_and_deleted() {
    let document = json_document(NOVEL_ENGINE, &[]);
    assert_eq!(
        document["channels"]["characters.character.created"]["description"],
        "New character has been created in the system"
    );
    for (event_type, service, id, purpose, queue) in [
        (
            "characters.character.created",
            "Memory Service",
            "memory-service.receive.characters.character.created",
            "initialize character memory",
            "Memory_20Service",
        ),
        (
            "characters.character.created",
            "Monitoring Service",
            "monitoring-service.receive.characters.character.created",
            "track character creation metrics",
            "Monitoring_20Service",
        ),
        (
            "characters.character.deleted",
            "Cleanup Service",
            "cleanup-service.receive.characters.character.deleted",
            "cascade delete related data",
            "Cleanup_20Service",
        ),
        (
            "characters.character.deleted",
            "Story Engine",
            "story-engine.receive.characters.character.deleted",
            "remove character from story templates",
            "Story_20Engine",
        ),
    ] {
        let operation = &document["operations"][id];
        assert_eq!(operation["action"], "receive", "{id}");
        assert_eq!(
            operation["channel"]["$ref"],
            format!("#/channels/{event_type}")
        );
        assert_eq!(operation["description"], purpose, "{id}");
        assert_eq!(operation["tags"][0]["name"], service, "{id}");
        assert_eq!(operation["bindings"]["nats"]["queue"], queue, "{id}");
    }
    let send = &document["operations"]["characters-service.send.characters.character.created"];
    assert_eq!(send["action"], "send");
    assert_eq!(send["tags"][0]["name"], "Characters Service");
    let info = &document["info"];
    assert_eq!(info["title"], "novel-engine");
    assert_eq!(info["version"], "1.0.0");
    assert_eq!(info["description"], CATALOG.description);
    assert!(info["description"].as_str().is_some_and(|text| {
        text.starts_with("Domain events represent significant business occurrences")
    }),);
    let tags = info["tags"].as_array().expect("tags");
    assert!(tags.iter().any(|tag| tag["name"] == "characters"
        && tag["description"].as_str().is_some_and(|text| {
            text.contains("Character lifecycle and character development events")
        })));
}
