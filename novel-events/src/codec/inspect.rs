//! What every entrance checks of a value before accepting it (publish, append, `validate`):
//! finite numbers and the [`Limits`], found by walking the value's `Serialize` without
//! writing anything.
//!
//! The walk counts the bytes the value takes as compact JSON (serde_json's output, exactly),
//! and stops at the first problem: a size over the limit is found after reading at most that
//! many bytes' worth of the value, whatever its real size.

use std::fmt::{self, Write as _};

use serde::Serialize;
use serde::ser::{self, Serializer};

use super::limits::Limits;
use crate::validation::Violation;

/// Walks `value` as it would be written at `path` (`payload`, or `""` for an envelope),
/// `depth` arrays and objects below the envelope's root: its size as compact JSON, or the
/// first violation.
pub(crate) fn inspect<T: Serialize + ?Sized>(
    value: &T,
    path: &str,
    depth: usize,
    limits: &Limits,
) -> Result<usize, Violation> {
    let mut inspection = Inspection {
        limits,
        count: limits.max_envelope_bytes() != usize::MAX,
        bytes: 0,
        path: path.to_owned(),
        violation: None,
        in_key: false,
    };
    match value.serialize(Walk {
        inspection: &mut inspection,
        depth,
    }) {
        Ok(()) => Ok(inspection.bytes),
        Err(Stop(message)) => Err(inspection.violation.take().unwrap_or_else(|| Violation {
            path: inspection.path.clone(),
            message: format!(
                "cannot be serialized: {}",
                message.as_deref().unwrap_or("unknown error")
            ),
        })),
    }
}

struct Inspection<'l> {
    limits: &'l Limits,
    /// Whether bytes are counted (there is a size limit).
    count: bool,
    bytes: usize,
    /// The path of the value being walked; left as it is at the first violation.
    path: String,
    violation: Option<Violation>,
    /// Whether a map key is being walked (JSON quotes keys that are numbers).
    in_key: bool,
}

/// The end of a walk: a violation was recorded, or a `Serialize` impl failed (its message).
#[derive(Debug)]
pub(crate) struct Stop(Option<String>);

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_deref().unwrap_or("value refused"))
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Stop(Some(message.to_string()))
    }
}

impl Inspection<'_> {
    fn refuse(&mut self, message: String) -> Stop {
        self.violation = Some(Violation {
            path: self.path.clone(),
            message,
        });
        Stop(None)
    }

    fn add(&mut self, bytes: usize) -> Result<(), Stop> {
        if !self.count {
            return Ok(());
        }
        self.bytes = self.bytes.saturating_add(bytes);
        let max = self.limits.max_envelope_bytes();
        if self.bytes > max {
            self.path.clear();
            return Err(self.refuse(format!(
                "the envelope is more than {max} bytes as JSON, the limit `max_envelope_bytes`"
            )));
        }
        Ok(())
    }

    fn enter(&mut self, depth: usize) -> Result<usize, Stop> {
        let depth = depth + 1;
        let max = self.limits.max_depth();
        if depth > max {
            return Err(self.refuse(format!(
                "nested deeper than the limit `max_depth` ({max} levels of arrays and objects)"
            )));
        }
        Ok(depth)
    }

    fn string(&mut self, value: &str) -> Result<(), Stop> {
        let max = self.limits.max_string_bytes();
        if value.len() > max {
            let what = if self.in_key { "a key" } else { "a string" };
            return Err(self.refuse(format!(
                "{what} of {} bytes is longer than the limit `max_string_bytes` ({max})",
                value.len()
            )));
        }
        if self.in_key {
            if !self.path.is_empty() {
                self.path.push('.');
            }
            self.path.push_str(&super::quote::shorten(value));
        }
        if self.count {
            self.add(json_string_len(value))?;
        }
        Ok(())
    }

    /// A number's bytes, quoted when it is a key.
    fn number(&mut self, digits: usize) -> Result<(), Stop> {
        if self.in_key {
            self.key_placeholder();
            self.add(digits + 2)
        } else {
            self.add(digits)
        }
    }

    /// A key that is not a string, named `<key>` in the path.
    fn key_placeholder(&mut self) {
        if !self.path.is_empty() {
            self.path.push('.');
        }
        self.path.push_str("<key>");
    }

    fn float(&mut self, value: f64, width: impl FnOnce() -> usize) -> Result<(), Stop> {
        if !value.is_finite() {
            return Err(self.refuse(format!(
                "{value} is not a finite number: JSON has no NaN nor infinity (it would be written as null)"
            )));
        }
        if self.count {
            let digits = width();
            self.number(digits)?;
        } else if self.in_key {
            self.key_placeholder();
        }
        Ok(())
    }
}

