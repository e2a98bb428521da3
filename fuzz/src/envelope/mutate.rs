//! Mutations of an envelope: structural ones on its tree (keys reordered, duplicated, added or
//! removed; values replaced by extreme numbers, long or odd strings, deep nesting, values of
//! other types; eventType and eventVersion of another event; payloads of another envelope),
//! then, one time in four, byte-level ones on its text.

use super::tree::{Json, quote};
use crate::rng::Rng;

/// Numbers at the edges of what JSON and f64 hold.
const NUMBERS: &[&str] = &[
    "1e400",
    "-1e400",
    "1e308",
    "1.7976931348623157e308",
    "5e-324",
    "2.2250738585072014e-308",
    "-0",
    "-0.0",
    "0.1",
    "0.30000000000000004",
    "1.0000000000000002",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "9007199254740993",
    "1E+2",
    "1000",
    "1001",
    "0",
    "-1",
    "0.5",
    "1",
    "123456789012345678901234567890",
];

/// Strings that test escapes, Unicode and the decoders of uuids, dates and enums.
const STRINGS: &[&str] = &[
    r#""""#,
    r#""\ud800""#,
    r#""\udc00\ud800""#,
    r#""\u0000""#,
    r#""é\n\t\"\\/""#,
    r#""😀""#,
    r#""00000000-0000-0000-0000-000000000000""#,
    r#""6b1f0e2d-9c8a-4b7e-a6d5-4c3b2a190f8e""#,
    r#""urn:uuid:6b1f0e2d-9c8a-4b7e-a6d5-4c3b2a190f8e""#,
    r#""2025-08-26T09:02:14Z""#,
    r#""2025-08-26T09:02:14.123456789+14:00""#,
    r#""9999-12-31T23:59:59Z""#,
    r#""+275760-09-13T00:00:00Z""#,
    r#""1.0.0""#,
    r#""2.0.0""#,
    r#""protagonist""#,
    r#""ally""#,
    r#""payload""#,
];

/// Characters that matter to JSON, for byte flips.
const SPECIAL: &[&str] = &[
    "{", "}", "[", "]", "\"", ":", ",", "\\", "0", "9", "-", "e", ".", "n", "t", "f", " ", "\u{0}",
    "é",
];

/// An envelope made from `seeds[base]` with one to four mutations.
pub fn mutate(seeds: &[Json], base: usize, rng: &mut Rng) -> String {
    let mut tree = seeds[base].clone();
    for _ in 0..=rng.below(4) {
        match rng.below(10) {
            0 => reorder(&mut tree, rng),
            1 => duplicate_key(&mut tree, rng),
            2 => replace_value(&mut tree, rng, number),
            3 => replace_value(&mut tree, rng, |rng| {
                Json::Raw(STRINGS[rng.below(STRINGS.len())].to_owned())
            }),
            4 => replace_value(&mut tree, rng, long_string),
            5 => replace_value(&mut tree, rng, nested),
            6 => replace_value(&mut tree, rng, |rng| {
                Json::Raw(["null", "true", "[]", "{}", "{\"a\":1}"][rng.below(5)].to_owned())
            }),
            7 => add_or_remove(&mut tree, rng),
            8 => other_event(&mut tree, seeds, rng),
            _ => move_payload(&mut tree, rng),
        }
    }
    let mut text = String::new();
    tree.render(&mut text);
    if rng.one_in(4) {
        for _ in 0..=rng.below(2) {
            text = match rng.below(3) {
                0 => flip_byte(&text, rng),
                1 => delete_range(&text, rng),
                _ => insert(&text, rng),
            };
        }
    }
    text
}

fn number(rng: &mut Rng) -> Json {
    if rng.one_in(3) {
        // Any finite f64, written the shortest way.
        let value = f64::from_bits(rng.next());
        if value.is_finite() {
            return Json::Raw(serde_json::Value::from(value).to_string());
        }
    }
    Json::Raw(NUMBERS[rng.below(NUMBERS.len())].to_owned())
}

fn long_string(rng: &mut Rng) -> Json {
    let length = [81, 300, 5_000, 70_000][rng.below(4)];
    let unit = ["x", "é", "\\\"", "characters.character.created"][rng.below(4)];
    Json::Raw(format!("\"{}\"", unit.repeat(length / unit.len() + 1)))
}

fn nested(rng: &mut Rng) -> Json {
    let depth = [3, 60, 95, 99, 100, 101, 124, 125, 126, 127, 200, 2_000][rng.below(12)];
    let object = rng.one_in(2);
    let mut value = Json::Raw("1".to_owned());
    for _ in 0..depth {
        value = if object {
            Json::Object(vec![(quote("a"), value)])
        } else {
            Json::Array(vec![value])
        };
    }
    value
}

