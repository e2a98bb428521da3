//! Mutations of a catalog's text: a few stacked on a seed per input. Byte-level ones find what
//! the YAML reader does with broken text; line- and word-level ones keep the text YAML-shaped
//! so that the semantic checks and code generation are reached.

use crate::rng::Rng;

/// Characters that matter to YAML or to names, for byte flips.
const SPECIAL: &[&str] = &[
    " ", ":", "-", "[", "]", "{", "}", "|", "?", "\"", "'", "\n", "#", "&", "*", "!", "%", "@",
    ",", "\t", "²", "½", "é", "_", "0", "A", "z",
];

/// Replacement characters for names: digits and letters Rust does not take, or takes only
/// with lints, and the empty string.
const ODD: &[&str] = &[
    "²", "½", "é", "ǅ", "٣", "😀", "\u{200d}", "ß", "İ", "", "_", "-", "9",
];

/// Words the generated code defines, to provoke clashes.
const GENERATED: &[&str] = &[
    "AnyEvent",
    "CATALOG",
    "Subscriber",
    "V1_0_0",
    "V2_0_0",
    "self",
    "type",
    "crate",
    "Self",
    "__p",
    "r#type",
    "on_",
    "_",
];

/// `base` with one to four mutations.
pub fn mutate(base: &str, corpus: &[&str], rng: &mut Rng) -> String {
    let mut text = base.to_owned();
    for _ in 0..=rng.below(4) {
        text = match rng.below(12) {
            0 => flip_byte(&text, rng),
            1 => delete_range(&text, rng),
            2 => duplicate_line(&text, rng),
            3 => repeat_block(&text, rng),
            4 => splice(&text, corpus[rng.below(corpus.len())], rng),
            5 => deepen(&text, rng),
            6 => replace_word(&text, rng, |word, rng| {
                let odd = ODD[rng.below(ODD.len())];
                let at = floor_char(word, rng.below(word.len() + 1));
                format!("{}{odd}{}", &word[..at], &word[at..])
            }),
            7 => replace_word(&text, rng, |_, rng| "x".repeat(1 + rng.below(20_000))),
            8 => replace_word(&text, rng, typo),
            9 => replace_word(&text, rng, |word, rng| {
                let generated = GENERATED[rng.below(GENERATED.len())];
                if rng.one_in(2) {
                    format!("{word}{generated}")
                } else {
                    generated.to_owned()
                }
            }),
            10 => diamond(&text, rng),
            _ => block_nesting(&text, rng),
        };
        // Keep inputs of a size the compiler could be given.
        if text.len() > 1 << 20 {
            text.truncate(floor_char(&text, 1 << 20));
        }
    }
    text
}

