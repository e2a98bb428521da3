//! How a catalog that a macro cannot use becomes compile errors, the same under
//! `include_catalog!` and `#[derive(Event)]`: one error per problem, reading
//! `file:line:column: message`, on the literal that names the catalog.
//!
//! A broken catalog is reported in full once per compilation: on the first use of it that the
//! compiler expands (and again on that same use when it is expanded again, as rust-analyzer
//! does after an edit). Every other use of the same file gets one short error that points to
//! that first use, so that ten derives naming one broken catalog do not repeat its problems
//! ten times. The proc-macro crate keeps that record (see its `catalog_cache`).

use proc_macro2::Span;

use crate::diagnostic::Diagnostic;

/// Why a catalog named by a macro could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogError {
    /// The file could not be read; the message says what was looked for, and where.
    Unreadable(String),
    /// The file has these problems, sorted by position.
    Invalid(Vec<Diagnostic>),
    /// The file has problems, reported in full on another use of it.
    ReportedElsewhere {
        /// The catalog as the user named it.
        catalog: String,
        /// How many problems it has.
        count: usize,
        /// Where they were reported: `file:line:column` of that use.
        at: String,
    },
}

impl CatalogError {
    /// The error text of a catalog file that does not exist, with where it was looked for.
    pub fn not_found(relative: &str, looked_at: &str, relative_to: &str) -> Self {
        Self::Unreadable(format!(
            "catalog file not found: `{relative}`, looked for at `{looked_at}` (the path is relative to {relative_to})"
        ))
    }

    /// The compile errors, every one spanned on `span` (the literal naming the catalog).
    pub fn to_syn_error(&self, span: Span) -> syn::Error {
        match self {
            Self::Unreadable(message) => syn::Error::new(span, message),
            Self::Invalid(diagnostics) => {
                let mut errors = diagnostics
                    .iter()
                    .map(|diagnostic| syn::Error::new(span, diagnostic));
                let mut combined = errors
                    .next()
                    .unwrap_or_else(|| syn::Error::new(span, "invalid catalog"));
                for error in errors {
                    combined.combine(error);
                }
                combined
            }
            Self::ReportedElsewhere { catalog, count, at } => {
                let problems = if *count == 1 {
                    "1 problem".to_owned()
                } else {
                    format!("{count} problems")
                };
                syn::Error::new(
                    span,
                    format!(
                        "the catalog `{catalog}` has {problems}, reported at its first use, {at}"
                    ),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;

    #[test]
    fn one_error_per_problem_with_its_position() {
        let error = CatalogError::Invalid(vec![
            Diagnostic::new(Location::new("c.yaml", 2, 3), "first"),
            Diagnostic::new(Location::new("c.yaml", 5, 1), "second"),
        ])
        .to_syn_error(Span::call_site());
        let messages: Vec<String> = error.into_iter().map(|error| error.to_string()).collect();
        assert_eq!(messages, ["c.yaml:2:3: first", "c.yaml:5:1: second"]);
    }

    #[test]
    fn a_later_use_points_to_the_first() {
        let error = CatalogError::ReportedElsewhere {
            catalog: "c.yaml".into(),
            count: 2,
            at: "src/lib.rs:7:70".into(),
        }
        .to_syn_error(Span::call_site());
        assert_eq!(
            error.to_string(),
            "the catalog `c.yaml` has 2 problems, reported at its first use, src/lib.rs:7:70"
        );
    }
}