/// Replaces a random value of the tree (never the root).
fn replace_value(tree: &mut Json, rng: &mut Rng, make: impl FnOnce(&mut Rng) -> Json) {
    let count = tree.count();
    if count < 2 {
        return;
    }
    let index = 1 + rng.below(count - 1);
    let replacement = make(rng);
    if let Some(value) = tree.nth_mut(index) {
        *value = replacement;
    }
}

/// A random object of the tree.
fn random_object<'t>(tree: &'t mut Json, rng: &mut Rng) -> Option<&'t mut Vec<(String, Json)>> {
    let count = tree.count();
    // A few tries to land on an object; the root is one.
    let mut index = 0;
    for _ in 0..4 {
        let candidate = rng.below(count);
        if matches!(tree.nth_mut(candidate), Some(Json::Object(_))) {
            index = candidate;
            break;
        }
    }
    match tree.nth_mut(index) {
        Some(Json::Object(members)) => Some(members),
        _ => None,
    }
}

fn reorder(tree: &mut Json, rng: &mut Rng) {
    if let Some(members) = random_object(tree, rng) {
        for index in (1..members.len()).rev() {
            let other = rng.below(index + 1);
            members.swap(index, other);
        }
    }
}

fn duplicate_key(tree: &mut Json, rng: &mut Rng) {
    if let Some(members) = random_object(tree, rng)
        && !members.is_empty()
    {
        let (key, value) = members[rng.below(members.len())].clone();
        let value = if rng.one_in(2) {
            value
        } else {
            Json::Raw(quote("Mallory"))
        };
        let at = rng.below(members.len() + 1);
        members.insert(at, (key, value));
    }
}

fn add_or_remove(tree: &mut Json, rng: &mut Rng) {
    if let Some(members) = random_object(tree, rng) {
        if rng.one_in(2) && !members.is_empty() {
            members.remove(rng.below(members.len()));
        } else {
            let key = ["x", "payload", "eventType", "extra", "userId", "\u{e9}"][rng.below(6)];
            let value = if rng.one_in(2) {
                nested(rng)
            } else {
                number(rng)
            };
            let at = rng.below(members.len() + 1);
            members.insert(at, (quote(key), value));
        }
    }
}

/// eventType, eventVersion, aggregateType or payload taken from another seed.
fn other_event(tree: &mut Json, seeds: &[Json], rng: &mut Rng) {
    let Json::Object(other) = &seeds[rng.below(seeds.len())] else {
        return;
    };
    let key = quote(["eventType", "eventVersion", "aggregateType", "payload"][rng.below(4)]);
    let Some((_, value)) = other.iter().find(|(name, _)| *name == key) else {
        return;
    };
    if let Json::Object(members) = tree {
        for (name, slot) in members.iter_mut() {
            if *name == key {
                *slot = value.clone();
            }
        }
    }
}

/// The payload moved first, last, or between eventType and eventVersion.
fn move_payload(tree: &mut Json, rng: &mut Rng) {
    let Json::Object(members) = tree else {
        return;
    };
    let payload = quote("payload");
    if let Some(index) = members.iter().position(|(key, _)| *key == payload) {
        let member = members.remove(index);
        let at = match rng.below(3) {
            0 => 0,
            1 => members.len(),
            _ => rng.below(members.len() + 1),
        };
        members.insert(at, member);
    }
}

fn floor_char(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn flip_byte(text: &str, rng: &mut Rng) -> String {
    if text.is_empty() {
        return text.to_owned();
    }
    let at = floor_char(text, rng.below(text.len()));
    let end = floor_char(text, at + 1 + rng.below(3)).max(at);
    let special = SPECIAL[rng.below(SPECIAL.len())];
    format!("{}{special}{}", &text[..at], &text[end..])
}

fn delete_range(text: &str, rng: &mut Rng) -> String {
    if text.is_empty() {
        return text.to_owned();
    }
    let at = floor_char(text, rng.below(text.len()));
    let end = floor_char(text, at + 1 + rng.below(40));
    format!("{}{}", &text[..at], &text[end.max(at)..])
}

fn insert(text: &str, rng: &mut Rng) -> String {
    let at = floor_char(text, rng.below(text.len() + 1));
    let special = SPECIAL[rng.below(SPECIAL.len())];
    format!("{}{special}{}", &text[..at], &text[at..])
}
