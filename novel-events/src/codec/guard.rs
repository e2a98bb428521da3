//! What decoding an envelope checks of every value it reads, whatever type reads it: no key
//! twice in one object, the nesting and string [`Limits`], finite numbers.
//!
//! [`Guard`] wraps the deserializer of the envelope and hands a wrapped deserializer to every
//! value below it, so the checks reach the payload, its nested structs, its `object` fields
//! (JSON values) and the envelope's unknown keys alike. Values that nobody reads (unknown
//! fields) are read through `deserialize_any` rather than skipped, so that they are checked
//! the same way whether the payload is decoded at once or buffered first (when it comes
//! before `eventType`): acceptance never depends on the order of the envelope's keys.
//!
//! An error of the guard names the path of the value
//! (``payload.changes.nested: duplicate field `a` ``). The path costs nothing while decoding
//! succeeds: it is gathered as the violation's error rises through the objects and arrays
//! above it, and [`GuardState::violation`] gives it whole, since the types between the value
//! and the envelope may reword what passes through them.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

use super::error_path::strip_position;
use super::limits::Limits;
use super::quote::{shorten, shorten_long_quotes};

/// The state of one decoding: its limits, and the first violation found.
pub(crate) struct GuardState {
    limits: Limits,
    violation: RefCell<Option<Found>>,
}

/// A violation: its message, and the path of its value, gathered as its error rises through
/// the objects and arrays above it (nothing is spent on paths while decoding succeeds).
struct Found {
    message: String,
    /// Segments (`.key`, `[index]`), innermost first.
    segments: Vec<String>,
}

impl GuardState {
    pub(crate) fn new(limits: Limits) -> Self {
        Self {
            limits,
            violation: RefCell::new(None),
        }
    }

    /// The first violation found (`path: message`), if any.
    pub(crate) fn violation(&self) -> Option<String> {
        self.violation.borrow().as_ref().map(|found| {
            let mut path: String = found.segments.iter().rev().map(String::as_str).collect();
            if path.starts_with('.') {
                path.remove(0);
            }
            if path.is_empty() {
                found.message.clone()
            } else {
                format!("{path}: {}", found.message)
            }
        })
    }

    /// An error for a violation of the value being read, recorded as the decoding's violation.
    fn refuse<E: de::Error>(&self, message: fmt::Arguments<'_>) -> E {
        let message = message.to_string();
        let error = E::custom(&message);
        self.violation.borrow_mut().get_or_insert(Found {
            message,
            segments: Vec::new(),
        });
        error
    }

    /// An error rose out of the value at `segment` (`.key` or `[index]`): the violation's path
    /// grows by it.
    fn rise(&self, segment: impl FnOnce() -> String) {
        if let Some(found) = self.violation.borrow_mut().as_mut() {
            found.segments.push(segment());
        }
    }

    fn check_string<E: de::Error>(&self, what: &str, length: usize) -> Result<(), E> {
        let max = self.limits.max_string_bytes();
        if length > max {
            return Err(self.refuse(format_args!(
                "{what} of {length} bytes is longer than the limit `max_string_bytes` ({max})"
            )));
        }
        Ok(())
    }

    fn enter<E: de::Error>(&self, depth: usize) -> Result<usize, E> {
        let depth = depth + 1;
        let max = self.limits.max_depth();
        if depth > max {
            return Err(self.refuse(format_args!(
                "nested deeper than the limit `max_depth` ({max} levels of arrays and objects)"
            )));
        }
        Ok(depth)
    }

    fn check_float<E: de::Error>(&self, value: f64) -> Result<(), E> {
        if value.is_finite() {
            Ok(())
        } else {
            Err(self.refuse(format_args!(
                "{value} is not a finite number: expected a number JSON can hold (no NaN, no infinity)"
            )))
        }
    }
}

/// A deserializer whose values are checked, `depth` arrays and objects below the envelope's
/// root.
pub(crate) struct Guard<'s, D> {
    pub(crate) inner: D,
    pub(crate) state: &'s GuardState,
    pub(crate) depth: usize,
}

impl<'s, D> Guard<'s, D> {
    fn visitor<V>(&self, visitor: V) -> GuardVisitor<'s, V> {
        GuardVisitor {
            visitor,
            state: self.state,
            depth: self.depth,
        }
    }
}

