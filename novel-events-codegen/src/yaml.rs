//! A small YAML tree in which every node and every mapping key knows where it stands.
//!
//! The catalog needs line:column positions for *semantic* errors ("unknown field type `uiid`
//! at 12:18"), which a plain YAML value cannot give. We build the tree from `saphyr-parser`'s
//! event stream ourselves, which also lets us refuse what would silently lose data in a
//! catalog: duplicate keys, non-scalar keys, anchors and aliases, several documents.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use crate::diagnostic::{Diagnostic, Location, shorten};

/// The deepest nesting of sequences and mappings a catalog may use. Building stops with an
/// error at the first collection past it, so that no tree of unbounded depth is ever built
/// (nor dropped, which is recursive).
pub const MAX_DEPTH: usize = 64;

/// A YAML node with the location of its first character.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node starts.
    pub location: Location,
    /// What the node holds.
    pub value: Value,
}

/// The content of a [`Node`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar as written (YAML's core schema is applied by the readers, not here).
    Scalar {
        /// The scalar's text.
        text: String,
        /// Whether it was quoted (a quoted `1.0` is a string, an unquoted one a number).
        quoted: bool,
    },
    /// A sequence of nodes.
    Sequence(Vec<Node>),
    /// A mapping, in document order, with keys that are scalars and unique.
    Mapping(Vec<Entry>),
}

/// One `key: value` pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key's text.
    pub key: String,
    /// Where the key is written.
    pub key_location: Location,
    /// The value.
    pub value: Node,
}

impl Node {
    /// A short name of the node's kind, for error messages ("a mapping", "a sequence").
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Scalar { quoted: true, .. } => "a string",
            Value::Scalar { text, .. } if is_null(text) => "null",
            Value::Scalar { .. } => "a scalar",
            Value::Sequence(_) => "a sequence",
            Value::Mapping(_) => "a mapping",
        }
    }
}

/// Whether an unquoted scalar is YAML's null.
pub fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// Parses one YAML document into a [`Node`] tree.
///
/// Errors carry the file name given and the position of the problem.
pub fn parse(source: &str, file: &str) -> Result<Node, Diagnostic> {
    let mut builder = Builder {
        file,
        stack: Vec::new(),
        root: None,
        documents: 0,
    };
    for item in Parser::new_from_str(source) {
        let (event, span) = item.map_err(|error| {
            let marker = error.marker();
            Diagnostic::new(
                Location::new(file, marker.line(), marker.col() + 1),
                format!("YAML syntax error: {}", error.info()),
            )
        })?;
        builder.event(event, span)?;
    }
    builder.root.ok_or_else(|| {
        Diagnostic::new(
            Location::new(file, 1, 1),
            "the catalog is empty: expected a mapping with `catalog`, `version` and `domains`",
        )
    })
}

enum Open {
    Sequence(Location, Vec<Node>),
    /// A mapping being read: its entries, the key waiting for its value, and the position of
    /// each key already read (so that a duplicate is found in constant time).
    Mapping(
        Location,
        Vec<Entry>,
        Option<(String, Location)>,
        HashMap<String, Location>,
    ),
}

struct Builder<'f> {
    file: &'f str,
    stack: Vec<Open>,
    root: Option<Node>,
    documents: usize,
}

impl Builder<'_> {
    fn location(&self, span: Span) -> Location {
        Location::new(self.file, span.start.line(), span.start.col() + 1)
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), Diagnostic> {
        let location = self.location(span);
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Diagnostic::new(
                        location,
                        "a catalog file holds one YAML document; found a second one (`---`)",
                    ));
                }
            }
            Event::Alias(_) => {
                return Err(Diagnostic::new(
                    location,
                    "YAML aliases (`*name`) are not supported in a catalog: write the value out, \
                     or declare a named type under `types` and refer to it by name",
                ));
            }
            Event::Scalar(text, style, anchor, _) => {
                reject_anchor(anchor, location.clone())?;
                let node = Node {
                    location,
                    value: Value::Scalar {
                        text: Cow::into_owned(text),
                        quoted: !matches!(style, ScalarStyle::Plain),
                    },
                };
                self.push(node)?;
            }
            Event::SequenceStart(anchor, _) => {
                reject_anchor(anchor, location.clone())?;
                self.check_key_position(&location)?;
                self.check_depth(&location)?;
                self.stack.push(Open::Sequence(location, Vec::new()));
            }
            Event::MappingStart(anchor, _) => {
                reject_anchor(anchor, location.clone())?;
                self.check_key_position(&location)?;
                self.check_depth(&location)?;
                self.stack
                    .push(Open::Mapping(location, Vec::new(), None, HashMap::new()));
            }
            Event::SequenceEnd => {
                if let Some(Open::Sequence(location, items)) = self.stack.pop() {
                    self.push(Node {
                        location,
                        value: Value::Sequence(items),
                    })?;
                }
            }
            Event::MappingEnd => {
                if let Some(Open::Mapping(location, entries, _, _)) = self.stack.pop() {
                    self.push(Node {
                        location,
                        value: Value::Mapping(entries),
                    })?;
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    /// A collection that starts where a mapping expects a key is a complex key: refused.
    fn check_key_position(&self, location: &Location) -> Result<(), Diagnostic> {
        if let Some(Open::Mapping(_, _, None, _)) = self.stack.last() {
            return Err(Diagnostic::new(
                location.clone(),
                "mapping keys must be plain strings, found a sequence or mapping used as a key",
            ));
        }
        Ok(())
    }

    /// A collection nested deeper than [`MAX_DEPTH`] is refused where it starts.
    fn check_depth(&self, location: &Location) -> Result<(), Diagnostic> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(Diagnostic::new(
                location.clone(),
                format!(
                    "the catalog nests sequences and mappings deeper than {MAX_DEPTH} levels here; \
                     a catalog needs far fewer (declare a named type under `types` instead)"
                ),
            ));
        }
        Ok(())
    }

    fn push(&mut self, node: Node) -> Result<(), Diagnostic> {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Open::Sequence(_, items)) => items.push(node),
            Some(Open::Mapping(_, entries, pending, keys)) => match pending.take() {
                None => {
                    let Value::Scalar { text, .. } = node.value else {
                        return Err(Diagnostic::new(
                            node.location,
                            "mapping keys must be plain strings",
                        ));
                    };
                    if let Some(first) = keys.get(&text) {
                        return Err(Diagnostic::new(
                            node.location,
                            format!(
                                "duplicate key `{}` in this mapping (first written at {}:{}); \
                                 YAML would silently keep only one of them",
                                shorten(&text),
                                first.line,
                                first.column
                            ),
                        ));
                    }
                    keys.insert(text.clone(), node.location.clone());
                    *pending = Some((text, node.location));
                }
                Some((key, key_location)) => entries.push(Entry {
                    key,
                    key_location,
                    value: node,
                }),
            },
        }
        Ok(())
    }
}