/// The length of `value` as a JSON string, quotes and escapes included (serde_json escapes
/// `"`, `\` and control characters, the common ones in two bytes, the others in six).
fn json_string_len(value: &str) -> usize {
    2 + value
        .bytes()
        .map(|byte| match byte {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0..=0x1f => 6,
            _ => 1,
        })
        .sum::<usize>()
}

/// The number of bytes of `value` in decimal.
fn decimal_len(value: u128) -> usize {
    let mut digits = 1;
    let mut rest = value / 10;
    while rest > 0 {
        digits += 1;
        rest /= 10;
    }
    digits
}

fn signed_len(value: i128) -> usize {
    decimal_len(value.unsigned_abs()) + usize::from(value < 0)
}

/// The bytes serde_json writes for a value (used for floats, whose formatting is ryu's).
fn written_len<T: Serialize>(value: &T) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    match serde_json::to_writer(&mut counter, value) {
        Ok(()) => counter.0,
        Err(_) => 0,
    }
}

/// The walking serializer of one value.
struct Walk<'a, 'l> {
    inspection: &'a mut Inspection<'l>,
    depth: usize,
}

impl<'a, 'l> Walk<'a, 'l> {
    fn compound(self, open: usize, depth: usize) -> Result<Compound<'a, 'l>, Stop> {
        self.inspection.add(open)?;
        let base = self.inspection.path.len();
        Ok(Compound {
            inspection: self.inspection,
            depth,
            base,
            index: 0,
            close: open,
        })
    }
}