macro_rules! guard_forward {
    ($($method:ident),* $(,)?) => {
        $(
            #[inline]
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                let visitor = self.visitor(visitor);
                self.inner.$method(visitor).map_err(tidy)
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Guard<'_, D> {
    type Error = D::Error;

    guard_forward!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
    );

    /// A value nobody reads is read all the same, so that it is checked.
    #[inline]
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let visitor = self.visitor(visitor);
        self.inner.deserialize_any(visitor).map_err(tidy)
    }

    #[inline]
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let visitor = self.visitor(visitor);
        self.inner
            .deserialize_unit_struct(name, visitor)
            .map_err(tidy)
    }

    #[inline]
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let visitor = self.visitor(visitor);
        self.inner
            .deserialize_newtype_struct(name, visitor)
            .map_err(tidy)
    }

    #[inline]
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let visitor = self.visitor(visitor);
        self.inner.deserialize_tuple(len, visitor).map_err(tidy)
    }

    #[inline]
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let visitor = self.visitor(visitor);
        self.inner
            .deserialize_tuple_struct(name, len, visitor)
            .map_err(tidy)
    }

    #[inline]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let visitor = self.visitor(visitor);
        self.inner
            .deserialize_struct(name, fields, visitor)
            .map_err(tidy)
    }

    #[inline]
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let visitor = self.visitor(visitor);
        self.inner
            .deserialize_enum(name, variants, visitor)
            .map_err(tidy)
    }

    #[inline]
    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// An error with its long quotes of the input shortened (serde and serde_json quote a value
/// they refuse whole: `invalid type: string "..."`).
fn tidy<E: de::Error>(error: E) -> E {
    match shorten_long_quotes(&error.to_string()) {
        Some(message) => E::custom(strip_position(&message)),
        None => error,
    }
}

/// A visitor whose content is checked.
struct GuardVisitor<'s, V> {
    visitor: V,
    state: &'s GuardState,
    depth: usize,
}

macro_rules! visit_forward {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(
            #[inline]
            fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
                self.visitor.$method(value)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for GuardVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    visit_forward!(
        visit_bool(bool),
        visit_i8(i8),
        visit_i16(i16),
        visit_i32(i32),
        visit_i64(i64),
        visit_i128(i128),
        visit_u8(u8),
        visit_u16(u16),
        visit_u32(u32),
        visit_u64(u64),
        visit_u128(u128),
        visit_char(char),
    );

    #[inline]
    fn visit_f32<E: de::Error>(self, value: f32) -> Result<V::Value, E> {
        self.state.check_float(f64::from(value))?;
        self.visitor.visit_f32(value)
    }

    #[inline]
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<V::Value, E> {
        self.state.check_float(value)?;
        self.visitor.visit_f64(value)
    }

    #[inline]
    fn visit_str<E: de::Error>(self, value: &str) -> Result<V::Value, E> {
        self.state.check_string("a string", value.len())?;
        self.visitor.visit_str(value)
    }

    #[inline]
    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<V::Value, E> {
        self.state.check_string("a string", value.len())?;
        self.visitor.visit_borrowed_str(value)
    }

    #[inline]
    fn visit_string<E: de::Error>(self, value: String) -> Result<V::Value, E> {
        self.state.check_string("a string", value.len())?;
        self.visitor.visit_string(value)
    }

    #[inline]
    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<V::Value, E> {
        self.state.check_string("a byte string", value.len())?;
        self.visitor.visit_bytes(value)
    }

    #[inline]
    fn visit_borrowed_bytes<E: de::Error>(self, value: &'de [u8]) -> Result<V::Value, E> {
        self.state.check_string("a byte string", value.len())?;
        self.visitor.visit_borrowed_bytes(value)
    }

    #[inline]
    fn visit_byte_buf<E: de::Error>(self, value: Vec<u8>) -> Result<V::Value, E> {
        self.state.check_string("a byte string", value.len())?;
        self.visitor.visit_byte_buf(value)
    }

    #[inline]
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    #[inline]
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(Guard {
            inner: deserializer,
            state: self.state,
            depth: self.depth,
        })
    }

    #[inline]
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(Guard {
            inner: deserializer,
            state: self.state,
            depth: self.depth,
        })
    }

    #[inline]
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let depth = self.state.enter(self.depth)?;
        self.visitor.visit_seq(GuardSeq {
            inner: seq,
            state: self.state,
            depth,
            index: 0,
        })
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let depth = self.state.enter(self.depth)?;
        self.visitor.visit_map(GuardMap {
            inner: map,
            state: self.state,
            depth,
            keys: Keys::default(),
            current: None,
        })
    }

    #[inline]
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_enum(GuardEnum {
            inner: data,
            state: self.state,
            depth: self.depth,
        })
    }
}

