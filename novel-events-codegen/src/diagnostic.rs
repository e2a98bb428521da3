//! Errors about a catalog: what is wrong, where (file:line:column) and what was expected.

use std::fmt;

/// A position in a catalog file. Lines and columns start at 1.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    /// The file as the user named it (for example `catalog/novel-engine.yaml`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Location {
    /// A location in `file`.
    pub fn new(file: &str, line: usize, column: usize) -> Self {
        Self {
            file: file.to_owned(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One problem found in a catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at `location`.
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        Self {
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// Every problem found in one catalog, in file order, so that all can be fixed in one pass.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem.
    pub fn push(&mut self, location: &Location, message: impl Into<String>) {
        self.0.push(Diagnostic::new(location.clone(), message));
    }

    /// Whether no problem was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems, sorted by position.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0
            .sort_by(|a, b| a.location.cmp(&b.location).then(a.message.cmp(&b.message)));
        self.0.dedup();
        self.0
    }

    /// `Ok(value)` when nothing was recorded, otherwise every problem.
    pub fn finish<T>(self, value: T) -> Result<T, Vec<Diagnostic>> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self.into_sorted())
        }
    }
}

/// How many characters of an input string an error message quotes.
pub const MAX_QUOTED_CHARS: usize = 80;

/// `text` as an error message quotes it: whole up to 80 characters (`MAX_QUOTED_CHARS`), else
/// its first ones followed by `…`, so that a huge key or value cannot make a huge message.
pub fn shorten(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_QUOTED_CHARS) {
        None => text.into(),
        Some((end, _)) => format!("{}…", &text[..end]).into(),
    }
}

/// The longest input, in bytes, for which a suggestion is computed: the distance costs the
/// product of the two lengths, and a longer word is no typo of a name.
pub const MAX_SUGGESTION_INPUT: usize = 256;

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo:
/// at most a third of the word's characters (and at least 2) apart. The distance is
/// `strsim::levenshtein` over the lowercased strings (it counts characters), the same measure
/// as the runtime's. No suggestion for an input longer than 256 bytes (`MAX_SUGGESTION_INPUT`).
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if word.len() > MAX_SUGGESTION_INPUT {
        return None;
    }
    let length = word.chars().count();
    let limit = (length / 3).max(2);
    let word = word.to_lowercase();
    candidates
        .into_iter()
        // The distance is at least the difference of the lengths: most candidates are
        // discarded without computing it.
        .filter(|candidate| {
            candidate.len() <= MAX_SUGGESTION_INPUT
                && candidate.chars().count().abs_diff(length) <= limit
        })
        .map(|candidate| {
            (
                strsim::levenshtein(&word, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// " (did you mean `x`?)" when a near candidate exists, else an empty string.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    nearest(word, candidates)
        .map(|candidate| format!(" (did you mean `{candidate}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        let keys = ["eventType", "eventVersion", "payload"];
        assert_eq!(nearest("evenType", keys), Some("eventType"));
        assert_eq!(nearest("payloda", keys), Some("payload"));
        assert_eq!(nearest("subscribers", keys), None);
        assert_eq!(
            did_you_mean("uiid", ["uuid", "string"]),
            " (did you mean `uuid`?)"
        );
    }

    #[test]
    fn compares_characters_without_case() {
        assert_eq!(nearest("EVENTTYPE", ["eventType"]), Some("eventType"));
        // One character apart, two bytes apart.
        assert_eq!(nearest("café", ["cafe"]), Some("cafe"));
        assert_eq!(nearest("ab", ["abéé"]), Some("abéé"));
    }

    #[test]
    fn no_suggestion_for_long_input() {
        let near = "a".repeat(MAX_SUGGESTION_INPUT);
        let long = "a".repeat(MAX_SUGGESTION_INPUT + 1);
        assert_eq!(nearest(&long, [near.as_str()]), None);
        let fits = format!("{}b", "a".repeat(MAX_SUGGESTION_INPUT - 1));
        assert_eq!(nearest(&fits, [near.as_str()]), Some(near.as_str()));
    }

    #[test]
    fn shortens_long_quotes() {
        assert_eq!(shorten("short"), "short");
        let long = "é".repeat(200);
        let quoted = shorten(&long);
        assert_eq!(quoted.chars().count(), MAX_QUOTED_CHARS + 1);
        assert!(quoted.ends_with('…'));
    }

    #[test]
    fn sorts_by_position() {
        let mut list = Diagnostics::new();
        list.push(&Location::new("a", 3, 1), "late");
        list.push(&Location::new("a", 1, 5), "early");
        let sorted = list.into_sorted();
        assert_eq!(sorted[0].message, "early");
        assert_eq!(sorted[0].to_string(), "a:1:5: early");
    }
}
