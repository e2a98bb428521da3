//! Semantic version order, for sorting the versions of an event and comparing them with a
//! `removalVersion`.

use std::cmp::Ordering;

/// A parsed `MAJOR.MINOR.PATCH[-pre][+build]`, ordered as semver 2.0.0 orders releases: by
/// the three numbers, a pre-release before its release, pre-releases among themselves by their
/// dot-separated identifiers (numeric ones as numbers and before alphanumeric ones, so
/// `alpha.2` < `alpha.10` < `alpha.beta`; more identifiers after equal ones come later),
/// build metadata ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Version {
    numbers: [u64; 3],
    pre: Option<String>,
}

impl Version {
    /// Reads a version the parser has already checked; parts that do not read as numbers
    /// count as 0 (the parser reported them).
    pub(crate) fn new(text: &str) -> Self {
        let text = text.split('+').next().unwrap_or(text);
        let (core, pre) = match text.split_once('-') {
            Some((core, pre)) => (core, Some(pre.to_owned())),
            None => (text, None),
        };
        let mut numbers = [0; 3];
        for (slot, part) in numbers.iter_mut().zip(core.split('.')) {
            *slot = part.parse().unwrap_or(0);
        }
        Self { numbers, pre }
    }

    /// The major version: versions of one major are compared for compatibility.
    pub(crate) fn major(&self) -> u64 {
        self.numbers[0]
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers
            .cmp(&other.numbers)
            .then_with(|| match (&self.pre, &other.pre) {
                (None, None) => Ordering::Equal,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some(a), Some(b)) => pre_release_order(a, b),
            })
    }
}

/// Semver's order of two pre-release texts, identifier by identifier.
fn pre_release_order(a: &str, b: &str) -> Ordering {
    let mut left = a.split('.');
    let mut right = b.split('.');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let numeric = |id: &str| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
                let order = match (numeric(x), numeric(y)) {
                    // Digits only: compare as numbers of any length (no leading zeros
                    // in semver, so the longer one is larger).
                    (true, true) => x.len().cmp(&y.len()).then_with(|| x.cmp(y)),
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => x.cmp(y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_like_semver() {
        let mut versions: Vec<Version> = ["1.10.0", "1.2.0", "2.0.0-beta", "2.0.0", "1.2.0+b"]
            .into_iter()
            .map(Version::new)
            .collect();
        versions.sort();
        assert_eq!(versions[0], Version::new("1.2.0"));
        assert_eq!(versions[1], Version::new("1.2.0"));
        assert_eq!(versions[2], Version::new("1.10.0"));
        assert_eq!(versions[3], Version::new("2.0.0-beta"));
        assert_eq!(versions[4].major(), 2);
        assert!(Version::new("2.0.0-beta") < Version::new("2.0.0"));
    }

    #[test]
    fn orders_pre_releases_by_identifiers_as_semver_does() {
        // The example of semver 2.0.0, section 11.
        let ordered = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.2",
            "1.0.0-alpha.10",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
        ];
        for pair in ordered.windows(2) {
            assert!(
                Version::new(pair[0]) < Version::new(pair[1]),
                "{} < {}",
                pair[0],
                pair[1]
            );
        }
        assert_eq!(
            Version::new("1.0.0-alpha.2").cmp(&Version::new("1.0.0-alpha.2+build")),
            Ordering::Equal
        );
    }
}
