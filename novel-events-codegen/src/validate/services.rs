//! Near-duplicate service names: a service written `Warehose Service` beside
//! `Warehouse Service` would silently get a subscriber trait of its own. Two service names of
//! one catalog that differ only in case, spacing or punctuation, or by at most
//! [`MAX_SERVICE_DISTANCE`] edits once lowercased, are an error at the later subscriber,
//! naming the first, unless one of them is marked `distinct: true` in a subscriber entry.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostics, Location, shorten};
use crate::model::Catalog;
use crate::naming;

/// The largest edit distance (lowercased) at which two service names are a likely typo.
pub const MAX_SERVICE_DISTANCE: usize = 2;

/// Service names longer than this (in characters) are compared by their spelling only.
const MAX_COMPARED_CHARS: usize = 128;

/// How many pairs of service names of equal or near length are compared by edit distance at
/// most, so that a catalog of very many services stays quick to check.
const MAX_COMPARISONS: usize = 1_000_000;

/// A service name already seen: its lowercased characters, the name, its first subscriber.
type Seen<'a> = (Vec<char>, &'a str, &'a Location);

/// Reports each service name too close to an earlier one.
pub(super) fn check_near_duplicates(catalog: &Catalog, diagnostics: &mut Diagnostics) {
    // The first subscriber of each distinct service, in order of appearance.
    let mut first: HashMap<&str, &Location> = HashMap::new();
    let mut services: Vec<(&str, &Location)> = Vec::new();
    // A publisher is a service too: `publisher: Character Service` beside subscribers
    // written `Characters Service` is the same kind of typo.
    let named = catalog.events().flat_map(|event| {
        let publisher = event
            .publisher
            .iter()
            .map(|publisher| (publisher.service.as_str(), &publisher.location));
        let subscribers = event
            .subscribers
            .iter()
            .map(|subscriber| (subscriber.service.as_str(), &subscriber.location));
        publisher.chain(subscribers)
    });
    for (service, location) in named {
        if !first.contains_key(service) {
            first.insert(service, location);
            services.push((service, location));
        }
    }
    let distinct: std::collections::HashSet<&str> = catalog
        .events()
        .flat_map(|event| event.subscribers.iter())
        .filter(|subscriber| subscriber.distinct)
        .map(|subscriber| subscriber.service.as_str())
        .collect();
    let distinct = |name: &str| distinct.contains(name);
    // Same letters and digits without case: found by hashing.
    let mut by_spelling: HashMap<String, (&str, &Location)> = HashMap::new();
    // Names by length in characters: only lengths at most the distance apart are compared.
    let mut by_length: HashMap<usize, Vec<Seen<'_>>> = HashMap::new();
    let mut comparisons = 0usize;
    for &(name, location) in &services {
        let spelling = spelling(name);
        if let Some(&(other, other_location)) = by_spelling.get(&spelling) {
            // One subscriber trait for both is reported as such where traits are named.
            let same_trait = naming::service_trait_name(name) == naming::service_trait_name(other);
            if !(same_trait || distinct(name) || distinct(other)) {
                report(name, location, other, other_location, diagnostics);
            }
            continue;
        }
        by_spelling.insert(spelling, (name, location));
        let chars: Vec<char> = name.to_lowercase().chars().collect();
        if chars.len() > MAX_COMPARED_CHARS {
            continue;
        }
        let lengths =
            chars.len().saturating_sub(MAX_SERVICE_DISTANCE)..=chars.len() + MAX_SERVICE_DISTANCE;
        let near = lengths
            .filter_map(|length| by_length.get(&length))
            .flatten()
            .take(MAX_COMPARISONS.saturating_sub(comparisons))
            .inspect(|_| comparisons += 1)
            .find(|(other, other_name, _)| {
                within_distance(&chars, other, MAX_SERVICE_DISTANCE)
                    && !(distinct(name) || distinct(other_name))
            });
        if let Some(&(_, other, other_location)) = near {
            report(name, location, other, other_location, diagnostics);
        }
        by_length
            .entry(chars.len())
            .or_default()
            .push((chars, name, location));
    }
}

fn report(
    name: &str,
    location: &Location,
    other: &str,
    other_location: &Location,
    diagnostics: &mut Diagnostics,
) {
    diagnostics.push(
        location,
        format!(
            "service `{}` is spelled almost like service `{}` (at {other_location}), and each gets its own subscriber trait; if they are one service, spell it the same way; if they are two services, write one subscriber of either as `{{ service: …, distinct: true }}`",
            shorten(name),
            shorten(other)
        ),
    );
}

/// A name's letters and digits, lowercased: `Warehouse-Service` and `warehouse service` agree.
fn spelling(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether the edit distance between `a` and `b` is at most `limit`: a banded Levenshtein,
/// in time linear in the length.
fn within_distance(a: &[char], b: &[char], limit: usize) -> bool {
    if a.len().abs_diff(b.len()) > limit {
        return false;
    }
    let width = b.len() + 1;
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current = vec![usize::MAX; width];
    for (i, &left) in a.iter().enumerate() {
        let row = i + 1;
        let from = row.saturating_sub(limit);
        let to = (row + limit).min(b.len());
        current.iter_mut().for_each(|cell| *cell = usize::MAX);
        if from == 0 {
            current[0] = row;
        }
        let mut best = usize::MAX;
        for column in from.max(1)..=to {
            let substitute =
                previous[column - 1].saturating_add(usize::from(left != b[column - 1]));
            let delete = previous[column].saturating_add(1);
            let insert = current[column - 1].saturating_add(1);
            current[column] = substitute.min(delete).min(insert);
            best = best.min(current[column]);
        }
        if from == 0 {
            best = best.min(current[0]);
        }
        if best > limit {
            return false;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()] <= limit
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &str, b: &str) -> bool {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        within_distance(&a, &b, MAX_SERVICE_DISTANCE)
    }

    #[test]
    fn banded_distance_agrees_with_levenshtein() {
        let words = [
            "",
            "a",
            "ab",
            "warehouse service",
            "warehose service",
            "warehouse servic",
            "memory service",
            "memroy service",
            "ai service",
            "api service",
            "xyz",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    close(a, b),
                    strsim::levenshtein(a, b) <= MAX_SERVICE_DISTANCE,
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn spelling_ignores_case_spacing_and_punctuation() {
        assert_eq!(spelling("Warehouse-Service"), spelling("warehouse service"));
        assert_ne!(spelling("Warehouse Service"), spelling("Warehose Service"));
    }
}
