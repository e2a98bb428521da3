//! Constraint violations: what a catalog promises that a Rust type alone cannot hold.

use std::fmt;

/// One broken constraint, at a field path.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// The field's path from the envelope (`payload.relationshipStrength`); empty for the
    /// envelope as a whole (its size).
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Every constraint a payload breaks.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{} constraint violation(s): {}", .violations.len(), display_all(.violations))]
pub struct ValidationError {
    /// The violations, in field order.
    pub violations: Vec<Violation>,
}

fn display_all(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A string that is not one of an enum's values (from a generated enum's `FromStr`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{}` is not a {type_name}: expected one of {}", crate::codec::shorten(.value), quoted(.expected))]
pub struct UnknownValue {
    /// The enum's Rust name.
    pub type_name: &'static str,
    /// The value given.
    pub value: String,
    /// The values allowed.
    pub expected: &'static [&'static str],
}

impl UnknownValue {
    /// An error for `value`, which is not among `expected`.
    pub fn new(type_name: &'static str, value: &str, expected: &'static [&'static str]) -> Self {
        Self {
            type_name,
            value: value.to_owned(),
            expected,
        }
    }
}

fn quoted(values: &[&str]) -> String {
    values
        .iter()
        .map(|value| format!("`{value}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
