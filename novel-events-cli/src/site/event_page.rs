//! The page of one event version: what it is, who publishes it and who subscribes (and why),
//! its payload as a table, its versions with what changed at each, an example envelope valid
//! against its schema, and the schema itself.

use std::fmt::Write as _;

use novel_events::{AggregateIdInfo, CatalogInfo, FieldInfo, TypeInfo};
use novel_events_codegen::Catalog;

use super::diagram::{self, Flow};
use super::example;
use super::html::{Frame, code, escape, link, prose};
use super::paths::{self, Anchors};
use super::versions::{self, EventType, Version};

/// The text of the page of `version`, one of the versions of `event_type`.
pub(super) fn render(
    catalog: &Catalog,
    info: &CatalogInfo,
    event_type: &EventType<'_>,
    version: &Version<'_>,
    anchors: &Anchors,
) -> String {
    let event = version.info;
    let here = paths::event_page(event.event_type, event.event_version);
    let index = |fragment: &str| paths::href(&here, paths::INDEX, Some(fragment));
    let service = |name: &str| link(&index(&anchors.service(name)), name);
    let mut body = String::new();

    let _ = writeln!(
        body,
        "<p class=\"crumbs\">{} › {} › {}</p>",
        link(&paths::href(&here, paths::INDEX, None), &catalog.name),
        link(&index(&anchors.domain(event.domain)), event.domain),
        escape(event.name)
    );
    let mut badges = String::new();
    badges.push_str(if event.is_latest {
        " <span class=\"badge latest\">latest</span>"
    } else {
        " <span class=\"badge older\">older version</span>"
    });
    if version.def.deprecated.is_some() {
        badges.push_str(" <span class=\"badge deprecated\">deprecated</span>");
    }
    let _ = writeln!(
        body,
        "<h1>{} <span class=\"muted\">{}</span>{badges}</h1>",
        escape(event.name),
        escape(event.event_version)
    );
    if !event.is_latest {
        let latest = event_type.latest().info;
        let _ = writeln!(
            body,
            "<p class=\"notice\">An older version. The newest is {}.</p>",
            link(
                &paths::href(
                    &here,
                    &paths::event_page(latest.event_type, latest.event_version),
                    None
                ),
                latest.event_version
            )
        );
    }
    if let Some(deprecation) = &version.def.deprecated {
        let _ = writeln!(
            body,
            "<p class=\"notice deprecated\">Deprecated{}; removed in {}.</p>",
            deprecation
                .note
                .as_deref()
                .map(|note| format!(": {}", escape(note)))
                .unwrap_or_default(),
            escape(&deprecation.removal_version)
        );
    }
    if !event.description.is_empty() {
        let _ = writeln!(body, "<p class=\"lead\">{}</p>", escape(event.description));
    }

    let aggregate_id = match event.aggregate_id {
        AggregateIdInfo::Field(field) => format!("the payload's {}", code(field)),
        AggregateIdInfo::NameBased(field) => {
            format!("the name-based uuid of the payload's {}", code(field))
        }
    };
    let publisher = if event.publisher.is_empty() {
        "<span class=\"muted\">not named by the catalog</span>".to_owned()
    } else {
        service(event.publisher)
    };
    let _ = writeln!(
        body,
        "<dl class=\"facts\"><dt>eventType</dt><dd>{}</dd><dt>eventVersion</dt><dd>{}</dd>\
         <dt>Domain</dt><dd>{}</dd><dt>Aggregate</dt><dd>{}, id: {aggregate_id}</dd>\
         <dt>Category</dt><dd>{}</dd><dt>Published by</dt><dd>{publisher}</dd>\
         <dt>Compatibility mode</dt><dd>{}</dd><dt>Rust type</dt><dd>{}</dd></dl>",
        code(event.event_type),
        code(event.event_version),
        link(&index(&anchors.domain(event.domain)), event.domain),
        code(event.aggregate_type),
        escape(event.category.as_str()),
        code(version.def.compatibility.as_str()),
        code(&format!("{}::{}", event.domain, event.rust_name)),
    );
    if !event.triggers.is_empty() {
        body.push_str("<h2 id=\"triggers\">Triggers</h2>\n<ul>");
        for trigger in event.triggers {
            let _ = write!(body, "<li>{}</li>", escape(trigger));
        }
        body.push_str("</ul>\n");
    }

    body.push_str("<h2 id=\"subscribers\">Publisher and subscribers</h2>\n");
    let flow = Flow {
        event: event.name,
        href: "#subscribers".to_owned(),
        group: event.domain,
        group_href: index(&anchors.domain(event.domain)),
        publisher: Some(event.publisher).filter(|publisher| !publisher.is_empty()),
        subscribers: event
            .subscribers
            .iter()
            .map(|subscriber| subscriber.service)
            .collect(),
    };
    let _ = writeln!(
        body,
        "<div class=\"figure\">{}</div>",
        diagram::svg(
            "flow",
            &format!("Who publishes {} and who subscribes to it", event.name),
            &[flow],
            &|name| index(&anchors.service(name)),
        )
    );
    if event.subscribers.is_empty() {
        body.push_str("<p>No service subscribes to this event.</p>\n");
    } else {
        body.push_str(
            "<table class=\"subscribers\"><thead><tr><th>Subscriber</th><th>Why</th></tr></thead><tbody>\n",
        );
        for subscriber in event.subscribers {
            let _ = writeln!(
                body,
                "<tr class=\"subscriber\"><td>{}</td><td>{}</td></tr>",
                service(subscriber.service),
                escape(subscriber.purpose)
            );
        }
        body.push_str("</tbody></table>\n");
    }

    let _ = writeln!(
        body,
        "<h2 id=\"payload\">Payload</h2>\n<table class=\"payload\"><thead><tr><th>Field</th><th>Type</th>\
         <th>Presence</th><th>Bounds</th><th>Description</th></tr></thead><tbody>"
    );
    field_rows(&mut body, event.fields, "");
    body.push_str("</tbody></table>\n");

    body.push_str(
        "<h2 id=\"versions\">Versions</h2>\n<table class=\"versions\"><thead><tr><th>Version</th><th>Mode</th>\
         <th>Changes since the previous version</th><th>Verdict</th></tr></thead><tbody>\n",
    );
    for other in &event_type.versions {
        let page = paths::event_page(other.info.event_type, other.info.event_version);
        let current = std::ptr::eq(other.info, event);
        let (changes, verdict) = match &other.step {
            None => ("first version".to_owned(), String::new()),
            Some(step) => {
                let (list, source) = match &step.declared {
                    Some(declared) => (declared, "declared in the catalog"),
                    None => (&step.computed, "computed"),
                };
                let mut changes = format!("since {} ({source}):", escape(&step.previous));
                if list.is_empty() {
                    changes.push_str(" nothing");
                } else {
                    changes.push_str("<ul class=\"changes\">");
                    for change in list {
                        let _ = write!(changes, "<li>{}</li>", prose(change));
                    }
                    changes.push_str("</ul>");
                }
                (
                    changes,
                    format!(
                        "{}; {}",
                        versions::verdict_text(step.verdict),
                        prose(&step.judgement)
                    ),
                )
            }
        };
        let _ = writeln!(
            body,
            "<tr{}><td>{}</td><td>{}</td><td>{changes}</td><td>{verdict}</td></tr>",
            if current { " class=\"current\"" } else { "" },
            if current {
                format!("<strong>{}</strong>", escape(other.info.event_version))
            } else {
                link(&paths::href(&here, &page, None), other.info.event_version)
            },
            code(other.def.compatibility.as_str()),
        );
    }
    body.push_str("</tbody></table>\n");

    let example = example::envelope_text(event);
    let _ = writeln!(
        body,
        "<h2 id=\"example\">Example envelope</h2>\n<p>Valid against the schema below; its values \
         are made up from the field types and bounds.</p>\n<pre><code>{}</code></pre>",
        escape(&example)
    );
    if let Some(schema) = info.json_schema(event.event_type, event.event_version) {
        let _ = writeln!(
            body,
            "<h2 id=\"schema\">JSON Schema</h2>\n<details><summary>The envelope's JSON Schema \
             (draft 2020-12), as <code>novel-events schema</code> writes it</summary>\n<pre><code>{}</code></pre></details>",
            escape(&serde_json::to_string_pretty(&schema).unwrap_or_default())
        );
    }

    Frame {
        catalog: &catalog.name,
        version: &catalog.version,
        path: &here,
        title: &format!("{} {}", event.name, event.event_version),
    }
    .page(&body)
}

