//! A bad line: where, which field, and what was expected.

/// One line that is not a valid envelope of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The line's number, from 1.
    pub line: u64,
    /// The byte column (from 1) where decoding stopped, as serde_json counts it.
    pub column: usize,
    /// The path of the value at fault (`payload.personalityTraits.openness`), empty when the
    /// problem is the line or the envelope as a whole.
    pub path: String,
    /// What is wrong, and what was expected, without the path.
    pub message: String,
}

impl Finding {
    /// The finding for a decoding error on line `line`.
    pub fn from_error(line: u64, error: &serde_json::Error) -> Self {
        let mut text = error.to_string();
        if error.line() > 0 {
            let position = format!(" at line {} column {}", error.line(), error.column());
            if text.ends_with(&position) {
                text.truncate(text.len() - position.len());
            }
        }
        let (path, message) = split_path(&text);
        let mut message = message.to_owned();
        match error.classify() {
            serde_json::error::Category::Eof => {
                message.push_str(
                    " (the line ends inside a JSON value; expected one whole JSON object per line)",
                );
            }
            serde_json::error::Category::Syntax => {
                message.push_str(" (the line is not JSON; expected one JSON object per line)");
            }
            serde_json::error::Category::Data | serde_json::error::Category::Io => {}
        }
        Self {
            line,
            column: error.column().max(1),
            path: path.to_owned(),
            message,
        }
    }

    /// The finding for a line longer than the limit.
    pub fn too_long(line: u64, bytes: u64, max_line_bytes: usize) -> Self {
        Self {
            line,
            column: 1,
            path: String::new(),
            message: format!(
                "the line is {bytes} bytes long, over the limit of {max_line_bytes} bytes \
                 (raise it with --max-line-bytes); it was not read"
            ),
        }
    }

    /// The path and message together, as the runtime's decoding error reads.
    pub fn text(&self) -> String {
        if self.path.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", self.path, self.message)
        }
    }
}

/// `(path, message)` of an error reading `path: message`, the runtime's convention: a path
/// is the text before the first `": "` when it is not empty and holds no space.
fn split_path(text: &str) -> (&str, &str) {
    match text.split_once(": ") {
        Some((path, message)) if !path.is_empty() && !path.contains(' ') => (path, message),
        _ => ("", text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_path_from_the_message() {
        assert_eq!(
            split_path("payload.traits.openness: 1.5 is out of range"),
            ("payload.traits.openness", "1.5 is out of range")
        );
        assert_eq!(
            split_path("invalid type: string \"x\", expected a UUID"),
            ("", "invalid type: string \"x\", expected a UUID")
        );
        assert_eq!(
            split_path("missing field `eventId`"),
            ("", "missing field `eventId`")
        );
    }

    #[test]
    fn drops_serde_json_position_but_keeps_the_column() {
        let error = serde_json::from_str::<serde_json::Value>("{\"a\": tru}").unwrap_err();
        let finding = Finding::from_error(7, &error);
        assert_eq!(finding.line, 7);
        assert_eq!(finding.column, error.column());
        assert!(!finding.message.contains("at line"), "{finding:?}");
        assert_eq!(
            finding.message,
            "expected ident (the line is not JSON; expected one JSON object per line)"
        );
    }
}
