//! `info`: the catalog's name, version and description (followed, in the `cloudevents-binary`
//! encoding, by a paragraph naming it), and the tags the document uses, each described once:
//! the domains (with their descriptions), the services, the event categories.

use std::collections::HashSet;

use novel_events::{CatalogInfo, EventCategory};
use novel_events_codegen::Catalog;

use super::node::{Map, Node};
use super::{Encoding, cloudevents};

/// The tag of a message whose event has a later version.
pub(super) const SUPERSEDED: &str = "superseded";

/// A Tag Object naming `name` (described once, in `info.tags`).
pub(super) fn tag(name: &str) -> Node {
    Map::new().with("name", name).into()
}

/// The tag of an event category: `domain event`, `system event`, ... (never a domain's name:
/// those have no spaces).
pub(super) fn category_tag(category: EventCategory) -> String {
    format!("{} event", category.as_str())
}

/// The Info Object of a document in `encoding`.
pub(super) fn info(catalog: &Catalog, metadata: &CatalogInfo, encoding: &Encoding) -> Node {
    let mut tags = Vec::new();
    for domain in &catalog.domains {
        let description = domain
            .description
            .clone()
            .unwrap_or_else(|| format!("The events of the `{}` domain.", domain.name));
        described(&mut tags, &domain.name, &format!("Domain: {description}"));
    }
    for service in metadata.services() {
        described(&mut tags, service, &service_description(metadata, service));
    }
    for category in [
        EventCategory::Command,
        EventCategory::Domain,
        EventCategory::Integration,
        EventCategory::System,
        EventCategory::Notification,
    ] {
        if metadata
            .events
            .iter()
            .any(|event| event.category == category)
        {
            described(
                &mut tags,
                &category_tag(category),
                &format!("Category: {}.", category_meaning(category)),
            );
        }
    }
    if metadata.events.iter().any(|event| !event.is_latest) {
        described(
            &mut tags,
            SUPERSEDED,
            "A message of an event version that a later version of the event supersedes.",
        );
    }
    let mut description = metadata.description.to_owned();
    if let Encoding::CloudEventsBinary(_) = encoding {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(cloudevents::SUMMARY);
    }
    Map::new()
        .with("title", metadata.name)
        .with("version", metadata.version)
        .with_text("description", &description)
        .with("tags", Node::List(tags))
        .into()
}

/// `Service: publishes 2 eventTypes, subscribes to 5.`
fn service_description(metadata: &CatalogInfo, service: &str) -> String {
    let mut published: HashSet<&str> = HashSet::new();
    let mut received: HashSet<&str> = HashSet::new();
    for event in metadata.events {
        if event.publisher == service {
            published.insert(event.event_type);
        }
        if event
            .subscribers
            .iter()
            .any(|subscriber| subscriber.service == service)
        {
            received.insert(event.event_type);
        }
    }
    let count = |n: usize| match n {
        1 => "1 eventType".to_owned(),
        n => format!("{n} eventTypes"),
    };
    match (published.len(), received.len()) {
        (0, r) => format!("Service: subscribes to {}.", count(r)),
        (p, 0) => format!("Service: publishes {}.", count(p)),
        (p, r) => format!(
            "Service: publishes {}, subscribes to {}.",
            count(p),
            count(r)
        ),
    }
}

/// A described tag, unless `tags` has one of that name (a service named like a domain shares
/// its tag).
fn described(tags: &mut Vec<Node>, name: &str, description: &str) {
    let taken = tags.iter().any(|tag| {
        tag.as_map()
            .and_then(|tag| tag.get("name"))
            .is_some_and(|existing| *existing == Node::from(name))
    });
    if !taken {
        tags.push(
            Map::new()
                .with("name", name)
                .with("description", description)
                .into(),
        );
    }
}

/// What a category means, as the Novel Engine specification's "Event Categories" say.
fn category_meaning(category: EventCategory) -> &'static str {
    match category {
        EventCategory::Command => "an action initiated by a user or a system",
        EventCategory::Domain => "a business-significant state change",
        EventCategory::Integration => "cross-context communication",
        EventCategory::System => "infrastructure and operations",
        EventCategory::Notification => "a user notification trigger",
    }
}
