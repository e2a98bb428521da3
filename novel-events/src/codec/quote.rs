//! How an error message quotes a piece of input: whole when short, else its beginning.

use std::borrow::Cow;

/// How many characters of an input string an error message quotes.
///
/// The catalog compiler quotes with the same rule (`novel_events_codegen::shorten`); the
/// runtime never depends on the compiler, so the rule is written once per crate and a test of
/// the workspace (`tests/decode_hardening.rs`) checks that both agree.
pub const MAX_QUOTED_CHARS: usize = 80;

/// `text` as an error message quotes it: whole up to 80 characters (`MAX_QUOTED_CHARS`), else
/// its first ones followed by `…`, so that a huge value cannot make a huge message.
pub fn shorten(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(MAX_QUOTED_CHARS) {
        None => text.into(),
        Some((end, _)) => format!("{}…", &text[..end]).into(),
    }
}

/// The longest error message, in characters, once its quotes are shortened (room for long
/// lists of expected values).
pub(crate) const MAX_MESSAGE_CHARS: usize = 4096;

/// `message` with every quoted span (between `"`, escapes skipped, or between backticks)
/// longer than [`MAX_QUOTED_CHARS`] shortened, and the whole cut at [`MAX_MESSAGE_CHARS`];
/// `None` when it needs neither. For errors whose text quotes input without our say (serde's
/// `invalid type: string "..."`, `unknown variant `...``).
pub(crate) fn shorten_long_quotes(message: &str) -> Option<String> {
    if message.len() <= 2 * MAX_QUOTED_CHARS {
        return None;
    }
    let mut out = String::with_capacity(message.len().min(2 * MAX_MESSAGE_CHARS));
    let mut changed = false;
    let mut rest = message;
    while let Some(open) = rest.find(['"', '`']) {
        let quote = rest.as_bytes()[open];
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let close = if quote == b'"' {
            closing_double_quote(rest)
        } else {
            rest.find('`')
        };
        let inner = &rest[..close.unwrap_or(rest.len())];
        let short = shorten(inner);
        changed |= short.len() != inner.len();
        out.push_str(&short);
        match close {
            Some(close) => {
                out.push(char::from(quote));
                rest = &rest[close + 1..];
            }
            None => rest = "",
        }
        if out.len() > 4 * MAX_MESSAGE_CHARS {
            break;
        }
    }
    out.push_str(rest);
    if let Some((end, _)) = out.char_indices().nth(MAX_MESSAGE_CHARS) {
        out.truncate(end);
        out.push('…');
        changed = true;
    }
    changed.then_some(out)
}

/// The index of the `"` that closes a debug-escaped string starting at `text`.
fn closing_double_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (index, byte) in text.bytes().enumerate() {
        match byte {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' => return Some(index),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_long_text_only() {
        assert_eq!(shorten("short"), "short");
        let long = "é".repeat(200);
        let quoted = shorten(&long);
        assert_eq!(quoted.chars().count(), MAX_QUOTED_CHARS + 1);
        assert!(quoted.ends_with('…'));
    }

    #[test]
    fn shortens_long_quotes_in_messages() {
        let input = format!("{}\"", "x".repeat(100));
        let message = format!("invalid type: string {input:?}, expected u64; got `{input}`");
        let short = shorten_long_quotes(&message).unwrap();
        assert!(short.len() < 250, "{short}");
        assert!(short.contains(&format!("{}…", "x".repeat(80))), "{short}");
        assert!(short.ends_with("expected u64; got `xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…`"), "{short}");
        assert_eq!(shorten_long_quotes("short `message`"), None);
        // Many short quotes still make a bounded message.
        let many = "`ab` ".repeat(100_000);
        assert!(shorten_long_quotes(&many).unwrap().chars().count() <= MAX_MESSAGE_CHARS + 1);
    }
}
