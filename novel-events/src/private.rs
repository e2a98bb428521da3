//! Support for generated code. Not public API: may change in any release.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};

use crate::catalog_info::CatalogInfo;

pub use chrono;
pub use serde;
pub use serde_json;
pub use uuid;

// Short names for the code generated inside a catalog's domain modules, which import this
// module as `__p`: fewer tokens per event than fully qualified paths.
pub use crate::compat::{HoldsEnum, HoldsObject};
pub use crate::event::{Event, EventCategory, SubscriberInfo, name_based_aggregate_id};
pub use crate::validation::{UnknownValue, ValidationError, Violation};

pub use core::option::Option::{self, None, Some};
pub use core::result::Result::{self, Err, Ok};
pub use std::string::String;
pub use std::vec::Vec;

/// Numeric bounds and nested objects, checked before publishing.
pub trait Validate {
    /// Records every violation under `path` (`payload`, `payload.traits`, ...).
    fn validate_into(&self, path: &str, violations: &mut Vec<Violation>);
}

/// A field value whose bounds can be checked (`f64`, `i64` and their options).
pub trait Bounded {
    /// The value as a float, `None` when absent.
    fn bounded_value(&self) -> Option<f64>;
}

impl Bounded for f64 {
    fn bounded_value(&self) -> Option<f64> {
        Some(*self)
    }
}

macro_rules! bounded {
    ($($ty:ty),*) => {$(
        impl Bounded for $ty {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn bounded_value(&self) -> Option<f64> {
                Some(*self as f64)
            }
        }
    )*};
}
bounded!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32
);

impl<T: Bounded> Bounded for Option<T> {
    fn bounded_value(&self) -> Option<f64> {
        self.as_ref().and_then(Bounded::bounded_value)
    }
}

fn bounds_message(value: f64, min: Option<f64>, max: Option<f64>) -> Option<String> {
    let below = min.is_some_and(|min| value < min);
    let above = max.is_some_and(|max| value > max);
    if !(below || above || value.is_nan()) {
        return None;
    }
    let expected = match (min, max) {
        (Some(min), Some(max)) => format!("a number from {min} to {max}"),
        (Some(min), None) => format!("a number of at least {min}"),
        (None, Some(max)) => format!("a number of at most {max}"),
        (None, None) => "a number".to_owned(),
    };
    Some(format!("{value} is out of range: expected {expected}"))
}

/// Records a violation when the value lies outside `min..=max`.
pub fn check_bounds<T: Bounded>(
    value: &T,
    min: Option<f64>,
    max: Option<f64>,
    path: &str,
    field: &str,
    violations: &mut Vec<Violation>,
) {
    if let Some(message) = value
        .bounded_value()
        .and_then(|value| bounds_message(value, min, max))
    {
        violations.push(Violation {
            path: format!("{path}.{field}"),
            message,
        });
    }
}

/// Runs [`Validate`] from the payload's root.
pub fn validate_payload<T: Validate>(payload: &T) -> Result<(), ValidationError> {
    let mut violations = Vec::new();
    payload.validate_into("payload", &mut violations);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ValidationError { violations })
    }
}

/// Removes the " at line L column C" that serde_json appends, so that an error re-wrapped
/// with a path gets its position once.
pub fn strip_position(message: &str) -> String {
    if let Some(index) = message.rfind(" at line ") {
        let tail = &message[index + " at line ".len()..];
        let mut parts = tail.split(" column ");
        let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        if let (Some(line), Some(column), None) = (parts.next(), parts.next(), parts.next())
            && digits(line)
            && digits(column)
        {
            return message[..index].to_owned();
        }
    }
    message.to_owned()
}

/// `key: message`, or `key.path: message` when the inner error already names a path.
///
/// A path is the text before the first `": "` when it holds no space.
pub fn prefix_error<E: serde::de::Error>(key: &str, error: &dyn std::fmt::Display) -> E {
    let message = strip_position(&error.to_string());
    match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => {
            let separator = if path.starts_with('[') { "" } else { "." };
            E::custom(format_args!("{key}{separator}{path}: {rest}"))
        }
        _ => E::custom(format_args!("{key}: {message}")),
    }
}

