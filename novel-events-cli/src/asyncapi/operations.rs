//! `operations`: what each service named in the catalog does with each eventType: `send` for
//! the events it publishes (`publisher:`), `receive` for the events it subscribes to
//! (`subscribers:`, the purpose as the operation's description).
//!
//! Operation ids are stable: `<service>.send.<eventType>` and `<service>.receive.<eventType>`,
//! the service as a lowercase slug (`Memory Service` → `memory-service`; a second service with
//! the same slug, in order of first appearance, gets `-2`). Every operation has the NATS
//! binding (version 0.1.0); a receive operation's names, as its `queue`, the durable consumer of
//! a subscription named after the service, as the bus names it.

use std::collections::HashSet;

use novel_events::{CatalogInfo, EventInfo};

use super::node::{Map, Node};
use super::{channels, info, messages, subjects};

/// The version of the NATS bindings the operations use.
const NATS_BINDING_VERSION: &str = "0.1.0";

/// The Operations Object.
pub(super) fn operations(catalog: &CatalogInfo, event_types: &[Vec<&'static EventInfo>]) -> Map {
    let mut operations = Map::new();
    for (service, slug) in slugs(&catalog.services()) {
        for versions in event_types {
            let published: Vec<_> = versions
                .iter()
                .copied()
                .filter(|event| event.publisher == service)
                .collect();
            if !published.is_empty() {
                operations.insert(
                    format!("{slug}.send.{}", versions[0].event_type),
                    send(service, &published),
                );
            }
            let received: Vec<_> = versions
                .iter()
                .copied()
                .filter(|event| {
                    event
                        .subscribers
                        .iter()
                        .any(|subscriber| subscriber.service == service)
                })
                .collect();
            if !received.is_empty() {
                operations.insert(
                    format!("{slug}.receive.{}", versions[0].event_type),
                    receive(service, &received),
                );
            }
        }
    }
    operations
}

/// Each service with its slug, unique among them.
fn slugs(services: &[&'static str]) -> Vec<(&'static str, String)> {
    let mut used: HashSet<String> = HashSet::new();
    services
        .iter()
        .map(|service| {
            let base = slug(service);
            let mut candidate = base.clone();
            let mut count = 1;
            while !used.insert(candidate.clone()) {
                count += 1;
                candidate = format!("{base}-{count}");
            }
            (*service, candidate)
        })
        .collect()
}

/// `Memory Service` → `memory-service`: lowercase ASCII letters and digits, every other run
/// of characters one `-` (`service` when nothing is left).
fn slug(service: &str) -> String {
    let mut slug = String::new();
    for c in service.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "service".to_owned()
    } else {
        slug.to_owned()
    }
}

/// What every operation on one eventType's versions has.
fn operation(
    action: &str,
    service: &str,
    verb: &str,
    versions: &[&'static EventInfo],
    description: &str,
) -> Map {
    let first = versions[0];
    let channel = channels::id(first);
    let references: Vec<Node> = versions
        .iter()
        .map(|event| Node::reference(&["channels", channel, "messages", &messages::key(event)]))
        .collect();
    let listed: Vec<&str> = versions.iter().map(|event| event.event_version).collect();
    Map::new()
        .with("action", action)
        .with("channel", Node::reference(&["channels", channel]))
        .with("messages", references)
        .with("title", format!("{service} {verb} {}", first.name))
        .with(
            "summary",
            format!(
                "{service} {verb} `{}` (version{} {}).",
                first.event_type,
                if listed.len() == 1 { "" } else { "s" },
                listed.join(", ")
            ),
        )
        .with_text("description", description)
        .with("tags", vec![info::tag(service)])
}

fn send(service: &'static str, versions: &[&'static EventInfo]) -> Node {
    operation("send", service, "publishes", versions, "")
        .with(
            "bindings",
            Map::new().with(
                "nats",
                Map::new().with("bindingVersion", NATS_BINDING_VERSION),
            ),
        )
        .with("x-novel-events-service", service)
        .into()
}

fn receive(service: &'static str, versions: &[&'static EventInfo]) -> Node {
    let description = purposes(service, versions);
    operation("receive", service, "receives", versions, &description)
        .with(
            "bindings",
            Map::new().with(
                "nats",
                Map::new()
                    .with("queue", subjects::durable_consumer(service))
                    .with("bindingVersion", NATS_BINDING_VERSION),
            ),
        )
        .with("x-novel-events-service", service)
        .into()
}

/// Why `service` subscribes to these versions: the purpose, when every version has the same;
/// else a `<version>: <purpose>` line per version that has one; empty when none has.
fn purposes(service: &str, versions: &[&'static EventInfo]) -> String {
    let per_version: Vec<(&str, &str)> = versions
        .iter()
        .map(|event| {
            let purpose = event
                .subscribers
                .iter()
                .find(|subscriber| subscriber.service == service && !subscriber.purpose.is_empty())
                .map_or("", |subscriber| subscriber.purpose);
            (event.event_version, purpose)
        })
        .collect();
    match per_version.as_slice() {
        [(_, first), rest @ ..] if rest.iter().all(|(_, purpose)| purpose == first) => {
            (*first).to_owned()
        }
        many => many
            .iter()
            .filter(|(_, purpose)| !purpose.is_empty())
            .map(|(version, purpose)| format!("{version}: {purpose}"))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique_and_stable() {
        assert_eq!(slug("Memory Service"), "memory-service");
        assert_eq!(slug("  A/B  c "), "a-b-c");
        assert_eq!(slug("日本"), "service");
        let services = [
            "Mail Service",
            "mail-service",
            "Mail Service 2",
            "Story Engine",
        ];
        let slugs: Vec<String> = slugs(&services).into_iter().map(|(_, slug)| slug).collect();
        assert_eq!(
            slugs,
            [
                "mail-service",
                "mail-service-2",
                "mail-service-2-2",
                "story-engine"
            ]
        );
    }
}