/// The largest char boundary at or below `index`.
fn floor_char(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn flip_byte(text: &str, rng: &mut Rng) -> String {
    if text.is_empty() {
        return SPECIAL[rng.below(SPECIAL.len())].to_owned();
    }
    let at = floor_char(text, rng.below(text.len()));
    let end = floor_char(text, at + 1 + rng.below(3)).max(at);
    let special = SPECIAL[rng.below(SPECIAL.len())];
    format!("{}{special}{}", &text[..at], &text[end..])
}

fn delete_range(text: &str, rng: &mut Rng) -> String {
    if text.is_empty() {
        return String::new();
    }
    let at = floor_char(text, rng.below(text.len()));
    let end = floor_char(text, at + 1 + rng.below(200));
    format!("{}{}", &text[..at], &text[end..])
}

fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

fn duplicate_line(text: &str, rng: &mut Rng) -> String {
    let mut lines = lines(text);
    if lines.is_empty() {
        return text.to_owned();
    }
    let at = rng.below(lines.len());
    let line = lines[at];
    lines.insert(at, line);
    lines.concat()
}

fn repeat_block(text: &str, rng: &mut Rng) -> String {
    let lines = lines(text);
    if lines.is_empty() {
        return text.to_owned();
    }
    let start = rng.below(lines.len());
    let end = (start + 1 + rng.below(20)).min(lines.len());
    let times = 2 + {
        let bound = if rng.one_in(8) { 2_000 } else { 30 };
        rng.below(bound)
    };
    let block = lines[start..end].concat();
    format!(
        "{}{}{}",
        lines[..start].concat(),
        block.repeat(times),
        lines[end..].concat()
    )
}

fn splice(text: &str, other: &str, rng: &mut Rng) -> String {
    let mut lines = lines(text);
    let others = self::lines(other);
    if others.is_empty() {
        return text.to_owned();
    }
    let start = rng.below(others.len());
    let end = (start + 1 + rng.below(30)).min(others.len());
    let at = rng.below(lines.len() + 1);
    lines.splice(at..at, others[start..end].iter().copied());
    lines.concat()
}

/// A `key: value` line's value wrapped in flow sequences.
fn deepen(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = lines(text).into_iter().map(str::to_owned).collect();
    let candidates: Vec<usize> = (0..lines.len())
        .filter(|index| lines[*index].contains(": "))
        .collect();
    if candidates.is_empty() {
        return text.to_owned();
    }
    let index = candidates[rng.below(candidates.len())];
    let depth = 1 + {
        let bound = if rng.one_in(4) { 5_000 } else { 80 };
        rng.below(bound)
    };
    let line = lines[index].trim_end_matches('\n').to_owned();
    if let Some((key, value)) = line.split_once(": ") {
        lines[index] = format!("{key}: {}{value}{}\n", "[".repeat(depth), "]".repeat(depth));
    }
    lines.concat()
}

/// A `key:` line followed by nested block sequences.
fn block_nesting(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = lines(text).into_iter().map(str::to_owned).collect();
    let candidates: Vec<usize> = (0..lines.len())
        .filter(|index| lines[*index].contains(": "))
        .collect();
    if candidates.is_empty() {
        return text.to_owned();
    }
    let index = candidates[rng.below(candidates.len())];
    let line = lines[index].trim_end_matches('\n').to_owned();
    let indent = line.len() - line.trim_start().len();
    let depth = 1 + {
        let bound = if rng.one_in(4) { 3_000 } else { 70 };
        rng.below(bound)
    };
    if let Some((key, _)) = line.split_once(": ") {
        let mut nested = format!("{key}:\n");
        for level in 0..depth {
            nested.push_str(&" ".repeat(indent + 2 + level));
            nested.push_str("-\n");
        }
        nested.push_str(&" ".repeat(indent + 2 + depth));
        nested.push_str("- uuid\n");
        lines[index] = nested;
    }
    lines.concat()
}

/// One word (a run of letters, digits and `_`) replaced.
fn replace_word(text: &str, rng: &mut Rng, change: impl Fn(&str, &mut Rng) -> String) -> String {
    let words: Vec<(usize, usize)> = {
        let mut words = Vec::new();
        let mut start = None;
        for (index, c) in text.char_indices() {
            let part = c.is_alphanumeric() || c == '_';
            match (part, start) {
                (true, None) => start = Some(index),
                (false, Some(from)) => {
                    words.push((from, index));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(from) = start {
            words.push((from, text.len()));
        }
        words
    };
    if words.is_empty() {
        return text.to_owned();
    }
    let (start, end) = words[rng.below(words.len())];
    let replacement = change(&text[start..end], rng);
    format!("{}{replacement}{}", &text[..start], &text[end..])
}

/// A one-letter typo, a case change or a `_`/`-` inserted.
fn typo(word: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.is_empty() {
        return word.to_owned();
    }
    let at = rng.below(chars.len());
    match rng.below(5) {
        0 => {
            chars.remove(at);
        }
        1 => chars.insert(at, chars[at]),
        2 if at + 1 < chars.len() => chars.swap(at, at + 1),
        3 => {
            chars[at] = if chars[at].is_uppercase() {
                chars[at].to_ascii_lowercase()
            } else {
                chars[at].to_ascii_uppercase()
            }
        }
        _ => chars.insert(at, if rng.one_in(2) { '_' } else { '-' }),
    }
    chars.into_iter().collect()
}

/// Named types that refer to each other as a diamond, spliced under `types:` (or added).
fn diamond(text: &str, rng: &mut Rng) -> String {
    let levels = 2 + rng.below(30);
    let mut block = String::new();
    for level in 0..levels {
        if level + 1 == levels {
            block.push_str(&format!("  Dia{level}:\n    fields:\n      a: string\n"));
        } else {
            let next = level + 1;
            block.push_str(&format!(
                "  Dia{level}:\n    fields:\n      a: Dia{next}\n      b: [Dia{next}]\n"
            ));
        }
    }
    match text.find("\ntypes:\n") {
        Some(at) => {
            let at = at + "\ntypes:\n".len();
            format!("{}{block}{}", &text[..at], &text[at..])
        }
        None => format!("{text}\ntypes:\n{block}"),
    }
}
