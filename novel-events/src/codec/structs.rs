//! Generated structs: read from the entries of a map, field by field, and written with their
//! optional fields skipped when absent.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};

/// A generated struct read from a map by [`deserialize_struct`]: its name, its fields' wire
/// names, and the loop over the map's entries (one `match` on the index of each key).
pub trait FromMap: Sized {
    /// The struct's name, for "expected struct `NAME`".
    const NAME: &'static str;
    /// The wire names of the fields, in declaration order.
    const FIELDS: &'static [&'static str];

    /// Reads the struct from the entries of a map.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The `Deserialize` of a generated struct: a map (or, through
/// [`MapOnly`](super::map_only::MapOnly), only a map) read by
/// [`FromMap::from_map`]. A sequence is refused: the catalog declares objects.
#[inline]
pub fn deserialize_struct<'de, T: FromMap, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, StructVisitor(PhantomData))
}

struct StructVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: FromMap> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// The next key of a struct's map, as the index of the field it names in `T::FIELDS`
/// (`T::FIELDS.len()` for a key that is not a field), or `None` at the end of the map.
#[inline]
pub fn next_key<'de, T: FromMap, A: MapAccess<'de>>(
    map: &mut A,
) -> Result<Option<usize>, A::Error> {
    map.next_key_seed(FieldIndex(T::FIELDS))
}

/// Reads the value of a key that is not a field, and ignores it (unknown fields are allowed).
#[inline]
pub fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(|_| ())
}

/// The index of a key in a list of field names (the list's length when it is not one).
struct FieldIndex(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = usize;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldIndex {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    #[inline]
    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<usize, E> {
        self.visit_bytes(value.as_bytes())
    }

    /// A field is reported to the guard ([`known`](super::guard::known)), which then checks
    /// it for duplicates by its index.
    #[inline]
    fn visit_bytes<E: serde::de::Error>(self, value: &[u8]) -> Result<usize, E> {
        match self.0.iter().position(|field| field.as_bytes() == value) {
            Some(index) => {
                super::guard::known::recognized(index, self.0[index]);
                Ok(index)
            }
            None => Ok(self.0.len()),
        }
    }

    #[inline]
    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<usize, E> {
        Ok(usize::try_from(value)
            .ok()
            .filter(|index| *index < self.0.len())
            .unwrap_or(self.0.len()))
    }
}

/// Serializes an optional field of a generated struct, skipped when `None`.
#[inline]
pub fn serialize_optional<S: serde::ser::SerializeStruct, T: serde::Serialize>(
    state: &mut S,
    field: &'static str,
    value: &Option<T>,
) -> Result<(), S::Error> {
    if value.is_some() {
        state.serialize_field(field, value)
    } else {
        state.skip_field(field)
    }
}
