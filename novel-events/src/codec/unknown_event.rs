//! The error for an eventType or version that a catalog does not have, with the closest known
//! eventType when the unknown one looks like a typo; and the test of forward compatibility
//! ([`reads_newer_version`]), under which a catalog reads a newer version of an event it knows.

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
        let newest = catalog
            .versions(event_type)
            .find(|event| event.is_latest)
            .map(|event| event.event_version);
        let hint = match newest {
            Some(newest) if reads_newer_version(event_version, newest) => format!(
                "; it is a newer version of the same major version as {newest}, which this reader would decode as {newest} only if the event's compatibilityMode promised forward compatibility (forward, forward-transitive, full or full-transitive), and it does not: upgrade this reader's catalog, or declare the mode"
            ),
            _ => String::new(),
        };
        E::custom(format_args!(
            "eventVersion: `{event_type}` has no version {} in catalog `{}`; known versions: {}{hint}",
            shorten(event_version),
            catalog.name,
            versions.join(", ")
        ))
    }
}

/// Whether `found` is a newer release than `known` of the same major version (`1.1.0` or
/// `1.0.1` against `1.0.0`): what a reader whose event promises forward compatibility decodes
/// as `known`, ignoring the fields it does not know. Pre-releases and other majors are not.
pub fn reads_newer_version(found: &str, known: &str) -> bool {
    match (release(found), release(known)) {
        (Some(found), Some(known)) => found.0 == known.0 && found > known,
        _ => false,
    }
}

/// A release version as (major, minor, patch), build metadata ignored; `None` for a
/// pre-release or anything that is not `major.minor.patch`.
pub(crate) fn release(version: &str) -> Option<(u64, u64, u64)> {
    let core = version.split('+').next().unwrap_or(version);
    if core.contains('-') {
        return None;
    }
    let mut parts = core.split('.').map(|part| part.parse::<u64>().ok());
    let version = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(version)
}

/// Inputs longer than this get no suggestion: the edit distance costs the product of the two
/// lengths, and an eventType that long is no typo of a catalog's.
const MAX_SUGGESTION_INPUT: usize = 256;

/// The candidate closest to `word` by edit distance, if close enough to be a typo.
///
/// The distance counts characters and ignores case (`strsim::levenshtein` on lowercased text),
/// the rule the catalog compiler's suggestions follow too.
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
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
    use super::{nearest, reads_newer_version};

    #[test]
    fn newer_versions_of_the_same_major() {
        assert!(reads_newer_version("1.1.0", "1.0.0"));
        assert!(reads_newer_version("1.0.1", "1.0.0"));
        assert!(reads_newer_version("1.10.0", "1.9.3"));
        assert!(reads_newer_version("1.1.0+build.5", "1.0.0"));
        assert!(!reads_newer_version("1.0.0", "1.0.0"));
        assert!(!reads_newer_version("1.0.0", "1.1.0"));
        assert!(!reads_newer_version("2.0.0", "1.0.0"));
        assert!(!reads_newer_version("1.1.0-rc.1", "1.0.0"));
        assert!(!reads_newer_version("1.1", "1.0.0"));
        assert!(!reads_newer_version("1.1.0.0", "1.0.0"));
        assert!(!reads_newer_version("x.y.z", "1.0.0"));
    }

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