/// `key: message` for an error decoding a `T`, with what a date-time looks like when `T` holds
/// one and the message does not already say what was expected (chrono's "input contains
/// invalid characters").
pub fn field_error<T, E: serde::de::Error>(key: &str, error: &dyn fmt::Display) -> E {
    let type_name = std::any::type_name::<T>();
    let message = strip_position(&error.to_string());
    if type_name.contains("chrono::")
        && type_name.contains("DateTime<")
        && !message.contains("expected")
    {
        prefix_error(
            key,
            &format_args!(
                "{message}; expected an RFC 3339 date-time such as `2025-08-26T10:15:00Z`"
            ),
        )
    } else {
        prefix_error(key, &message)
    }
}

/// Decodes one field, naming it in any error. Structs are read from JSON objects only.
#[inline]
pub fn deserialize_field<'de, D, T>(deserializer: D, field: &'static str) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(MapOnly(deserializer)).map_err(|error| field_error::<T, D::Error>(field, &error))
}

/// Decodes one numeric field and checks its bounds, naming it in any error.
#[inline]
pub fn deserialize_bounded<'de, D, T>(
    deserializer: D,
    field: &'static str,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Bounded,
{
    let value = deserialize_field::<D, T>(deserializer, field)?;
    match value
        .bounded_value()
        .and_then(|number| bounds_message(number, min, max))
    {
        Some(message) => Err(D::Error::custom(format_args!("{field}: {message}"))),
        None => Ok(value),
    }
}

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

/// The `Deserialize` of a generated struct: a map (or, through [`MapOnly`], only a map) read by
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

/// Reads the value of field `field` into its slot, through [`MapOnly`], naming the field in
/// any error; a second occurrence of the field is an error (`duplicate field`).
#[inline]
pub fn next_field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    field: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(A::Error::duplicate_field(field));
    }
    *slot = Some(map.next_value_seed(FieldSeed(field, PhantomData))?);
    Ok(())
}

/// [`next_field`] for a numeric field with bounds, checked as it is read.
#[inline]
pub fn next_bounded<'de, A: MapAccess<'de>, T: Deserialize<'de> + Bounded>(
    map: &mut A,
    slot: &mut Option<T>,
    field: &'static str,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(A::Error::duplicate_field(field));
    }
    *slot = Some(map.next_value_seed(BoundedSeed {
        field,
        min,
        max,
        marker: PhantomData,
    })?);
    Ok(())
}

/// The value of a required field, or `missing field` when the map did not have it.
#[inline]
pub fn required<T, E: serde::de::Error>(slot: Option<T>, field: &'static str) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => Err(E::missing_field(field)),
    }
}

/// Reads one field's value with [`deserialize_field`].
struct FieldSeed<T>(&'static str, PhantomData<fn() -> T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for FieldSeed<T> {
    type Value = T;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserialize_field(deserializer, self.0)
    }
}

/// Reads one numeric field's value with [`deserialize_bounded`].
struct BoundedSeed<T> {
    field: &'static str,
    min: Option<f64>,
    max: Option<f64>,
    marker: PhantomData<fn() -> T>,
}

impl<'de, T: Deserialize<'de> + Bounded> DeserializeSeed<'de> for BoundedSeed<T> {
    type Value = T;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserialize_bounded(deserializer, self.field, self.min, self.max)
    }
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
        Ok(self
            .0
            .iter()
            .position(|field| *field == value)
            .unwrap_or(self.0.len()))
    }

    #[inline]
    fn visit_bytes<E: serde::de::Error>(self, value: &[u8]) -> Result<usize, E> {
        Ok(self
            .0
            .iter()
            .position(|field| field.as_bytes() == value)
            .unwrap_or(self.0.len()))
    }

    #[inline]
    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<usize, E> {
        Ok(usize::try_from(value)
            .ok()
            .filter(|index| *index < self.0.len())
            .unwrap_or(self.0.len()))
    }
}

/// The `Deserialize` of a generated enum of strings: the variant whose wire value is read
/// (`values[i]` is the value of `all[i]`).
#[inline]
pub fn deserialize_enum<'de, D: Deserializer<'de>, T: Copy>(
    deserializer: D,
    name: &'static str,
    values: &'static [&'static str],
    all: &'static [T],
) -> Result<T, D::Error> {
    deserializer.deserialize_enum(name, values, EnumValues { name, values, all })
}

