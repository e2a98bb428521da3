//! The entries of an object, each key checked once and each value guarded.

use super::*;

/// The entries of an object: no key twice, each value checked and named by its key.
pub(super) struct GuardMap<'s, 'de, A> {
    pub(super) inner: A,
    pub(super) state: &'s GuardState,
    pub(super) depth: usize,
    pub(super) keys: Keys<'de>,
    /// The key of the value about to be read, to name it in a violation's path.
    pub(super) current: Option<Cow<'de, str>>,
}

impl<'de, A: MapAccess<'de>> GuardMap<'_, 'de, A> {
    fn duplicate(&self, name: &str) -> A::Error {
        self.state.refuse(format_args!(
            "duplicate field `{}`: a key may appear once in an object",
            shorten(name)
        ))
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for GuardMap<'_, 'de, A> {
    type Error = A::Error;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let mut captured = None;
        known::clear();
        let key = self
            .inner
            .next_key_seed(KeySeed {
                seed,
                captured: &mut captured,
            })
            .map_err(tidy)?;
        if let Some((index, name)) = known::take() {
            // A field of the object's visitor: its text is the field's name.
            self.state.check_string("a key", name.len())?;
            if !self.keys.insert_field(index, name) {
                return Err(self.duplicate(name));
            }
            self.current = Some(Cow::Borrowed(name));
            return Ok(key);
        }
        if let Some(name) = &captured {
            self.state.check_string("a key", name.len())?;
            if !self.keys.insert(name) {
                return Err(self.duplicate(name));
            }
        }
        self.current = captured;
        Ok(key)
    }

    #[inline]
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let current = &self.current;
        self.inner
            .next_value_seed(GuardSeed {
                seed,
                state: self.state,
                depth: self.depth,
            })
            .inspect_err(|_| {
                self.state.rise(|| match current {
                    Some(key) => format!(".{}", shorten(key)),
                    None => ".<key>".to_owned(),
                });
            })
    }

    #[inline]
    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}
