//! Generated enums of strings: a variant read from its wire value.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error as _, Visitor};

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
            .ok_or_else(|| E::unknown_variant(&super::quote::shorten(value), self.0))
    }

    fn visit_bytes<E: serde::de::Error>(self, value: &[u8]) -> Result<usize, E> {
        self.0
            .iter()
            .position(|variant| variant.as_bytes() == value)
            .ok_or_else(|| {
                E::unknown_variant(
                    &super::quote::shorten(&String::from_utf8_lossy(value)),
                    self.0,
                )
            })
    }
}
