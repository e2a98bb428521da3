//! The members of the top-level object of a JSON text, found without parsing it (the text may
//! be broken elsewhere), so that the oracle can move `payload` first or last.

/// The text split around the top-level object: what comes before its `{`, each member's text
/// (`"key":value`, without the separating commas), and what comes after its `}`.
pub struct Members<'a> {
    pub before: &'a str,
    pub members: Vec<&'a str>,
    pub after: &'a str,
}

/// The top-level object's members, when the text's first value is an object whose brackets
/// and strings balance; `None` otherwise.
pub fn split(text: &str) -> Option<Members<'_>> {
    let open = text.find(|c: char| !c.is_ascii_whitespace())?;
    if text.as_bytes()[open] != b'{' {
        return None;
    }
    let bytes = text.as_bytes();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut members = Vec::new();
    let mut start = open + 1;
    for (index, &byte) in bytes.iter().enumerate().skip(open) {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    if byte != b'}' {
                        return None;
                    }
                    let last = text[start..index].trim();
                    if !last.is_empty() {
                        members.push(last);
                    }
                    return Some(Members {
                        before: &text[..open],
                        members,
                        after: &text[index + 1..],
                    });
                }
            }
            b',' if depth == 1 => {
                members.push(text[start..index].trim());
                start = index + 1;
            }
            _ => {}
        }
    }
    None
}

impl Members<'_> {
    /// The text with the members whose key is `payload` moved first (or last).
    pub fn with_payload(&self, first: bool) -> String {
        let (payload, others): (Vec<&str>, Vec<&str>) = self
            .members
            .iter()
            .copied()
            .partition(|member| is_payload(member));
        let ordered: Vec<&str> = if first {
            payload.into_iter().chain(others).collect()
        } else {
            others.into_iter().chain(payload).collect()
        };
        format!("{}{{{}}}{}", self.before, ordered.join(","), self.after)
    }

    /// Whether a member's key is `payload`.
    pub fn has_payload(&self) -> bool {
        self.members.iter().any(|member| is_payload(member))
    }
}

/// Whether a member's key is `payload` (in any spelling of the string).
fn is_payload(member: &str) -> bool {
    member
        .split_once(':')
        .and_then(|(key, _)| serde_json::from_str::<String>(key.trim()).ok())
        .is_some_and(|key| key == "payload")
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn moves_the_payload() {
        let text = r#" {"a":1,"payload":{"x":[1,"},"]},"b":"p\"ayload"} "#;
        let members = split(text).unwrap();
        assert_eq!(members.members.len(), 3);
        assert_eq!(
            members.with_payload(true),
            r#" {"payload":{"x":[1,"},"]},"a":1,"b":"p\"ayload"} "#
        );
        assert!(split("[1]").is_none());
        assert!(split(r#"{"a":[}"#).is_none());
    }
}
