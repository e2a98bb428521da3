//! Search by name: the index of every event type, written as a script that the search box's
//! script reads (a page opened from `file://` may not `fetch` a JSON file, but it may load a
//! script).
//!
//! The search box is on every page (`assets/search.js`): typing filters the index page's event
//! rows in place and lists the matching events, as links, under the box. A query matches an
//! event whose name, eventType or domain contains it, ignoring case.

use serde_json::{Value, json};

use super::paths;
use super::versions::EventType;

/// The name of the global the index script sets.
pub(super) const GLOBAL: &str = "NOVEL_EVENTS_SEARCH";

/// The text of `assets/search-index.js`: one entry per event type, linking its newest version.
pub(super) fn index_script(event_types: &[EventType<'_>]) -> String {
    let entries: Vec<Value> = event_types
        .iter()
        .map(|event_type| {
            let latest = event_type.latest().info;
            json!({
                "name": latest.name,
                "eventType": latest.event_type,
                "version": latest.event_version,
                "domain": latest.domain,
                "url": paths::event_page(latest.event_type, latest.event_version),
            })
        })
        .collect();
    format!(
        "// The search index of the catalog's events, read by search.js.\nwindow.{GLOBAL} = {};\n",
        script_safe(&Value::Array(entries).to_string())
    )
}

/// JSON that cannot end its script element or open a comment in it: `<` written `\u003c`
/// (still the same JSON string for the script's parser).
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// The text that a row of the index page is matched on: name, eventType and domain,
/// lowercase (as search.js lowercases the query).
pub(super) fn haystack(event_type: &EventType<'_>) -> String {
    let info = event_type.latest().info;
    format!("{} {} {}", info.name, info.event_type, info.domain).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_cannot_leave_the_script() {
        assert_eq!(
            script_safe(r#"["</script><script>alert(1)"]"#),
            r#"["\u003c/script>\u003cscript>alert(1)"]"#
        );
        let back: Value = serde_json::from_str(&script_safe(r#"["</script>"]"#)).unwrap();
        assert_eq!(back[0], "</script>");
    }
}
