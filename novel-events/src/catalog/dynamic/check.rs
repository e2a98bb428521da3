//! The walk over a payload: each value read through the Rust type the generated code gives
//! its catalog type, and through the same codec functions, so that errors read alike.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::{
    DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::catalog::{EventInfo, FieldInfo, TypeInfo};
use crate::codec::{MapOnly, check_bounds, deserialize_enum, field_error};

/// An event's payload: the object of its fields, read like its generated struct (named by
/// its Rust name in "expected struct ..."). With `KEEP`, every value is kept; without, only
/// the field the aggregate id comes from (every value is read and checked all the same).
pub(super) struct PayloadSeed<const KEEP: bool>(StructSeed<KEEP>);

impl<const KEEP: bool> PayloadSeed<KEEP> {
    pub(super) fn new(info: &'static EventInfo) -> Self {
        Self(StructSeed {
            name: info.rust_name,
            fields: info.fields,
            aggregate_field: Some(info.aggregate_id.field()),
        })
    }
}

impl<'de, const KEEP: bool> DeserializeSeed<'de> for PayloadSeed<KEEP> {
    type Value = Map<String, Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(deserializer)
    }
}

/// An object with declared fields, read from a map (under [`MapOnly`], from a map only).
#[derive(Clone, Copy)]
struct StructSeed<const KEEP: bool> {
    name: &'static str,
    fields: &'static [FieldInfo],
    /// A field whose value is kept even without `KEEP`.
    aggregate_field: Option<&'static str>,
}

impl<'de, const KEEP: bool> DeserializeSeed<'de> for StructSeed<KEEP> {
    type Value = Map<String, Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_struct(self.name, &[], self)
    }
}

impl<'de, const KEEP: bool> Visitor<'de> for StructSeed<KEEP> {
    type Value = Map<String, Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        if KEEP {
            self.keep_map(map)
        } else {
            self.check_map(map)
        }
    }
}

