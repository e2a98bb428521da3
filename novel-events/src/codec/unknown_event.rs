//! The error for an eventType or version that a catalog does not have, with the closest known
//! eventType when the unknown one looks like a typo.

use super::quote::shorten;
use crate::catalog::CatalogInfo;

/// The error for an eventType and version that a catalog does not have.
pub fn unknown_event<E: serde::de::Error>(
    catalog: &CatalogInfo,
    event_type: &str,
    event_version: &str,
) -> E {
    let versions: Vec<&str> = catalog
        .versions(event_type)
        .map(|event| event.event_version)
        .collect();
    if versions.is_empty() {
        let types = catalog.events.iter().map(|event| event.event_type);
        let hint = nearest(event_type, types)
            .map(|near| format!(" (did you mean `{near}`?)"))
            .unwrap_or_default();
        E::custom(format_args!(
            "eventType: unknown eventType `{}` in catalog `{}`{hint}",
            shorten(event_type),
            catalog.name
        ))
    } else {
        E::custom(format_args!(
            "eventVersion: `{event_type}` has no version {} in catalog `{}`; known versions: {}",
            shorten(event_version),
            catalog.name,
            versions.join(", ")
        ))
    }
}

/// Inputs longer than this get no suggestion: the edit distance costs the product of the two
/// lengths, and an eventType that long is no typo of a catalog's.
const MAX_SUGGESTION_INPUT: usize = 256;

/// The candidate closest to `word` by edit distance, if close enough to be a typo.
///
/// The distance counts characters and ignores case (`strsim::levenshtein` on lowercased text),
/// the rule the catalog compiler's suggestions follow too.
fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    if word.len() > MAX_SUGGESTION_INPUT {
        return None;
    }
    let word = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(2);
    candidates
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

#[cfg(test)]
mod tests {
    use super::nearest;

    const TYPES: [&str; 3] = [
        "characters.character.created",
        "stories.chapter.written",
        "x.y",
    ];

    #[test]
    fn suggests_the_closest_type_ignoring_case() {
        assert_eq!(
            nearest("characters.character.creatd", TYPES.into_iter()),
            Some("characters.character.created")
        );
        assert_eq!(
            nearest("Stories.Chapter.Written", TYPES.into_iter()),
            Some("stories.chapter.written")
        );
        assert_eq!(nearest("nothing.like.it.at.all", TYPES.into_iter()), None);
    }

    #[test]
    fn counts_characters_not_bytes() {
        // Two accented letters are two edits, though four bytes.
        assert_eq!(nearest("x.é", ["x.y"].into_iter()), Some("x.y"));
        assert_eq!(nearest("éé", ["ab"].into_iter()), Some("ab"));
    }

    #[test]
    fn long_inputs_get_no_suggestion() {
        let long = format!("{}{}", "characters.character.created", "x".repeat(300));
        assert_eq!(nearest(&long, TYPES.into_iter()), None);
    }
}