/// A seed whose value is read through a [`Guard`].
struct GuardSeed<'s, T> {
    seed: T,
    state: &'s GuardState,
    depth: usize,
}

impl<'de, T: DeserializeSeed<'de>> DeserializeSeed<'de> for GuardSeed<'_, T> {
    type Value = T::Value;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T::Value, D::Error> {
        self.seed.deserialize(Guard {
            inner: deserializer,
            state: self.state,
            depth: self.depth,
        })
    }
}

/// The items of an array, each checked and named by its index in the path.
struct GuardSeq<'s, A> {
    inner: A,
    state: &'s GuardState,
    depth: usize,
    index: usize,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for GuardSeq<'_, A> {
    type Error = A::Error;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let index = self.index;
        self.index += 1;
        self.inner
            .next_element_seed(GuardSeed {
                seed,
                state: self.state,
                depth: self.depth,
            })
            .inspect_err(|_| self.state.rise(|| format!("[{index}]")))
    }

    #[inline]
    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// The keys of one object seen so far: those borrowed from the input in an inline list (no
/// allocation for the objects of an envelope read from a string), all of them in a set once
/// the object is large or a key is not borrowed.
struct Keys<'de> {
    inline: [&'de str; Keys::INLINE],
    /// A fingerprint of each inline key ([`fingerprint`]), compared before the text.
    prints: [u64; Keys::INLINE],
    len: usize,
    set: Option<HashSet<Cow<'de, str>>>,
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
fn fingerprint(key: &str) -> u64 {
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
    fn insert(&mut self, key: &Cow<'de, str>) -> bool {
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

/// The entries of an object: no key twice, each value checked and named by its key.
struct GuardMap<'s, 'de, A> {
    inner: A,
    state: &'s GuardState,
    depth: usize,
    keys: Keys<'de>,
    /// The key of the value about to be read, to name it in a violation's path.
    current: Option<Cow<'de, str>>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for GuardMap<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let mut captured = None;
        let key = self
            .inner
            .next_key_seed(KeySeed {
                seed,
                captured: &mut captured,
            })
            .map_err(tidy)?;
        if let Some(name) = &captured {
            self.state.check_string("a key", name.len())?;
            if !self.keys.insert(name) {
                return Err(self.state.refuse(format_args!(
                    "duplicate field `{}`: a key may appear once in an object",
                    shorten(name)
                )));
            }
        }
        self.current = captured;
        Ok(key)
    }

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

/// A key, read by its seed and captured as text.
struct KeySeed<'c, 'de, K> {
    seed: K,
    captured: &'c mut Option<Cow<'de, str>>,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, 'de, K> {
    type Value = K::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<K::Value, D::Error> {
        self.seed.deserialize(KeyDeserializer {
            inner: deserializer,
            captured: self.captured,
        })
    }
}

/// The deserializer of a key: what it gives the key's visitor is captured.
struct KeyDeserializer<'c, 'de, D> {
    inner: D,
    captured: &'c mut Option<Cow<'de, str>>,
}

macro_rules! key_forward {
    ($($method:ident),* $(,)?) => {
        $(
            #[inline]
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                self.inner.$method(KeyVisitor { visitor, captured: self.captured })
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for KeyDeserializer<'_, 'de, D> {
    type Error = D::Error;

    key_forward!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
    );

    /// A key nobody reads is read all the same, so that a duplicate is seen.
    #[inline]
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(KeyVisitor {
            visitor,
            captured: self.captured,
        })
    }

    #[inline]
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_unit_struct(
            name,
            KeyVisitor {
                visitor,
                captured: self.captured,
            },
        )
    }

    #[inline]
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_newtype_struct(
            name,
            KeyVisitor {
                visitor,
                captured: self.captured,
            },
        )
    }

    #[inline]
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_tuple(
            len,
            KeyVisitor {
                visitor,
                captured: self.captured,
            },
        )
    }

    #[inline]
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_tuple_struct(
            name,
            len,
            KeyVisitor {
                visitor,
                captured: self.captured,
            },
        )
    }

    #[inline]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_struct(
            name,
            fields,
            KeyVisitor {
                visitor,
                captured: self.captured,
            },
        )
    }

    #[inline]
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_enum(
            name,
            variants,
            KeyVisitor {
                visitor,
                captured: self.captured,
            },
        )
    }

    #[inline]
    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// The visitor of a key: records the key's text, then hands it on.