impl<const KEEP: bool> StructSeed<KEEP> {
    /// The object's fields, kept as the generated struct would write them back.
    fn keep_map<'de, A: MapAccess<'de>>(self, mut map: A) -> Result<Map<String, Value>, A::Error> {
        // `Some(None)`: an optional field given as `null`.
        let mut slots: Vec<Option<Option<Value>>> = vec![None; self.fields.len()];
        while let Some(index) = map.next_key_seed(FieldIndex(self.fields))? {
            match (self.fields.get(index), slots.get_mut(index)) {
                (Some(field), Some(slot)) => {
                    if slot.is_some() {
                        return Err(A::Error::duplicate_field(field.name));
                    }
                    *slot = Some(map.next_value_seed(FieldSeed::<true>(field))?);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let mut object = Map::new();
        for (field, slot) in self.fields.iter().zip(slots) {
            match slot {
                Some(Some(value)) => {
                    object.insert(field.name.to_owned(), value);
                }
                Some(None) => {}
                None => {
                    if let Some(default) = field.default {
                        object.insert(field.name.to_owned(), default_value(field, default)?);
                    } else if !field.optional {
                        return Err(A::Error::missing_field(field.name));
                    }
                }
            }
        }
        Ok(object)
    }

    /// [`Visitor::visit_map`] keeping nothing but the aggregate field: the same reads and the
    /// same errors in the same order, with a set of the fields seen instead of their values.
    fn check_map<'de, A: MapAccess<'de>>(self, mut map: A) -> Result<Map<String, Value>, A::Error> {
        let mut seen = Seen::new(self.fields.len());
        let mut object = Map::new();
        while let Some(index) = map.next_key_seed(FieldIndex(self.fields))? {
            let Some(field) = self.fields.get(index) else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            if !seen.insert(index) {
                return Err(A::Error::duplicate_field(field.name));
            }
            if self.aggregate_field == Some(field.name) {
                if let Some(value) = map.next_value_seed(FieldSeed::<true>(field))? {
                    object.insert(field.name.to_owned(), value);
                }
            } else {
                map.next_value_seed(FieldSeed::<false>(field))?;
            }
        }
        for (index, field) in self.fields.iter().enumerate() {
            if !seen.contains(index) && field.default.is_none() && !field.optional {
                return Err(A::Error::missing_field(field.name));
            }
        }
        Ok(object)
    }
}

/// The set of the fields of a struct seen so far, without allocating for up to 64 fields.
enum Seen {
    Few(u64),
    Many(Vec<bool>),
}

impl Seen {
    fn new(fields: usize) -> Self {
        if fields <= 64 {
            Seen::Few(0)
        } else {
            Seen::Many(vec![false; fields])
        }
    }

    /// Adds the field; false when it was already there.
    fn insert(&mut self, index: usize) -> bool {
        match self {
            Seen::Few(bits) => {
                let bit = 1u64 << index;
                let new = *bits & bit == 0;
                *bits |= bit;
                new
            }
            Seen::Many(flags) => !std::mem::replace(&mut flags[index], true),
        }
    }

    fn contains(&self, index: usize) -> bool {
        match self {
            Seen::Few(bits) => bits & (1u64 << index) != 0,
            Seen::Many(flags) => flags[index],
        }
    }
}

/// A field's default (JSON text in the metadata), as its type writes it (`5` for a `number`
/// field reads back as `5.0`).
fn default_value<E: serde::de::Error>(
    field: &'static FieldInfo,
    default: &str,
) -> Result<Value, E> {
    serde_json::from_str::<Value>(default)
        .and_then(|value| TypeSeed::<true>(&field.ty).deserialize(MapOnly(value)))
        .map_err(|error| {
            E::custom(format_args!(
                "{}: the catalog's default `{default}` does not decode: {error}",
                field.name
            ))
        })
}

/// The index of a key among the fields (their count for a key that is none of them).
struct FieldIndex(&'static [FieldInfo]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldIndex {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<usize, E> {
        Ok(self
            .0
            .iter()
            .position(|field| field.name == value)
            .unwrap_or(self.0.len()))
    }

    fn visit_bytes<E: serde::de::Error>(self, value: &[u8]) -> Result<usize, E> {
        Ok(self
            .0
            .iter()
            .position(|field| field.name.as_bytes() == value)
            .unwrap_or(self.0.len()))
    }
}

/// One field's value, named in any error, its bounds checked; `None` for an optional field
/// (without default) given as `null`. Without `KEEP`, the value is `Value::Null` (but for a
/// field with bounds, whose number is needed).
struct FieldSeed<const KEEP: bool>(&'static FieldInfo);

impl<'de, const KEEP: bool> DeserializeSeed<'de> for FieldSeed<KEEP> {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<Value>, D::Error> {
        let field = self.0;
        let bounded = field.min.is_some() || field.max.is_some();
        let read = if KEEP || bounded {
            read_field::<true, D>(field, deserializer)
        } else {
            read_field::<false, D>(field, deserializer)
        };
        let value = read.map_err(|error| {
            // The hint on what a date-time looks like, as for the generated field's type.
            if holds_datetime(&field.ty) {
                field_error::<DateTime<Utc>, D::Error>(field.name, &error)
            } else {
                field_error::<Value, D::Error>(field.name, &error)
            }
        })?;
        if bounded {
            let number = value.as_ref().and_then(Value::as_f64);
            let mut violations = Vec::new();
            check_bounds(
                &number,
                field.min,
                field.max,
                "",
                field.name,
                &mut violations,
            );
            if let Some(violation) = violations.pop() {
                return Err(D::Error::custom(format_args!(
                    "{}: {}",
                    field.name, violation.message
                )));
            }
        }
        Ok(value)
    }
}

/// A field's value: `null` or a value for an optional field without default, else a value.
fn read_field<'de, const KEEP: bool, D: Deserializer<'de>>(
    field: &'static FieldInfo,
    deserializer: D,
) -> Result<Option<Value>, D::Error> {
    if field.optional && field.default.is_none() {
        MapOnly(deserializer).deserialize_option(OptionVisitor::<KEEP>(&field.ty))
    } else {
        TypeSeed::<KEEP>(&field.ty)
            .deserialize(MapOnly(deserializer))
            .map(Some)
    }
}

/// Whether the field's Rust type names chrono's `DateTime` (itself, or in a `Vec`).
fn holds_datetime(ty: &TypeInfo) -> bool {
    match ty {
        TypeInfo::DateTime => true,
        TypeInfo::Array(item) => holds_datetime(item),
        _ => false,
    }
}

/// `null` or a value of the type, for an optional field.
struct OptionVisitor<const KEEP: bool>(&'static TypeInfo);

impl<'de, const KEEP: bool> Visitor<'de> for OptionVisitor<KEEP> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Option<Value>, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<Value>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<Value>, D::Error> {
        TypeSeed::<KEEP>(self.0).deserialize(deserializer).map(Some)
    }
}

/// A value of a catalog type, read as the Rust type the generated code gives it and, with
/// `KEEP`, written back as that type serializes (without, `Value::Null`: nothing is kept, and
/// strings and objects are checked without being copied).
#[derive(Clone, Copy)]
struct TypeSeed<const KEEP: bool>(&'static TypeInfo);

impl<'de, const KEEP: bool> DeserializeSeed<'de> for TypeSeed<KEEP> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        let value = match self.0 {
            TypeInfo::Uuid => {
                let uuid = Uuid::deserialize(deserializer)?;
                keep::<KEEP>(|| Value::String(uuid.to_string()))
            }
            TypeInfo::String if KEEP => Value::String(String::deserialize(deserializer)?),
            TypeInfo::String => deserializer.deserialize_string(StringCheck)?,
            TypeInfo::Integer => {
                let integer = i64::deserialize(deserializer)?;
                keep::<KEEP>(|| Value::from(integer))
            }
            TypeInfo::Number => {
                let number = f64::deserialize(deserializer)?;
                keep::<KEEP>(|| Value::from(number))
            }
            TypeInfo::Boolean => {
                let boolean = bool::deserialize(deserializer)?;
                keep::<KEEP>(|| Value::Bool(boolean))
            }
            TypeInfo::DateTime => {
                let time = DateTime::<Utc>::deserialize(deserializer)?;
                if KEEP {
                    serde_json::to_value(time).map_err(D::Error::custom)?
                } else {
                    Value::Null
                }
            }
            TypeInfo::Object if KEEP => Value::Object(Map::deserialize(deserializer)?),
            TypeInfo::Object => deserializer.deserialize_map(ObjectCheck)?,
            TypeInfo::Array(item) => deserializer.deserialize_seq(ArrayVisitor::<KEEP>(item))?,
            TypeInfo::Enum { name, values } => {
                let value = deserialize_enum(deserializer, name, values, values)?;
                keep::<KEEP>(|| Value::from(value))
            }
            TypeInfo::Struct { name, fields } => Value::Object(
                StructSeed::<KEEP> {
                    name,
                    fields,
                    aggregate_field: None,
                }
                .deserialize(deserializer)?,
            ),
        };
        Ok(value)
    }
}

fn keep<const KEEP: bool>(value: impl FnOnce() -> Value) -> Value {
    if KEEP { value() } else { Value::Null }
}

/// A string, checked and not copied; the error of a non-string is `String`'s.
struct StringCheck;

impl Visitor<'_> for StringCheck {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

/// A JSON object of any content, checked and not copied; the error of a non-object is
/// `serde_json::Map`'s.
struct ObjectCheck;

impl<'de> Visitor<'de> for ObjectCheck {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        // Keys and values read as `Map<String, Value>` reads them (a number out of range
        // is an error there, so it must be here), only not kept.
        while map.next_key::<String>()?.is_some() {
            map.next_value::<Value>()?;
        }
        Ok(Value::Null)
    }
}

/// The items of an array, each of the item type.
struct ArrayVisitor<const KEEP: bool>(&'static TypeInfo);

impl<'de, const KEEP: bool> Visitor<'de> for ArrayVisitor<KEEP> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        if !KEEP {
            while seq.next_element_seed(TypeSeed::<false>(self.0))?.is_some() {}
            return Ok(Value::Null);
        }
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(TypeSeed::<true>(self.0))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
}

#[cfg(test)]
mod tests {
    use super::Seen;

    #[test]
    fn seen_fields_few_and_many() {
        for fields in [1, 64, 65, 200] {
            let mut seen = Seen::new(fields);
            assert!(matches!(seen, Seen::Few(_)) == (fields <= 64));
            for index in (0..fields).step_by(3) {
                assert!(seen.insert(index), "{fields}: {index} is new");
            }
            for index in 0..fields {
                assert_eq!(seen.contains(index), index % 3 == 0, "{fields}: {index}");
                assert_eq!(seen.insert(index), index % 3 != 0, "{fields}: {index}");
            }
        }
    }
}