struct EnumValues<T: 'static> {
    name: &'static str,
    values: &'static [&'static str],
    all: &'static [T],
}

impl<'de, T: Copy> Visitor<'de> for EnumValues<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "enum {}", self.name)
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<T, A::Error> {
        let (index, variant) = data.variant_seed(VariantIndex(self.values))?;
        serde::de::VariantAccess::unit_variant(variant)?;
        self.all
            .get(index)
            .copied()
            .ok_or_else(|| A::Error::custom("variant index out of range"))
    }
}

/// The index of a variant by its wire value, or `unknown variant` with the expected values.
struct VariantIndex(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for VariantIndex {
    type Value = usize;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for VariantIndex {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<usize, E> {
        match usize::try_from(value) {
            Ok(index) if index < self.0.len() => Ok(index),
            _ => {
                let expected = format!("variant index 0 <= i < {}", self.0.len());
                Err(E::invalid_value(
                    serde::de::Unexpected::Unsigned(value),
                    &expected.as_str(),
                ))
            }
        }
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|variant| *variant == value)
            .ok_or_else(|| E::unknown_variant(value, self.0))
    }

    fn visit_bytes<E: serde::de::Error>(self, value: &[u8]) -> Result<usize, E> {
        self.0
            .iter()
            .position(|variant| variant.as_bytes() == value)
            .ok_or_else(|| E::unknown_variant(&String::from_utf8_lossy(value), self.0))
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

/// Decodes an event's payload, prefixing errors with `payload`. The payload is read from a
/// JSON object only.
#[inline]
pub fn deserialize_event<'de, E, D>(deserializer: D) -> Result<E, D::Error>
where
    E: Event,
    D: Deserializer<'de>,
{
    let event =
        E::deserialize(MapOnly(deserializer)).map_err(|error| prefix_error("payload", &error))?;
    if !E::CHECKS_ON_DECODE
        && let Err(invalid) = event.validate()
    {
        let violations: Vec<String> = invalid.violations.iter().map(ToString::to_string).collect();
        return Err(D::Error::custom(violations.join("; ")));
    }
    Ok(event)
}

/// A deserializer that reads structs from maps only.
///
/// serde's derived `Deserialize` of a struct also accepts a sequence of its field values in
/// declaration order (`"personalityTraits": [0.8, 0.4, 0.3, 0.5, 0.6]`); the catalog declares
/// objects, so that form is refused: `deserialize_struct` becomes `deserialize_map`. The rule
/// carries into options and sequence items (`[PersonalityTraits]`, `PersonalityTraits?`);
/// fields of a struct are reached through [`deserialize_field`], which applies it again.
/// Everything else is forwarded unchanged.
pub struct MapOnly<D>(pub D);

macro_rules! forward_deserialize {
    ($($method:ident),* $(,)?) => {
        $(
            #[inline]
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                self.0.$method(visitor)
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for MapOnly<D> {
    type Error = D::Error;

    forward_deserialize!(
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
        deserialize_unit,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any,
    );

    #[inline]
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_option(MapOnlyVisitor(visitor))
    }

    #[inline]
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_seq(MapOnlyVisitor(visitor))
    }

    #[inline]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_map(visitor)
    }

    #[inline]
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    #[inline]
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_newtype_struct(name, visitor)
    }

    #[inline]
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_tuple(len, visitor)
    }

    #[inline]
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_tuple_struct(name, len, visitor)
    }

    /// In a self-describing format, through `deserialize_any`, so that a value of the wrong
    /// type is reported as such with the expected values (serde_json's own says only
    /// "expected value"). Strings and `{"variant": ...}` maps are read as before.
    #[inline]
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        if self.0.is_human_readable() {
            self.0.deserialize_any(EnumVisitor { visitor, variants })
        } else {
            self.0.deserialize_enum(name, variants, visitor)
        }
    }

    #[inline]
    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// The visitor of an option or a sequence, handing [`MapOnly`] deserializers to its content.