struct KeyVisitor<'c, 'de, V> {
    visitor: V,
    captured: &'c mut Option<Cow<'de, str>>,
}

macro_rules! key_visit_number {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(
            #[inline]
            fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
                *self.captured = Some(Cow::Owned(value.to_string()));
                self.visitor.$method(value)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for KeyVisitor<'_, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    key_visit_number!(
        visit_bool(bool),
        visit_i8(i8),
        visit_i16(i16),
        visit_i32(i32),
        visit_i64(i64),
        visit_i128(i128),
        visit_u8(u8),
        visit_u16(u16),
        visit_u32(u32),
        visit_u64(u64),
        visit_u128(u128),
        visit_f32(f32),
        visit_f64(f64),
        visit_char(char),
    );

    #[inline]
    fn visit_str<E: de::Error>(self, value: &str) -> Result<V::Value, E> {
        *self.captured = Some(Cow::Owned(value.to_owned()));
        self.visitor.visit_str(value)
    }

    #[inline]
    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<V::Value, E> {
        *self.captured = Some(Cow::Borrowed(value));
        self.visitor.visit_borrowed_str(value)
    }

    #[inline]
    fn visit_string<E: de::Error>(self, value: String) -> Result<V::Value, E> {
        *self.captured = Some(Cow::Owned(value.clone()));
        self.visitor.visit_string(value)
    }

    #[inline]
    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<V::Value, E> {
        *self.captured = Some(Cow::Owned(String::from_utf8_lossy(value).into_owned()));
        self.visitor.visit_bytes(value)
    }

    #[inline]
    fn visit_borrowed_bytes<E: de::Error>(self, value: &'de [u8]) -> Result<V::Value, E> {
        *self.captured = Some(String::from_utf8_lossy(value));
        self.visitor.visit_borrowed_bytes(value)
    }

    #[inline]
    fn visit_byte_buf<E: de::Error>(self, value: Vec<u8>) -> Result<V::Value, E> {
        *self.captured = Some(Cow::Owned(String::from_utf8_lossy(&value).into_owned()));
        self.visitor.visit_byte_buf(value)
    }

    #[inline]
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    #[inline]
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(deserializer)
    }

    #[inline]
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(deserializer)
    }

    #[inline]
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(seq)
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(map)
    }

    #[inline]
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_enum(data)
    }
}

/// An enum's variant and content, its content checked one level down.
struct GuardEnum<'s, A> {
    inner: A,
    state: &'s GuardState,
    depth: usize,
}

impl<'s, 'de, A: EnumAccess<'de>> EnumAccess<'de> for GuardEnum<'s, A> {
    type Error = A::Error;
    type Variant = GuardVariant<'s, A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        let (value, variant) = self.inner.variant_seed(GuardSeed {
            seed,
            state: self.state,
            depth: self.depth,
        })?;
        Ok((
            value,
            GuardVariant {
                inner: variant,
                state: self.state,
                depth: self.depth,
            },
        ))
    }
}