fn reject_anchor(anchor: usize, location: Location) -> Result<(), Diagnostic> {
    if anchor == 0 {
        Ok(())
    } else {
        Err(Diagnostic::new(
            location,
            "YAML anchors (`&name`) are not supported in a catalog: declare a named type under \
             `types` and refer to it by name",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_tree_with_positions() {
        let node = parse("a: 1\nb:\n  - x\n  - 'y'\n", "t.yaml").unwrap();
        let Value::Mapping(entries) = &node.value else {
            panic!("expected mapping")
        };
        assert_eq!(entries[0].key, "a");
        assert_eq!(entries[1].key_location.line, 2);
        assert_eq!(entries[1].key_location.column, 1);
        let Value::Sequence(items) = &entries[1].value.value else {
            panic!("expected sequence")
        };
        assert_eq!(items[1].location.line, 4);
        assert_eq!(items[1].location.column, 5);
        assert_eq!(
            items[1].value,
            Value::Scalar {
                text: "y".into(),
                quoted: true
            }
        );
    }

    #[test]
    fn refuses_duplicate_keys_with_both_positions() {
        let error = parse("a: 1\nb: 2\na: 3\n", "t.yaml").unwrap_err();
        assert_eq!(error.location.line, 3);
        assert!(
            error.message.contains("duplicate key `a`"),
            "{}",
            error.message
        );
        assert!(error.message.contains("1:1"), "{}", error.message);
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let error = parse("a: [1, 2\nb: 3\n", "t.yaml").unwrap_err();
        assert!(
            error.message.starts_with("YAML syntax error"),
            "{}",
            error.message
        );
        assert!(error.location.line >= 1);
    }

    #[test]
    fn refuses_anchors_and_aliases() {
        let error = parse("a: &x 1\nb: *x\n", "t.yaml").unwrap_err();
        assert!(error.message.contains("anchors"), "{}", error.message);
    }

    #[test]
    fn refuses_nesting_past_the_limit_with_its_position() {
        let fits = format!("{}x{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&fits, "t.yaml").is_ok());
        let deep = format!("a:\n  {}x\n", "- ".repeat(MAX_DEPTH));
        let error = parse(&deep, "t.yaml").unwrap_err();
        assert!(
            error.message.contains("deeper than 64"),
            "{}",
            error.message
        );
        assert_eq!(error.location.line, 2);
    }

    #[test]
    fn a_million_levels_fail_in_a_small_stack() {
        // Neither the parser nor the (never built) tree may recurse per level.
        let source = format!("description: {}", "[".repeat(1_000_000));
        let error = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || parse(&source, "t.yaml").unwrap_err())
            .unwrap()
            .join()
            .unwrap();
        // The parser's own limit on flow collections may come first.
        assert!(
            error.message.contains("deeper than") || error.message.contains("recursion limit"),
            "{}",
            error.message
        );
        let block: String = (0..3_000)
            .map(|depth| format!("{}-\n", " ".repeat(depth)))
            .collect();
        let error = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || parse(&block, "t.yaml").unwrap_err())
            .unwrap()
            .join()
            .unwrap();
        assert!(error.message.contains("deeper than"), "{error}");
        assert_eq!(error.location.line, MAX_DEPTH + 1);
    }

    #[test]
    fn refuses_an_empty_file() {
        let error = parse("", "t.yaml").unwrap_err();
        assert!(error.message.contains("empty"));
    }
}
