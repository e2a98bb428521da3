//! The keys of one object seen so far, to refuse a key twice.

use super::*;

/// The keys of one object seen so far: those borrowed from the input in an inline list (no
/// allocation for the objects of an envelope read from a string), all of them in a set once
/// the object is large or a key is not borrowed.
pub(super) struct Keys<'de> {
    pub(super) inline: [&'de str; Keys::INLINE],
    /// A fingerprint of each inline key ([`fingerprint`]), compared before the text.
    pub(super) prints: [u64; Keys::INLINE],
    pub(super) len: usize,
    pub(super) set: Option<HashSet<Cow<'de, str>>>,
}

impl Default for Keys<'_> {
    fn default() -> Self {
        Self {
            inline: [""; Keys::INLINE],
            prints: [0; Keys::INLINE],
            len: 0,
            set: None,
        }
    }
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
    /// Objects with more keys than this are checked through a hash set.
    const INLINE: usize = 16;

    /// Records `key`; `false` when it was there already.
    // The `Cow` itself tells a borrowed key (kept inline) from an owned one.
    #[allow(clippy::ptr_arg)]
    pub(super) fn insert(&mut self, key: &Cow<'de, str>) -> bool {
        if let Some(set) = &mut self.set {
            return set.insert(key.clone());
        }
        match key {
            Cow::Borrowed(borrowed) if self.len < Self::INLINE => {
                let print = fingerprint(borrowed);
                let seen = self.prints[..self.len]
                    .iter()
                    .zip(&self.inline[..self.len])
                    .any(|(known, key)| *known == print && key == borrowed);
                if seen {
                    return false;
                }
                self.inline[self.len] = borrowed;
                self.prints[self.len] = print;
                self.len += 1;
                true
            }
            _ => {
                let mut set: HashSet<Cow<'de, str>> = self.inline[..self.len]
                    .iter()
                    .map(|key| Cow::Borrowed(*key))
                    .collect();
                let new = set.insert(key.clone());
                self.set = Some(set);
                new
            }
        }
    }
}