/// The content of an enum's variant (`{"variant": content}` in JSON).
struct GuardVariant<'s, A> {
    inner: A,
    state: &'s GuardState,
    depth: usize,
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for GuardVariant<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.inner.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        let depth = self.state.enter(self.depth)?;
        self.inner.newtype_variant_seed(GuardSeed {
            seed,
            state: self.state,
            depth,
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        let depth = self.state.enter(self.depth)?;
        self.inner.tuple_variant(
            len,
            GuardVisitor {
                visitor,
                state: self.state,
                depth,
            },
        )
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        let depth = self.state.enter(self.depth)?;
        self.inner.struct_variant(
            fields,
            GuardVisitor {
                visitor,
                state: self.state,
                depth,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as ValueError, F64Deserializer};

    use super::*;

    fn read<T: for<'de> Deserialize<'de>>(
        json: &str,
        limits: Limits,
    ) -> Result<T, (String, Option<String>)> {
        let state = GuardState::new(limits);
        let mut deserializer = serde_json::Deserializer::from_str(json);
        T::deserialize(Guard {
            inner: &mut deserializer,
            state: &state,
            depth: 0,
        })
        .map_err(|error| (error.to_string(), state.violation()))
    }

    #[test]
    fn refuses_duplicate_keys_at_any_depth_with_their_path() {
        let (_, violation) =
            read::<serde_json::Value>(r#"{"a":{"b":[{"c":1,"c":2}]}}"#, Limits::new()).unwrap_err();
        assert_eq!(
            violation.unwrap(),
            "a.b[0]: duplicate field `c`: a key may appear once in an object"
        );
        // Escaped spellings of one key are one key.
        let (_, violation) =
            read::<serde_json::Value>(r#"{"ab":1,"a\u0062":2}"#, Limits::new()).unwrap_err();
        assert!(violation.unwrap().starts_with("duplicate field `ab`"));
        assert!(read::<serde_json::Value>(r#"{"a":{"c":1},"b":{"c":2}}"#, Limits::new()).is_ok());
    }

    #[test]
    fn large_objects_find_duplicates_too() {
        let mut json: Vec<String> = (0..100).map(|i| format!("\"k{i}\":{i}")).collect();
        assert!(
            read::<serde_json::Value>(&format!("{{{}}}", json.join(",")), Limits::new()).is_ok()
        );
        json.push("\"k3\":0".to_owned());
        let (_, violation) =
            read::<serde_json::Value>(&format!("{{{}}}", json.join(",")), Limits::new())
                .unwrap_err();
        assert!(violation.unwrap().starts_with("duplicate field `k3`"));
    }

    #[test]
    fn ignored_values_are_checked() {
        let (_, violation) =
            read::<serde::de::IgnoredAny>(r#"{"x":{"y":1,"y":1}}"#, Limits::new()).unwrap_err();
        assert!(violation.unwrap().starts_with("x: duplicate field `y`"));
        // serde_json skips 1e400 without reading it; the guard reads it.
        let (message, _) =
            read::<serde::de::IgnoredAny>(r#"{"x":[1e400]}"#, Limits::new()).unwrap_err();
        assert!(message.contains("number out of range"), "{message}");
    }

    #[test]
    fn enforces_depth_and_string_limits() {
        let limits = Limits::new().with_max_depth(3).unwrap();
        assert!(read::<serde_json::Value>("[[[1]]]", limits).is_ok());
        let (message, violation) = read::<serde_json::Value>("[[[[1]]]]", limits).unwrap_err();
        assert_eq!(
            violation.unwrap(),
            "[0][0][0]: nested deeper than the limit `max_depth` (3 levels of arrays and objects)"
        );
        assert!(message.contains("max_depth"));

        let limits = Limits::new().with_max_string_bytes(256).unwrap();
        let long = "x".repeat(257);
        let (_, violation) =
            read::<serde_json::Value>(&format!(r#"{{"a":["{long}"]}}"#), limits).unwrap_err();
        assert_eq!(
            violation.unwrap(),
            "a[0]: a string of 257 bytes is longer than the limit `max_string_bytes` (256)"
        );
        let (_, violation) =
            read::<serde_json::Value>(&format!(r#"{{"{long}":1}}"#), limits).unwrap_err();
        assert!(violation.unwrap().starts_with("a key of 257 bytes"));
    }

    #[test]
    fn refuses_non_finite_numbers() {
        let state = GuardState::new(Limits::new());
        let inner: F64Deserializer<ValueError> = f64::NAN.into_deserializer();
        let error = f64::deserialize(Guard {
            inner,
            state: &state,
            depth: 0,
        })
        .unwrap_err();
        assert!(
            error.to_string().contains("NaN is not a finite number"),
            "{error}"
        );
    }

    #[test]
    fn long_quotes_of_the_input_are_shortened() {
        let long = "y".repeat(100_000);
        let (message, _) = read::<u64>(&format!("\"{long}\""), Limits::UNSIZED).unwrap_err();
        assert!(message.len() < 300, "{message}");
        assert!(message.contains("…"), "{message}");
    }
}
