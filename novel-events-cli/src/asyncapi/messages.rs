//! `components/messages`: one message per (eventType, eventVersion), as the bus sends it in
//! the document's [`Encoding`]: in `envelope`, the whole envelope as JSON for the payload and
//! the bus's NATS headers for the headers; in `cloudevents-binary`, the event's payload alone
//! and the bus's headers with the CloudEvents `ce-` ones.

use novel_events::EventInfo;

use super::node::{Map, Node};
use super::{Encoding, cloudevents, info, schemas};

/// The id of an event version's message in `components/messages`: `<eventType>.v<eventVersion>`
/// (see [`version_id`](super::version_id)).
pub(super) fn id(event: &EventInfo) -> String {
    super::version_id(event)
}

/// The key of an event version's message in its channel's `messages`: `v<eventVersion>`,
/// escaped as in its id.
pub(super) fn key(event: &EventInfo) -> String {
    format!("v{}", super::escaped_version(event.event_version))
}

/// The Message Object of `event` in `encoding`.
pub(super) fn message(event: &'static EventInfo, encoding: &Encoding) -> Node {
    let mut description = event.description.to_owned();
    if !event.triggers.is_empty() {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str("Triggered when:\n");
        for trigger in event.triggers {
            description.push_str(&format!("- {trigger}\n"));
        }
        description.truncate(description.trim_end().len());
    }
    let (headers, correlation_id) = match encoding {
        Encoding::Envelope => (
            schemas::headers_of(event),
            "$message.header#/Novel-Correlation-Id",
        ),
        Encoding::CloudEventsBinary(mapping) => {
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            description.push_str(cloudevents::SUMMARY);
            (
                cloudevents::headers_of(mapping, event),
                "$message.header#/ce-correlationid",
            )
        }
    };
    let mut tags = vec![
        info::tag(event.domain),
        info::tag(&info::category_tag(event.category)),
    ];
    if !event.is_latest {
        tags.push(info::tag(info::SUPERSEDED));
    }
    Map::new()
        .with("name", event.name)
        .with("title", format!("{} {}", event.name, event.event_version))
        .with_text("description", &description)
        .with("contentType", "application/json")
        .with("headers", headers)
        .with(
            "payload",
            Node::reference(&["components", "schemas", &schemas::body_id(event)]),
        )
        .with(
            "correlationId",
            Map::new()
                .with(
                    "description",
                    "The id shared by every event of one flow (the root event's id).",
                )
                .with("location", correlation_id),
        )
        .with("tags", Node::List(tags))
        .with(
            "x-novel-events",
            Map::new()
                .with("eventType", event.event_type)
                .with("eventVersion", event.event_version)
                .with("latest", event.is_latest)
                .with("aggregateType", event.aggregate_type)
                .with("aggregateId", event.aggregate_id.field())
                .with("category", event.category.as_str())
                .with("rustName", event.rust_name),
        )
        .into()
}
