//! The document as YAML: block style, two-space indents, keys in the tree's order.
//!
//! Every value reads back as the JSON value it came from, under YAML 1.1 and 1.2 readers
//! alike: a string is written plain only when it starts with a letter, `_`, `$` or `/` and
//! holds nothing but letters, digits, spaces, `_`, `.`, `$`, `/` and `-` (and is no word a
//! reader would take for a boolean or null, such as `yes` or `off`); every other string is
//! double-quoted with escapes for quotes, backslashes and non-printable characters. Empty
//! objects and arrays are `{}` and `[]`.

use super::node::Node;

/// The YAML text of `node`, ending with a line break.
pub fn to_yaml(node: &Node) -> String {
    let mut out = String::new();
    match node {
        Node::Map(map) if !map.is_empty() => write_map(&mut out, node, 0),
        Node::List(items) if !items.is_empty() => write_list(&mut out, node, 0),
        scalar => {
            out.push_str(&inline(scalar));
            out.push('\n');
        }
    }
    out
}

/// The entries of a non-empty map, each on its own line at `indent`.
fn write_map(out: &mut String, node: &Node, indent: usize) {
    let Node::Map(map) = node else { return };
    for (index, (key, value)) in map.iter().enumerate() {
        // The first entry of a map inside a list item follows the `- ` on its line.
        if index > 0 || !out.ends_with("- ") {
            push_indent(out, indent);
        }
        out.push_str(&scalar(key));
        out.push(':');
        write_value(out, value, indent);
    }
}

/// The items of a non-empty list, each `- ` at `indent`.
fn write_list(out: &mut String, node: &Node, indent: usize) {
    let Node::List(items) = node else { return };
    for (index, item) in items.iter().enumerate() {
        if index > 0 || !out.ends_with("- ") {
            push_indent(out, indent);
        }
        out.push_str("- ");
        match item {
            Node::Map(map) if !map.is_empty() => write_map(out, item, indent + 2),
            Node::List(inner) if !inner.is_empty() => write_list(out, item, indent + 2),
            other => {
                out.push_str(&inline(other));
                out.push('\n');
            }
        }
    }
}

/// What follows `key:`: a scalar on the same line, or a block on the next lines.
fn write_value(out: &mut String, value: &Node, indent: usize) {
    match value {
        Node::Map(map) if !map.is_empty() => {
            out.push('\n');
            write_map(out, value, indent + 2);
        }
        Node::List(items) if !items.is_empty() => {
            out.push('\n');
            write_list(out, value, indent + 2);
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// A scalar, or an empty object or array, on one line.
fn inline(node: &Node) -> String {
    match node {
        Node::Null => "null".to_owned(),
        Node::Bool(value) => value.to_string(),
        Node::Number(number) => number.to_string(),
        Node::String(text) => scalar(text),
        Node::List(_) => "[]".to_owned(),
        Node::Map(_) => "{}".to_owned(),
    }
}

/// A string as a plain scalar when that is unambiguous, else double-quoted.
fn scalar(text: &str) -> String {
    if is_plain(text) {
        text.to_owned()
    } else {
        quoted(text)
    }
}

fn is_plain(text: &str) -> bool {
    const WORDS: [&str; 9] = ["true", "false", "null", "yes", "no", "on", "off", "y", "n"];
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || matches!(first, '_' | '$' | '/'))
        && chars
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '.' | '$' | '/' | '-'))
        && !text.ends_with(' ')
        && !WORDS.iter().any(|word| text.eq_ignore_ascii_case(word))
}

/// A double-quoted scalar: `"` and `\` escaped, and every character outside YAML's printable
/// set (controls, DEL, C1 controls, U+FEFF, U+FFFE, U+FFFF) as `\uXXXX` or its short escape;
/// line and paragraph separators are escaped too, so that the scalar stays on one line.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{feff}'
            | '\u{fffe}'
            | '\u{ffff}' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asyncapi::node::Map;

    #[test]
    fn nested_maps_and_lists() {
        let node: Node = Map::new()
            .with("asyncapi", "3.0.0")
            .with(
                "info",
                Map::new().with("title", "novel-engine").with(
                    "tags",
                    vec![
                        Map::new()
                            .with("name", "characters")
                            .with("description", "a: b")
                            .into(),
                        Node::from("plain"),
                        Node::List(vec![Node::from(true), Node::Null]),
                    ],
                ),
            )
            .with("empty", Map::new())
            .with("none", Node::List(Vec::new()))
            .with("$ref", "#/components/x")
            .into();
        assert_eq!(
            to_yaml(&node),
            concat!(
                "asyncapi: \"3.0.0\"\n",
                "info:\n",
                "  title: novel-engine\n",
                "  tags:\n",
                "    - name: characters\n",
                "      description: \"a: b\"\n",
                "    - plain\n",
                "    - - true\n",
                "      - null\n",
                "empty: {}\n",
                "none: []\n",
                "$ref: \"#/components/x\"\n",
            )
        );
    }

    #[test]
    fn strings_a_reader_could_take_for_something_else_are_quoted() {
        for text in [
            "", "yes", "No", "off", "null", "1.0.0", "42", "-x", "a: b", "a #b", "#x", "x ", " x",
            "*alias", "&anchor", "!tag", "{a}", "[a]", "a,b", "'a'", "%x", "@x", "`x", "~", "a\nb",
            "?x", "|x", ">x",
        ] {
            assert!(scalar(text).starts_with('"'), "{text:?} must be quoted");
        }
        for text in [
            "novel-engine",
            "Characters Service",
            "$ref",
            "Nats-Msg-Id",
            "a.b.c",
        ] {
            assert_eq!(scalar(text), text);
        }
    }

    #[test]
    fn quoting_escapes_what_yaml_cannot_hold_raw() {
        assert_eq!(
            quoted("a\"b\\c\u{7}\u{85}\u{feff}é\u{1F600}"),
            "\"a\\\"b\\\\c\\u0007\\u0085\\ufeffé\u{1F600}\""
        );
    }
}
