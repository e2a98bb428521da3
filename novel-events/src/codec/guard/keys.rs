//! The keys of one object seen so far, to refuse a key twice.

use super::*;

/// The keys of one object seen so far. Keys its visitor recognizes as fields (see
/// [`known`](super::known)) are one bit each, by field index; the others are kept by their
/// text: in a list (allocated at the first such key; none for the objects of generated
/// structs and of the envelope, unless they hold unknown keys), in a set once the list is
/// long.
#[derive(Default)]
pub(super) struct Keys<'de> {
    /// Field indexes seen, one bit each (indexes from 64 on are kept by their text).
    fields: u64,
    /// Other keys, with a fingerprint of each ([`fingerprint`]), compared before the text.
    others: Vec<(u64, Cow<'de, str>)>,
    /// All other keys, once there are more than [`Keys::LIST`].
    set: Option<HashSet<Cow<'de, str>>>,
}

/// The length, the first 6 bytes and the last byte of a key, in one word: keys that differ
/// there (most keys of one object) are told apart without comparing their text.
pub(super) fn fingerprint(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let mut print = (bytes.len() as u64) << 56;
    for (index, byte) in bytes.iter().take(6).enumerate() {
        print |= u64::from(*byte) << (8 * index);
    }
    print ^ (u64::from(bytes.last().copied().unwrap_or(0)) << 48)
}

impl<'de> Keys<'de> {
    /// Objects with more unrecognized keys than this are checked through a hash set.
    const LIST: usize = 16;

    /// Records the field at `index` of the object's visitor, named `name`; `false` when it
    /// was there already.
    #[inline]
    pub(super) fn insert_field(&mut self, index: usize, name: &'static str) -> bool {
        if index < 64 {
            let bit = 1u64 << index;
            let new = self.fields & bit == 0;
            self.fields |= bit;
            new
        } else {
            self.insert(&Cow::Borrowed(name))
        }
    }

    /// Records `key`; `false` when it was there already.
    // The `Cow` itself tells a borrowed key (kept without copying) from an owned one.
    #[allow(clippy::ptr_arg)]
    pub(super) fn insert(&mut self, key: &Cow<'de, str>) -> bool {
        if let Some(set) = &mut self.set {
            return set.insert(key.clone());
        }
        let print = fingerprint(key);
        if self
            .others
            .iter()
            .any(|(known, text)| *known == print && text == key)
        {
            return false;
        }
        if self.others.len() < Self::LIST {
            if self.others.is_empty() {
                self.others.reserve_exact(4);
            }
            self.others.push((print, key.clone()));
        } else {
            let mut set: HashSet<Cow<'de, str>> = std::mem::take(&mut self.others)
                .into_iter()
                .map(|(_, text)| text)
                .collect();
            set.insert(key.clone());
            self.set = Some(set);
        }
        true
    }
}
