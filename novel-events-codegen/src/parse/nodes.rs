//! Typed access to YAML nodes: each reader records a problem, with the node's position, when
//! the node has another shape, and returns what it could read.

use crate::diagnostic::{Diagnostics, Location, did_you_mean, shorten};
use crate::yaml::{Entry, Node, Value, is_null};

pub(super) fn get<'a>(entries: &'a [Entry], key: &str) -> Option<&'a Node> {
    entries
        .iter()
        .find(|entry| entry.key == key)
        .map(|entry| &entry.value)
}

pub(super) fn mapping<'a>(
    node: &'a Node,
    what: &str,
    diagnostics: &mut Diagnostics,
) -> Option<&'a [Entry]> {
    match &node.value {
        Value::Mapping(entries) => Some(entries),
        _ => {
            diagnostics.push(
                &node.location,
                format!("expected {what} to be a mapping, found {}", node.kind()),
            );
            None
        }
    }
}

pub(super) fn sequence<'a>(
    node: &'a Node,
    what: &str,
    diagnostics: &mut Diagnostics,
) -> Option<&'a [Node]> {
    match &node.value {
        Value::Sequence(items) => Some(items),
        _ => {
            diagnostics.push(
                &node.location,
                format!("expected {what} to be a sequence, found {}", node.kind()),
            );
            None
        }
    }
}

pub(super) fn string(node: &Node, what: &str, diagnostics: &mut Diagnostics) -> Option<String> {
    match &node.value {
        Value::Scalar { text, quoted } if *quoted || !is_null(text) => Some(text.clone()),
        _ => {
            diagnostics.push(
                &node.location,
                format!("expected {what} to be a string, found {}", node.kind()),
            );
            None
        }
    }
}

pub(super) fn boolean(node: &Node, what: &str, diagnostics: &mut Diagnostics) -> Option<bool> {
    match node.value {
        Value::Scalar {
            ref text,
            quoted: false,
        } if text == "true" => Some(true),
        Value::Scalar {
            ref text,
            quoted: false,
        } if text == "false" => Some(false),
        _ => {
            diagnostics.push(
                &node.location,
                format!("expected {what} to be true or false, found {}", node.kind()),
            );
            None
        }
    }
}

pub(super) fn number(node: &Node, what: &str, diagnostics: &mut Diagnostics) -> Option<f64> {
    match &node.value {
        Value::Scalar {
            text,
            quoted: false,
        } => match text.parse::<f64>() {
            Ok(value) if value.is_finite() => Some(value),
            _ => {
                diagnostics.push(
                    &node.location,
                    format!("expected {what} to be a number, found `{}`", shorten(text)),
                );
                None
            }
        },
        _ => {
            diagnostics.push(
                &node.location,
                format!("expected {what} to be a number, found {}", node.kind()),
            );
            None
        }
    }
}

pub(super) fn check_keys(
    entries: &[Entry],
    allowed: &[&str],
    context: &str,
    diagnostics: &mut Diagnostics,
) {
    for entry in entries {
        if !allowed.contains(&entry.key.as_str()) {
            diagnostics.push(
                &entry.key_location,
                format!(
                    "unknown key `{}` in {context}{}; expected one of: {}",
                    shorten(&entry.key),
                    did_you_mean(&entry.key, allowed.iter().copied()),
                    allowed.join(", ")
                ),
            );
        }
    }
}

pub(super) fn require(
    entries: &[Entry],
    location: &Location,
    keys: &[&str],
    context: &str,
    diagnostics: &mut Diagnostics,
) {
    for key in keys {
        if get(entries, key).is_none() {
            diagnostics.push(
                location,
                format!("{context} is missing the required key `{key}`"),
            );
        }
    }
}

/// `major.minor.patch`, numbers without leading zeros, optional `-pre` and `+build`.
pub(crate) fn is_semver(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|part| {
            !part.is_empty()
                && part.bytes().all(|byte| byte.is_ascii_digit())
                && (part.len() == 1 || !part.starts_with('0'))
        })
        && !version.ends_with(['-', '+'])
}

pub(super) fn check_semver(
    version: &str,
    location: &Location,
    what: &str,
    diagnostics: &mut Diagnostics,
) {
    if !is_semver(version) {
        diagnostics.push(
            location,
            format!("{what} is `{}`, which is not a semantic version: expected MAJOR.MINOR.PATCH, quoted, such as \"1.0.0\"", shorten(version)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver() {
        for good in ["1.0.0", "0.1.12", "2.0.0-beta.1", "1.0.0+build"] {
            assert!(is_semver(good), "{good}");
        }
        for bad in ["1.0", "1", "01.0.0", "1.0.x", "v1.0.0", "1.0.0-", ""] {
            assert!(!is_semver(bad), "{bad}");
        }
    }
}