impl<'a, 'l> Serializer for Walk<'a, 'l> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Compound<'a, 'l>;
    type SerializeTuple = Compound<'a, 'l>;
    type SerializeTupleStruct = Compound<'a, 'l>;
    type SerializeTupleVariant = Compound<'a, 'l>;
    type SerializeMap = Compound<'a, 'l>;
    type SerializeStruct = Compound<'a, 'l>;
    type SerializeStructVariant = Compound<'a, 'l>;

    fn serialize_bool(self, value: bool) -> Result<(), Stop> {
        if self.inspection.in_key {
            self.inspection.key_placeholder();
            return self.inspection.add(if value { 6 } else { 7 });
        }
        self.inspection.add(if value { 4 } else { 5 })
    }

    fn serialize_i8(self, value: i8) -> Result<(), Stop> {
        self.inspection.number(signed_len(value.into()))
    }

    fn serialize_i16(self, value: i16) -> Result<(), Stop> {
        self.inspection.number(signed_len(value.into()))
    }

    fn serialize_i32(self, value: i32) -> Result<(), Stop> {
        self.inspection.number(signed_len(value.into()))
    }

    fn serialize_i64(self, value: i64) -> Result<(), Stop> {
        self.inspection.number(signed_len(value.into()))
    }

    fn serialize_i128(self, value: i128) -> Result<(), Stop> {
        self.inspection.number(signed_len(value))
    }

    fn serialize_u8(self, value: u8) -> Result<(), Stop> {
        self.inspection.number(decimal_len(value.into()))
    }

    fn serialize_u16(self, value: u16) -> Result<(), Stop> {
        self.inspection.number(decimal_len(value.into()))
    }

    fn serialize_u32(self, value: u32) -> Result<(), Stop> {
        self.inspection.number(decimal_len(value.into()))
    }

    fn serialize_u64(self, value: u64) -> Result<(), Stop> {
        self.inspection.number(decimal_len(value.into()))
    }

    fn serialize_u128(self, value: u128) -> Result<(), Stop> {
        self.inspection.number(decimal_len(value))
    }

    fn serialize_f32(self, value: f32) -> Result<(), Stop> {
        self.inspection
            .float(f64::from(value), || written_len(&value))
    }

    fn serialize_f64(self, value: f64) -> Result<(), Stop> {
        self.inspection.float(value, || written_len(&value))
    }

    fn serialize_char(self, value: char) -> Result<(), Stop> {
        self.inspection.string(value.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, value: &str) -> Result<(), Stop> {
        self.inspection.string(value)
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<(), Stop> {
        let mut seq = self.serialize_seq(Some(value.len()))?;
        for byte in value {
            ser::SerializeSeq::serialize_element(&mut seq, byte)?;
        }
        ser::SerializeSeq::end(seq)
    }

    fn serialize_none(self) -> Result<(), Stop> {
        self.inspection.add(4)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Stop> {
        self.inspection.add(4)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Stop> {
        self.inspection.add(4)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Stop> {
        self.inspection.string(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        let depth = self.inspection.enter(self.depth)?;
        self.inspection.add(3 + json_string_len(variant))?;
        value.serialize(Walk {
            inspection: self.inspection,
            depth,
        })
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, 'l>, Stop> {
        let depth = self.inspection.enter(self.depth)?;
        self.compound(1, depth)
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'l>, Stop> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'l>, Stop> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'l>, Stop> {
        let outer = self.inspection.enter(self.depth)?;
        let depth = self.inspection.enter(outer)?;
        self.inspection.add(3 + json_string_len(variant))?;
        let mut compound = self.compound(1, depth)?;
        compound.close = 2;
        Ok(compound)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, 'l>, Stop> {
        let depth = self.inspection.enter(self.depth)?;
        self.compound(1, depth)
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, 'l>, Stop> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'l>, Stop> {
        self.serialize_tuple_variant(name, index, variant, len)
    }
}

/// An array or object being walked.
struct Compound<'a, 'l> {
    inspection: &'a mut Inspection<'l>,
    /// The depth of the items.
    depth: usize,
    /// The path's length at the container.
    base: usize,
    index: usize,
    /// The closing bytes (`]`, `}` or `]}` / `}}` for a variant).
    close: usize,
}

impl Compound<'_, '_> {
    fn separator(&mut self) -> Result<(), Stop> {
        self.inspection.path.truncate(self.base);
        if self.index > 0 {
            self.inspection.add(1)?;
        }
        self.index += 1;
        Ok(())
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.separator()?;
        let _ = write!(self.inspection.path, "[{}]", self.index - 1);
        value.serialize(Walk {
            inspection: self.inspection,
            depth: self.depth,
        })
    }

    fn key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        self.separator()?;
        self.inspection.in_key = true;
        let result = key.serialize(Walk {
            inspection: self.inspection,
            depth: self.depth,
        });
        self.inspection.in_key = false;
        result?;
        self.inspection.add(1)
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        value.serialize(Walk {
            inspection: self.inspection,
            depth: self.depth,
        })
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Stop> {
        self.key(key)?;
        self.value(value)
    }

    fn finish(self) -> Result<(), Stop> {
        self.inspection.path.truncate(self.base);
        self.inspection.add(self.close)
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value)
    }

    fn end(self) -> Result<(), Stop> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value)
    }

    fn end(self) -> Result<(), Stop> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value)
    }

    fn end(self) -> Result<(), Stop> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value)
    }

    fn end(self) -> Result<(), Stop> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        self.key(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.value(value)
    }

    fn end(self) -> Result<(), Stop> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Stop> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Stop> {
        self.finish()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn size<T: Serialize>(value: &T) -> usize {
        inspect(value, "", 0, &Limits::new()).unwrap()
    }

    #[test]
    fn counts_the_bytes_serde_json_writes() {
        let values = [
            json!({"a": [1, -22, 3.5, 1e300, -0.0, null, true, false], "b\n\"": "x\u{1}\\é"}),
            json!([
                [[]],
                {},
                "",
                18_446_744_073_709_551_615_u64,
                -9_223_372_036_854_775_808_i64
            ]),
            json!({"nested": {"deep": [{"k": 0.1}]}}),
        ];
        for value in values {
            assert_eq!(
                size(&value),
                serde_json::to_vec(&value).unwrap().len(),
                "{value}"
            );
        }
        let map: std::collections::BTreeMap<u32, Option<f32>> =
            [(1, Some(0.1)), (22, None)].into_iter().collect();
        assert_eq!(size(&map), serde_json::to_vec(&map).unwrap().len());
    }

    #[test]
    fn names_a_non_finite_number_by_its_path() {
        let value = (json!({"a": 1}), vec![1.0, f64::NAN]);
        let violation = inspect(&value, "payload", 1, &Limits::UNSIZED).unwrap_err();
        assert_eq!(violation.path, "payload[1][1]");
        assert!(violation.message.starts_with("NaN is not a finite number"));
        let mut map = std::collections::BTreeMap::new();
        map.insert("speed", f64::INFINITY);
        let violation = inspect(&map, "payload", 1, &Limits::UNSIZED).unwrap_err();
        assert_eq!(violation.path, "payload.speed");
        assert!(violation.message.starts_with("inf is not a finite number"));
    }

    #[test]
    fn stops_at_the_size_limit_depth_and_long_strings() {
        let limits = Limits::new().with_max_envelope_bytes(1024).unwrap();
        let big = vec![0u8; 1_000_000];
        let violation = inspect(&big, "", 0, &limits).unwrap_err();
        assert_eq!(violation.path, "");
        assert!(violation.message.contains("max_envelope_bytes"));

        let limits = Limits::new().with_max_depth(2).unwrap();
        let violation = inspect(&json!({"a": {"b": [1]}}), "", 0, &limits).unwrap_err();
        assert_eq!(violation.path, "a.b");
        assert!(violation.message.contains("max_depth"));

        let limits = Limits::new().with_max_string_bytes(256).unwrap();
        let violation = inspect(&json!({"a": ["x".repeat(300)]}), "", 0, &limits).unwrap_err();
        assert_eq!(violation.path, "a[0]");
        assert!(violation.message.contains("max_string_bytes"));
    }
}
