//! One field of a generated struct: decoded through [`MapOnly`], named in any error, its bounds
//! checked as it is read.

use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess};

use super::bounds::{Bounded, bounds_message};
use super::error_path::field_error;
use super::map_only::MapOnly;

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