/// A row per field, nested fields after their object with a dotted path (`traits.openness`,
/// `steps[].name`).
fn field_rows(body: &mut String, fields: &[FieldInfo], prefix: &str) {
    for field in fields {
        let path = format!("{prefix}{}", field.name);
        let presence = match (field.default, field.optional) {
            (Some(default), _) => format!("default {}", code(default)),
            (None, true) => "optional".to_owned(),
            (None, false) => "required".to_owned(),
        };
        let bounds = match (field.min, field.max) {
            (Some(min), Some(max)) => format!("{min} to {max}"),
            (Some(min), None) => format!("≥ {min}"),
            (None, Some(max)) => format!("≤ {max}"),
            (None, None) => String::new(),
        };
        let mut description = escape(field.description);
        if let Some(deprecation) = &field.deprecated {
            let _ = write!(
                description,
                " <span class=\"badge deprecated\">deprecated</span> {}removed in {}.",
                if deprecation.note.is_empty() {
                    String::new()
                } else {
                    format!("{}; ", escape(deprecation.note))
                },
                escape(deprecation.removal_version)
            );
        }
        let _ = writeln!(
            body,
            "<tr class=\"field\"><td class=\"field{}\">{}</td><td>{}</td><td>{presence}</td><td>{bounds}</td><td>{description}</td></tr>",
            if prefix.is_empty() { "" } else { " nested" },
            code(&path),
            type_name(&field.ty),
        );
        let mut ty = &field.ty;
        let mut nested = format!("{path}.");
        while let TypeInfo::Array(item) = ty {
            ty = item;
            nested = format!("{}[].", nested.trim_end_matches('.'));
        }
        if let TypeInfo::Struct { fields, .. } = ty {
            field_rows(body, fields, &nested);
        }
    }
}

/// The type as the catalog spells it, with the name of an enum or object and an enum's values.
fn type_name(ty: &TypeInfo) -> String {
    match ty {
        TypeInfo::Uuid => "uuid".into(),
        TypeInfo::String => "string".into(),
        TypeInfo::Integer => "integer".into(),
        TypeInfo::Number => "number".into(),
        TypeInfo::Boolean => "boolean".into(),
        TypeInfo::DateTime => "datetime".into(),
        TypeInfo::Object => "object".into(),
        TypeInfo::Array(item) => format!("[{}]", type_name(item)),
        TypeInfo::Enum { name, values } => format!(
            "{} (enum: {})",
            escape(name),
            values
                .iter()
                .map(|value| code(value))
                .collect::<Vec<_>>()
                .join(" | ")
        ),
        TypeInfo::Struct { name, .. } => format!("{} (object)", escape(name)),
    }
}
