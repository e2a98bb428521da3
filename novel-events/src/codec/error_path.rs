//! Errors that name the path of the value they are about (`payload.traits.openness: ...`).

use std::fmt;

/// Removes the " at line L column C" that serde_json appends, so that an error re-wrapped
/// with a path gets its position once.
pub fn strip_position(message: &str) -> String {
    if let Some(index) = rfind(message, " at line ") {
        let tail = &message[index + " at line ".len()..];
        let mut parts = tail.split(" column ");
        let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        if let (Some(line), Some(column), None) = (parts.next(), parts.next(), parts.next())
            && digits(line)
            && digits(column)
        {
            return message[..index].to_owned();
        }
    }
    message.to_owned()
}

/// The start of the last `needle` in `text`. A byte loop: the messages are short, and `str`'s
/// own search sets up a two-way searcher first, which costs more than the search itself.
fn rfind(text: &str, needle: &str) -> Option<usize> {
    let (text, needle) = (text.as_bytes(), needle.as_bytes());
    (0..=text.len().checked_sub(needle.len())?)
        .rev()
        .find(|&start| text[start..].starts_with(needle))
}

/// `key: message`, or `key.path: message` when the inner error already names a path.
///
/// A path is the text before the first `": "` when it holds no space.
pub fn prefix_error<E: serde::de::Error>(key: &str, error: &dyn std::fmt::Display) -> E {
    let message = strip_position(&error.to_string());
    // The path ends at the first `": "`, if no space comes before it.
    let path_end = message.bytes().position(|byte| byte == b' ');
    match path_end.filter(|&end| end > 1 && message.as_bytes()[end - 1] == b':') {
        Some(end) => {
            let (path, rest) = (&message[..end - 1], &message[end + 1..]);
            let separator = if path.starts_with('[') { "" } else { "." };
            E::custom(format_args!("{key}{separator}{path}: {rest}"))
        }
        _ => E::custom(format_args!("{key}: {message}")),
    }
}

/// `key: message` for an error decoding a `T`, with what a date-time looks like when `T` holds
/// one and the message does not already say what was expected (chrono's "input contains
/// invalid characters").
pub fn field_error<T, E: serde::de::Error>(key: &str, error: &dyn fmt::Display) -> E {
    let type_name = std::any::type_name::<T>();
    let message = strip_position(&error.to_string());
    if type_name.contains("chrono::")
        && type_name.contains("DateTime<")
        && !message.contains("expected")
    {
        prefix_error(
            key,
            &format_args!(
                "{message}; expected an RFC 3339 date-time such as `2025-08-26T10:15:00Z`"
            ),
        )
    } else {
        prefix_error(key, &message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_serde_json_positions_only() {
        assert_eq!(
            strip_position("invalid type: string at line 1 column 20"),
            "invalid type: string"
        );
        assert_eq!(strip_position("stay at line one"), "stay at line one");
    }

    #[test]
    fn joins_paths() {
        let error: serde_json::Error = prefix_error("payload", &"openness: invalid type: string");
        assert_eq!(error.to_string(), "payload.openness: invalid type: string");
        let error: serde_json::Error = prefix_error("payload", &"missing field `name`");
        assert_eq!(error.to_string(), "payload: missing field `name`");
    }
}
