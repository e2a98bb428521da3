//! A string as JSON text. The crate writes a little JSON by hand (the lock file, defaults in
//! the generated metadata) and depends on no JSON library; this is its one string writer.

use std::fmt::Write as _;

/// `text` as a JSON string literal: `"` and `\` escaped, `\n`, `\r`, `\t`, `\b` and `\f` by
/// their short escapes, other control characters as `\u00XX`; everything else as it is.
pub(crate) fn json_string(text: &str) -> String {
    let mut json = String::with_capacity(text.len() + 2);
    json.push('"');
    for c in text.chars() {
        match c {
            '"' => json.push_str("\\\""),
            '\\' => json.push_str("\\\\"),
            '\n' => json.push_str("\\n"),
            '\r' => json.push_str("\\r"),
            '\t' => json.push_str("\\t"),
            '\u{8}' => json.push_str("\\b"),
            '\u{c}' => json.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(json, "\\u{:04x}", u32::from(c));
            }
            c => json.push(c),
        }
    }
    json.push('"');
    json
}
