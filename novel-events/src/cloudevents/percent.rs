//! The percent-encoding of header values in the binary mode (the HTTP and NATS bindings,
//! section 3.1.3.2 of each): space, `"`, `%` and every character outside the printable ASCII
//! range U+0021 to U+007E are written as `%XY` per UTF-8 byte; reading first unescapes a
//! double-quoted value (older senders), then decodes one round, refusing bytes that are not
//! UTF-8.

use std::borrow::Cow;

/// Whether `byte` is written as itself.
fn is_safe(byte: u8) -> bool {
    (0x21..=0x7e).contains(&byte) && byte != b'"' && byte != b'%'
}

/// The header value of an attribute's value.
pub(crate) fn encode(value: &str) -> Cow<'_, str> {
    if value.bytes().all(is_safe) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for byte in value.bytes() {
        if is_safe(byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(byte >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(byte & 0xf)]));
        }
    }
    Cow::Owned(out)
}

/// The attribute's value of a header value, or what is wrong with it.
pub(crate) fn decode(header: &str) -> Result<String, String> {
    let unquoted = unquote(header);
    let bytes = unquoted.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = |at: usize| {
                bytes
                    .get(at)
                    .and_then(|byte| char::from(*byte).to_digit(16))
            };
            let (Some(high), Some(low)) = (hex(index + 1), hex(index + 2)) else {
                return Err(format!(
                    "`%` at byte {index} is not followed by two hexadecimal digits (percent-encoding, as the binding requires)"
                ));
            };
            // Two hexadecimal digits make a byte.
            out.push(u8::try_from(high * 16 + low).unwrap_or(u8::MAX));
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).map_err(|_| {
        "its percent-encoded bytes are not UTF-8 (an overlong or broken sequence)".to_owned()
    })
}

/// A double-quoted value (RFC 7230, section 3.2.6) without its quotes and backslashes; any
/// other value as it is.
fn unquote(header: &str) -> Cow<'_, str> {
    let trimmed = header.trim_matches([' ', '\t']);
    let Some(inner) = trimmed
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .filter(|_| trimmed.len() >= 2)
    else {
        return Cow::Borrowed(trimmed);
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{decode, encode};

    #[test]
    fn the_bindings_example_is_encoded_as_they_show() {
        assert_eq!(
            encode("Euro \u{20AC} \u{1F600}"),
            "Euro%20%E2%82%AC%20%F0%9F%98%80"
        );
        assert_eq!(encode("a\"b%c"), "a%22b%25c");
        assert_eq!(encode("/plain-value"), "/plain-value");
    }

    #[test]
    fn decoding_takes_lower_case_quoted_and_unneeded_escapes_and_refuses_broken_ones() {
        assert_eq!(
            decode("Euro%20%e2%82%ac%20%F0%9F%98%80").unwrap(),
            "Euro \u{20AC} \u{1F600}"
        );
        assert_eq!(decode("\"a b \\\"c\\\"\"").unwrap(), "a b \"c\"");
        assert_eq!(decode("%41bc").unwrap(), "Abc");
        assert!(decode("%C0%A0").unwrap_err().contains("not UTF-8"));
        assert!(
            decode("100%")
                .unwrap_err()
                .contains("two hexadecimal digits")
        );
        assert!(decode("%g1").is_err());
    }

    #[test]
    fn every_string_survives_a_round() {
        for value in [
            "",
            " ",
            "%%",
            "ünïcødé",
            "\"quoted\"",
            "tab\there",
            "a\u{7f}b",
        ] {
            assert_eq!(decode(&encode(value)).unwrap(), value, "{value:?}");
        }
    }
}
