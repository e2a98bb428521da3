//! Where each file of the site lives, and the relative links between them (a site opened from
//! `file://` has no server to resolve absolute paths).

use std::collections::HashMap;

/// The index page.
pub(super) const INDEX: &str = "index.html";
/// The stylesheet.
pub(super) const STYLE: &str = "assets/style.css";
/// The script that sets the search index (a script, not JSON: `fetch` is refused on `file://`).
pub(super) const SEARCH_INDEX: &str = "assets/search-index.js";
/// The search box's script.
pub(super) const SEARCH_SCRIPT: &str = "assets/search.js";

/// The page of one event version: `events/<eventType>/<eventVersion>.html`.
///
/// Validation limits eventTypes and versions to letters, digits, `.`, `-` and `+`; anything
/// else (and a leading `.`) is replaced by `_`, so that no name leaves its directory.
pub(super) fn event_page(event_type: &str, event_version: &str) -> String {
    format!(
        "events/{}/{}.html",
        file_part(event_type),
        file_part(event_version)
    )
}

fn file_part(text: &str) -> String {
    let mut part: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if part.is_empty() || part.starts_with('.') {
        part.insert(0, '_');
    }
    part
}

/// The way from the page at `path` up to the site's root: `""` or `"../../"`.
pub(super) fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A link from the page at `from` to the file at `to` (both relative to the root), with an
/// optional `#fragment`.
pub(super) fn href(from: &str, to: &str, fragment: Option<&str>) -> String {
    let target = if from == to && fragment.is_some() {
        String::new()
    } else {
        format!("{}{to}", root_of(from))
    };
    match fragment {
        Some(fragment) => format!("{target}#{fragment}"),
        None => target,
    }
}

/// `Story Engine` → `story-engine`: lowercase ASCII letters and digits, other runs as `-`.
fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// The anchors (`id`s) of the index page's domains and services, one each, distinct even
/// when two names slug alike.
pub(super) struct Anchors {
    ids: HashMap<(&'static str, String), String>,
}

impl Anchors {
    /// Anchors for `domains` and `services`.
    pub(super) fn new<'a>(
        domains: impl IntoIterator<Item = &'a str>,
        services: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let mut ids = HashMap::new();
        let mut taken: HashMap<String, usize> = HashMap::new();
        let named = domains
            .into_iter()
            .map(|name| ("domain", name))
            .chain(services.into_iter().map(|name| ("service", name)));
        for (kind, name) in named {
            if ids.contains_key(&(kind, name.to_owned())) {
                continue;
            }
            let base = format!("{kind}-{}", slug(name));
            let count = taken.entry(base.clone()).or_insert(0);
            *count += 1;
            let id = if *count == 1 {
                base
            } else {
                format!("{base}-{count}")
            };
            ids.insert((kind, name.to_owned()), id);
        }
        Anchors { ids }
    }

    /// The id of a domain's section on the index page.
    pub(super) fn domain(&self, name: &str) -> String {
        self.id("domain", name)
    }

    /// The id of a service's row on the index page.
    pub(super) fn service(&self, name: &str) -> String {
        self.id("service", name)
    }

    fn id(&self, kind: &'static str, name: &str) -> String {
        self.ids
            .get(&(kind, name.to_owned()))
            .cloned()
            .unwrap_or_else(|| format!("{kind}-{}", slug(name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_pages_stay_in_their_directory() {
        assert_eq!(
            event_page("characters.character.created", "1.0.0"),
            "events/characters.character.created/1.0.0.html"
        );
        assert_eq!(event_page("../x", "1/0"), "events/_.._x/1_0.html");
        assert_eq!(event_page("", ".hidden"), "events/_/_.hidden.html");
    }

    #[test]
    fn links_climb_to_the_root() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("events/a/1.0.0.html"), "../../");
        assert_eq!(
            href("events/a/1.0.0.html", INDEX, Some("service-x")),
            "../../index.html#service-x"
        );
        assert_eq!(href(INDEX, INDEX, Some("top")), "#top");
        assert_eq!(
            href("events/a/1.0.0.html", "events/a/2.0.0.html", None),
            "../../events/a/2.0.0.html"
        );
    }

    #[test]
    fn anchors_are_distinct() {
        let anchors = Anchors::new(
            ["characters"],
            ["Story Engine", "story-engine", "Story Engine"],
        );
        assert_eq!(anchors.domain("characters"), "domain-characters");
        assert_eq!(anchors.service("Story Engine"), "service-story-engine");
        assert_eq!(anchors.service("story-engine"), "service-story-engine-2");
    }
}
