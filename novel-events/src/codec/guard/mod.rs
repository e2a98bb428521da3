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

mod key;
mod keys;
pub(crate) mod known;
mod map;
#[cfg(test)]
mod tests;
mod variant;
mod visitor;

use key::KeySeed;
use keys::Keys;
use map::GuardMap;
use variant::GuardEnum;
use visitor::{GuardSeed, GuardVisitor};
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