struct MapOnlyVisitor<V>(V);

macro_rules! forward_visit {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(
            #[inline]
            fn $method<E: serde::de::Error>(self, value: $ty) -> Result<V::Value, E> {
                self.0.$method(value)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for MapOnlyVisitor<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    forward_visit!(
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
        visit_str(&str),
        visit_borrowed_str(&'de str),
        visit_string(String),
        visit_bytes(&[u8]),
        visit_borrowed_bytes(&'de [u8]),
        visit_byte_buf(Vec<u8>),
    );

    #[inline]
    fn visit_none<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    #[inline]
    fn visit_unit<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(MapOnly(deserializer))
    }

    #[inline]
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(MapOnly(deserializer))
    }

    #[inline]
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(MapOnlySeq(seq))
    }

    #[inline]
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(map)
    }

    #[inline]
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(data)
    }
}

/// Reads an enum from a string (a unit variant) or a one-key map, refusing any other value
/// with the list of variants.
struct EnumVisitor<V> {
    visitor: V,
    variants: &'static [&'static str],
}

impl<'de, V: Visitor<'de>> Visitor<'de> for EnumVisitor<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("one of ")?;
        for (index, variant) in self.variants.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{variant}`")?;
        }
        Ok(())
    }

    #[inline]
    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<V::Value, E> {
        self.visitor
            .visit_enum(serde::de::value::StrDeserializer::<E>::new(value))
    }

    #[inline]
    fn visit_borrowed_str<E: serde::de::Error>(self, value: &'de str) -> Result<V::Value, E> {
        self.visitor
            .visit_enum(serde::de::value::BorrowedStrDeserializer::<E>::new(value))
    }

    #[inline]
    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<V::Value, E> {
        self.visitor
            .visit_enum(serde::de::value::StringDeserializer::<E>::new(value))
    }

    #[inline]
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor
            .visit_enum(serde::de::value::MapAccessDeserializer::new(map))
    }
}

/// A sequence whose items are read through [`MapOnly`].
struct MapOnlySeq<A>(A);

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for MapOnlySeq<A> {
    type Error = A::Error;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0.next_element_seed(MapOnlySeed(seed))
    }

    #[inline]
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// A seed that hands a [`MapOnly`] deserializer to the seed it wraps.
pub struct MapOnlySeed<T>(pub T);

impl<'de, T: DeserializeSeed<'de>> DeserializeSeed<'de> for MapOnlySeed<T> {
    type Value = T::Value;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T::Value, D::Error> {
        self.0.deserialize(MapOnly(deserializer))
    }
}

/// Short constructors of catalog metadata, for the `CATALOG` static that `include_catalog!`
/// writes (`use ::novel_events::__private::meta::*;` in its initializer): the generated tokens
/// stay few, which keeps macro expansion and compilation cheap for large catalogs.
pub mod meta {
    pub use crate::catalog_info::{
        AggregateIdInfo as A, CatalogInfo, DeprecationInfo, EventInfo, FieldInfo, TypeInfo as T,
    };
    pub use crate::event::{EventCategory as C, SubscriberInfo};

    /// A catalog.
    pub const fn catalog(
        name: &'static str,
        version: &'static str,
        description: &'static str,
        events: &'static [EventInfo],
    ) -> CatalogInfo {
        CatalogInfo {
            name,
            version,
            description,
            events,
        }
    }

    /// One version of one event.
    #[allow(clippy::too_many_arguments)]
    pub const fn ev(
        name: &'static str,
        rust_name: &'static str,
        domain: &'static str,
        event_type: &'static str,
        event_version: &'static str,
        is_latest: bool,
        aggregate_type: &'static str,
        aggregate_id: A,
        category: C,
        description: &'static str,
        triggers: &'static [&'static str],
        subscribers: &'static [SubscriberInfo],
        fields: &'static [FieldInfo],
    ) -> EventInfo {
        EventInfo {
            name,
            rust_name,
            domain,
            event_type,
            event_version,
            is_latest,
            aggregate_type,
            aggregate_id,
            category,
            description,
            triggers,
            subscribers,
            fields,
        }
    }

    /// A subscriber.
    pub const fn sub(service: &'static str, purpose: &'static str) -> SubscriberInfo {
        SubscriberInfo { service, purpose }
    }

    /// A required field without default, bounds or deprecation.
    pub const fn f(name: &'static str, ty: T, description: &'static str) -> FieldInfo {
        FieldInfo {
            name,
            ty,
            optional: false,
            default: None,
            min: None,
            max: None,
            description,
            deprecated: None,
        }
    }

    /// The field, optional.
    pub const fn opt(field: FieldInfo) -> FieldInfo {
        FieldInfo {
            optional: true,
            ..field
        }
    }

    /// The field with a default value (JSON text).
    pub const fn def(field: FieldInfo, default: &'static str) -> FieldInfo {
        FieldInfo {
            default: Some(default),
            ..field
        }
    }

    /// The field with a lower bound.
    pub const fn min(field: FieldInfo, min: f64) -> FieldInfo {
        FieldInfo {
            min: Some(min),
            ..field
        }
    }

    /// The field with an upper bound.
    pub const fn max(field: FieldInfo, max: f64) -> FieldInfo {
        FieldInfo {
            max: Some(max),
            ..field
        }
    }

    /// The field, deprecated.
    pub const fn dep(
        field: FieldInfo,
        removal_version: &'static str,
        note: &'static str,
    ) -> FieldInfo {
        FieldInfo {
            deprecated: Some(DeprecationInfo {
                note,
                removal_version,
            }),
            ..field
        }
    }

    /// A string enum type.
    pub const fn en(name: &'static str, values: &'static [&'static str]) -> T {
        T::Enum { name, values }
    }

    /// An object type with declared fields.
    pub const fn st(name: &'static str, fields: &'static [FieldInfo]) -> T {
        T::Struct { name, fields }
    }
}

/// Compile-time check of `#[derive(EventSet)]`: two variants must not hold the same event.
pub const fn assert_distinct_events(
    first_type: &str,
    first_version: &str,
    second_type: &str,
    second_version: &str,
    message: &'static str,
) {
    if crate::compat::str_eq(first_type, second_type)
        && crate::compat::str_eq(first_version, second_version)
    {
        panic!("{}", message);
    }
}

