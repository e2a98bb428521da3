//! The index page: the catalog, its numbers, the diagram of who publishes what to whom, every
//! domain with a row per event type (the rows the search box filters), and every service with
//! what it publishes and subscribes to.

use std::fmt::Write as _;

use novel_events::CatalogInfo;
use novel_events_codegen::Catalog;

use super::diagram::{self, Flow};
use super::html::{Frame, code, escape, link};
use super::paths::{self, Anchors};
use super::search;
use super::versions::EventType;

/// The text of `index.html`.
pub(super) fn render(
    catalog: &Catalog,
    info: &CatalogInfo,
    event_types: &[EventType<'_>],
    anchors: &Anchors,
) -> String {
    let here = paths::INDEX;
    let services = info.services();
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<h1>{} <span class=\"muted\">{}</span></h1>",
        escape(&catalog.name),
        escape(&catalog.version)
    );
    if let Some(description) = &catalog.description {
        let _ = writeln!(body, "<p class=\"lead\">{}</p>", escape(description));
    }
    let _ = writeln!(
        body,
        "<ul class=\"stats\"><li><strong>{}</strong> domains</li><li><strong>{}</strong> event types</li>\
         <li><strong>{}</strong> event versions</li><li><strong>{}</strong> services</li>\
         <li>compatibility mode by default: {}</li></ul>",
        catalog.domains.len(),
        event_types.len(),
        info.events.len(),
        services.len(),
        code(catalog.compatibility.as_str()),
    );
    body.push_str("<nav><ul class=\"domains\">");
    for domain in &catalog.domains {
        let _ = write!(
            body,
            "<li>{}</li>",
            link(
                &paths::href(here, here, Some(&anchors.domain(&domain.name))),
                &domain.name
            )
        );
    }
    let _ = writeln!(
        body,
        "<li>{}</li><li>{}</li></ul></nav>",
        link("#diagram", "Diagram"),
        link("#services", "Services")
    );

    let flows: Vec<Flow<'_>> = event_types
        .iter()
        .map(|event_type| {
            let latest = event_type.latest().info;
            Flow {
                event: latest.name,
                href: paths::href(
                    here,
                    &paths::event_page(latest.event_type, latest.event_version),
                    None,
                ),
                group: latest.domain,
                group_href: paths::href(here, here, Some(&anchors.domain(latest.domain))),
                publisher: Some(latest.publisher).filter(|publisher| !publisher.is_empty()),
                subscribers: latest
                    .subscribers
                    .iter()
                    .map(|subscriber| subscriber.service)
                    .collect(),
            }
        })
        .collect();
    let _ = writeln!(
        body,
        "<h2 id=\"diagram\">Who publishes what to whom</h2>\n<p>Publishing services on the left, \
         each event type (its newest version) in the middle, subscribing services on the right. \
         Every box is a link; hover over one to follow its lines.</p>\n<div class=\"figure\">{}</div>",
        diagram::svg(
            "flows",
            &format!(
                "Publishers, events and subscribers of catalog {}",
                catalog.name
            ),
            &flows,
            &|service| paths::href(here, here, Some(&anchors.service(service))),
        )
    );

    body.push_str("<h2 id=\"domains\">Domains and events</h2>\n");
    for domain in &catalog.domains {
        let _ = writeln!(
            body,
            "<section class=\"domain\" id=\"{}\">\n<h3>{}</h3>",
            escape(&anchors.domain(&domain.name)),
            escape(&domain.name)
        );
        if let Some(description) = &domain.description {
            let _ = writeln!(body, "<p>{}</p>", escape(description));
        }
        if let Some(publisher) = &domain.publisher {
            let _ = writeln!(
                body,
                "<p>Published by {}.</p>",
                link(
                    &paths::href(here, here, Some(&anchors.service(&publisher.service))),
                    &publisher.service
                )
            );
        }
        body.push_str(
            "<table class=\"events\"><thead><tr><th>Event</th><th>eventType</th><th>Versions</th>\
             <th>Category</th><th>Subscribers</th><th>Description</th></tr></thead><tbody>\n",
        );
        for event_type in event_types
            .iter()
            .filter(|event_type| event_type.domain.name == domain.name)
        {
            let latest = event_type.latest();
            let versions: Vec<String> = event_type
                .versions
                .iter()
                .map(|version| {
                    link(
                        &paths::href(
                            here,
                            &paths::event_page(version.info.event_type, version.info.event_version),
                            None,
                        ),
                        version.info.event_version,
                    )
                })
                .collect();
            let deprecated = if latest.def.deprecated.is_some() {
                " <span class=\"badge deprecated\">deprecated</span>"
            } else {
                ""
            };
            let _ = writeln!(
                body,
                "<tr data-search=\"{}\"><td>{}{deprecated}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&search::haystack(event_type)),
                link(
                    &paths::href(
                        here,
                        &paths::event_page(latest.info.event_type, latest.info.event_version),
                        None
                    ),
                    latest.info.name
                ),
                code(latest.info.event_type),
                versions.join(", "),
                escape(latest.info.category.as_str()),
                latest.info.subscribers.len(),
                escape(latest.info.description),
            );
        }
        body.push_str("</tbody></table>\n</section>\n");
    }

    let _ = writeln!(
        body,
        "<h2 id=\"services\">Services</h2>\n<p>Every service the catalog names, with the event \
         types it publishes and those it subscribes to (in any version).</p>\n\
         <table class=\"services\"><thead><tr><th>Service</th><th>Publishes</th><th>Subscribes to</th></tr></thead><tbody>"
    );
    for service in services {
        let mut publishes = Vec::new();
        let mut subscribes = Vec::new();
        for event_type in event_types {
            let latest = event_type.latest().info;
            let page = link(
                &paths::href(
                    here,
                    &paths::event_page(latest.event_type, latest.event_version),
                    None,
                ),
                latest.name,
            );
            let versions = || event_type.versions.iter().map(|version| version.info);
            if versions().any(|version| version.publisher == service) {
                publishes.push(page.clone());
            }
            if versions().any(|version| {
                version
                    .subscribers
                    .iter()
                    .any(|subscriber| subscriber.service == service)
            }) {
                subscribes.push(page);
            }
        }
        let _ = writeln!(
            body,
            "<tr id=\"{}\"><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&anchors.service(service)),
            escape(service),
            publishes.join(", "),
            subscribes.join(", ")
        );
    }
    body.push_str("</tbody></table>\n");

    Frame {
        catalog: &catalog.name,
        version: &catalog.version,
        path: here,
        title: "Events",
    }
    .page(&body)
}
