//! `channels`: one channel per eventType, on the subjects the JetStream bus publishes its
//! events on (`<stream>.{partition}.<eventType>`), holding a message per version.

use std::collections::HashMap;

use novel_events::{CatalogInfo, EventInfo};

use super::node::{Map, Node};
use super::subjects::{self, StreamName};
use super::{info, messages, server};

/// The id of an eventType's channel: the eventType.
pub(super) fn id(event: &EventInfo) -> &'static str {
    event.event_type
}

/// The eventTypes of the catalog, each with its versions in catalog order, in order of first
/// appearance.
pub(super) fn event_types(catalog: &CatalogInfo) -> Vec<Vec<&'static EventInfo>> {
    let mut types: Vec<Vec<&'static EventInfo>> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for event in catalog.events {
        match index.get(event.event_type) {
            Some(&at) => types[at].push(event),
            None => {
                index.insert(event.event_type, types.len());
                types.push(vec![event]);
            }
        }
    }
    types
}

/// The Channel Object of one eventType, given its versions.
pub(super) fn channel(stream: &StreamName, versions: &[&'static EventInfo]) -> Node {
    let Some(first) = versions.first() else {
        return Map::new().into();
    };
    let latest = versions
        .iter()
        .find(|event| event.is_latest)
        .unwrap_or(first);
    let mut messages = Map::new();
    for event in versions {
        messages.insert(
            messages::key(event),
            Node::reference(&["components", "messages", &messages::id(event)]),
        );
    }
    Map::new()
        .with(
            "address",
            subjects::channel_address(stream, first.event_type),
        )
        .with("title", latest.name)
        .with_text("description", latest.description)
        .with("messages", messages)
        .with(
            "parameters",
            Map::new().with(
                subjects::PARTITION,
                Node::reference(&["components", "parameters", subjects::PARTITION]),
            ),
        )
        .with("servers", vec![Node::reference(&["servers", server::ID])])
        .with("tags", vec![info::tag(first.domain)])
        .with("bindings", Map::new().with("nats", Map::new()))
        .into()
}

/// The partition parameter, shared by every channel.
pub(super) fn partition_parameter(partitions: u32) -> Node {
    let values: Vec<Node> = (0..partitions.max(1))
        .map(|partition| Node::from(partition.to_string()))
        .collect();
    Map::new()
        .with("description", subjects::partition_rule(partitions))
        .with("enum", values)
        .into()
}