/// The error for an envelope whose event an event set does not hold.
pub fn not_in_set<E: serde::de::Error>(
    set: &str,
    event_type: &str,
    event_version: &str,
    known: &[(&str, &str)],
) -> E {
    let known: Vec<String> = known.iter().map(|(t, v)| format!("{t} {v}")).collect();
    E::custom(format_args!(
        "eventType: `{event_type}` version {event_version} is not one of the events of `{set}` ({})",
        known.join(", ")
    ))
}

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
            "eventType: unknown eventType `{event_type}` in catalog `{}`{hint}",
            catalog.name
        ))
    } else {
        E::custom(format_args!(
            "eventVersion: `{event_type}` has no version {event_version} in catalog `{}`; known versions: {}",
            catalog.name,
            versions.join(", ")
        ))
    }
}

/// The candidate closest to `word` by edit distance, if close enough to be a typo.
fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.len() / 3).max(2);
    candidates
        .map(|candidate| (edit_distance(word, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            current.push(
                (previous[j] + usize::from(ca != *cb))
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_serde_json_positions_only() {
        assert_eq!(
            strip_position("invalid type: string at line 1 column 20"),
            "invalid type: string"
        );
        assert_eq!(strip_position("stay at line one"), "stay at line one");
    }

    #[test]
    fn joins_paths() {
        let error: serde_json::Error = prefix_error("payload", &"openness: invalid type: string");
        assert_eq!(error.to_string(), "payload.openness: invalid type: string");
        let error: serde_json::Error = prefix_error("payload", &"missing field `name`");
        assert_eq!(error.to_string(), "payload: missing field `name`");
    }

    #[test]
    fn bounds() {
        assert!(bounds_message(0.5, Some(0.0), Some(1.0)).is_none());
        assert_eq!(
            bounds_message(1.5, Some(0.0), Some(1.0)).unwrap(),
            "1.5 is out of range: expected a number from 0 to 1"
        );
        assert!(bounds_message(f64::NAN, None, None).is_some());
    }
}
