//! Semantic version order, for sorting the versions of an event and comparing them with a
//! `removalVersion`.

use std::cmp::Ordering;

/// A parsed `MAJOR.MINOR.PATCH[-pre][+build]`, ordered as semver orders releases: by the three
/// numbers, a pre-release before its release (pre-releases among themselves by their text),
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
                (Some(a), Some(b)) => a.cmp(b),
            })
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
}
