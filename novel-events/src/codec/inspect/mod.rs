//! What every entrance checks of a value before accepting it (publish, append, `validate`):
//! finite numbers and the [`Limits`], found by walking the value's `Serialize` without
//! writing anything.
//!
//! The walk counts the bytes the value takes as compact JSON, and stops at the first problem:
//! a size over the limit is found after reading at most that many bytes' worth of the value,
//! whatever its real size. It counts them in one of two ways ([`Count`]): exactly (serde_json's
//! output, byte for byte), or as an upper bound that costs no formatting and no scan of string
//! contents (a string as 6 bytes per byte, its longest escaped form; a float as the longest
//! one serde_json writes). Entrances walk with the bound first and walk again exactly only
//! when the bound is over the limit, so their verdict is the exact one (see
//! [`Envelope::check`](crate::Envelope::check)).

use std::fmt;

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
    inspect_after(value, path, depth, limits, 0, Count::Exact)
}

/// How a walk counts bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Count {
    /// serde_json's output, byte for byte.
    Exact,
    /// An upper bound of it, never below the exact count of any part of the value: a string
    /// counts 6 bytes per byte and its quotes (every byte escaped as `\u00XX`, the longest
    /// form), a float [`FLOAT_BOUND`] bytes. A size over the limit counted this way is no
    /// verdict: the caller walks again with [`Count::Exact`].
    Bound,
}

impl Count {
    /// The bytes of `value` written as a JSON string, counted this way.
    #[inline]
    pub(crate) fn quoted(self, value: &str) -> usize {
        Self::quoted_len(self == Count::Exact, value)
    }

    #[inline]
    fn quoted_len(exact: bool, value: &str) -> usize {
        if exact {
            json_string_len(value)
        } else {
            value.len().saturating_mul(6).saturating_add(2)
        }
    }
}

/// More bytes than serde_json writes for any `f64` (at most 24:
/// `-2.2250738585072014e-308`).
const FLOAT_BOUND: usize = 32;

/// [`inspect`] of a part of an envelope whose other parts took `spent` bytes: the size limit
/// applies to the sum, which is returned (counted as `count` says).
pub(crate) fn inspect_after<T: Serialize + ?Sized>(
    value: &T,
    path: &str,
    depth: usize,
    limits: &Limits,
    spent: usize,
    count: Count,
) -> Result<usize, Violation> {
    let mut inspection = Inspection {
        limits,
        exact: count == Count::Exact,
        count: limits.max_envelope_bytes() != usize::MAX,
        bytes: spent,
        violation: None,
        whole: false,
        segments: Vec::new(),
        in_key: false,
        key: String::new(),
    };
    match value.serialize(Walk {
        inspection: &mut inspection,
        depth,
    }) {
        Ok(()) => Ok(inspection.bytes),
        Err(Stop(message)) => {
            let message = inspection.violation.take().unwrap_or_else(|| {
                format!(
                    "cannot be serialized: {}",
                    message.as_deref().unwrap_or("unknown error")
                )
            });
            let path = if inspection.whole {
                String::new()
            } else {
                let mut path = path.to_owned();
                path.extend(inspection.segments.iter().rev().map(String::as_str));
                path.trim_start_matches('.').to_owned()
            };
            Err(Violation { path, message })
        }
    }
}

struct Inspection<'l> {
    limits: &'l Limits,
    /// Whether bytes are counted (there is a size limit).
    count: bool,
    /// Whether they are counted exactly, or as an upper bound ([`Count`]).
    exact: bool,
    bytes: usize,
    /// The first violation's message.
    violation: Option<String>,
    /// Whether the violation is the envelope's as a whole (its size): no path.
    whole: bool,
    /// The violation's path, gathered as its error rises: `.field` or `[index]`, innermost
    /// first (nothing is spent on paths while the walk finds nothing).
    segments: Vec<String>,
    /// Whether a map key is being walked (JSON quotes keys that are numbers).
    in_key: bool,
    /// The text of the last map key walked.
    key: String,
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
        self.violation.get_or_insert(message);
        Stop(None)
    }

    #[inline]
    fn add(&mut self, bytes: usize) -> Result<(), Stop> {
        if !self.count {
            return Ok(());
        }
        self.bytes = self.bytes.saturating_add(bytes);
        if self.bytes > self.limits.max_envelope_bytes() {
            self.whole = true;
            return Err(self.refuse(oversize(self.limits)));
        }
        Ok(())
    }

    #[inline]
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

    #[inline]
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
            self.key.clear();
            self.key.push_str(value);
        }
        if self.count {
            self.add(self.quoted_len(value))?;
        }
        Ok(())
    }

    /// The bytes of `value` written as a JSON string, exactly or as a bound ([`Count`]).
    #[inline]
    fn quoted_len(&self, value: &str) -> usize {
        Count::quoted_len(self.exact, value)
    }

    /// A number's bytes, quoted when it is a key.
    #[inline]
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
        self.key.clear();
        self.key.push_str("<key>");
    }

    fn float(&mut self, value: f64, width: impl FnOnce() -> usize) -> Result<(), Stop> {
        if !value.is_finite() {
            return Err(self.refuse(format!(
                "{value} is not a finite number: JSON has no NaN nor infinity (it would be written as null)"
            )));
        }
        if self.count {
            let digits = if self.exact { width() } else { FLOAT_BOUND };
            self.number(digits)?;
        } else if self.in_key {
            self.key_placeholder();
        }
        Ok(())
    }
}

/// The message of an envelope over the size limit.
pub(crate) fn oversize(limits: &Limits) -> String {
    format!(
        "the envelope is more than {} bytes as JSON, the limit `max_envelope_bytes`",
        limits.max_envelope_bytes()
    )
}

/// The length of `value` as a JSON string, quotes and escapes included (serde_json escapes
/// `"`, `\` and control characters, the common ones in two bytes, the others in six).
pub(crate) fn json_string_len(value: &str) -> usize {
    let bytes = value.as_bytes();
    // Counted without an early exit, so that the loop is vectorized: most strings have
    // nothing to escape.
    let special = bytes.iter().fold(0usize, |count, byte| {
        count + usize::from(*byte < 0x20 || *byte == b'"' || *byte == b'\\')
    });
    if special == 0 {
        return bytes.len() + 2;
    }
    2 + bytes
        .iter()
        .map(|byte| match byte {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0..=0x1f => 6,
            _ => 1,
        })
        .sum::<usize>()
}

/// The length of a formatted string, in bytes and (if `exact`) as JSON (quotes and escapes
/// included).
struct Measure {
    bytes: usize,
    json: usize,
    exact: bool,
}

impl fmt::Write for Measure {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.bytes += text.len();
        if self.exact {
            self.json += json_string_len(text) - 2;
        }
        Ok(())
    }

    /// One character at a time, as date-times are formatted: without a string.
    fn write_char(&mut self, c: char) -> fmt::Result {
        self.bytes += c.len_utf8();
        if !self.exact {
            return Ok(());
        }
        self.json += match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if u32::from(c) < 0x20 => 6,
            c => c.len_utf8(),
        };
        Ok(())
    }
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
        Ok(Compound {
            inspection: self.inspection,
            depth,
            index: 0,
            close: open,
            key: String::new(),
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

    /// Measured as it is formatted, without building the string (chrono's date-times, for
    /// one, are written this way); a key is built, to name it in the path.
    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<(), Stop> {
        if self.inspection.in_key {
            return self.inspection.string(&value.to_string());
        }
        let exact = self.inspection.exact;
        let mut measure = Measure {
            bytes: 0,
            json: 2,
            exact,
        };
        let _ = fmt::write(&mut measure, format_args!("{value}"));
        let max = self.inspection.limits.max_string_bytes();
        if measure.bytes > max {
            return Err(self.inspection.refuse(format!(
                "a string of {} bytes is longer than the limit `max_string_bytes` ({max})",
                measure.bytes
            )));
        }
        if exact {
            self.inspection.add(measure.json)
        } else {
            self.inspection
                .add(measure.bytes.saturating_mul(6).saturating_add(2))
        }
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
        self.inspection
            .add(3 + self.inspection.quoted_len(variant))?;
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
        self.inspection
            .add(3 + self.inspection.quoted_len(variant))?;
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
    index: usize,
    /// The closing bytes (`]`, `}` or `]}` / `}}` for a variant).
    close: usize,
    /// The current key of a map (struct fields are named by their static names).
    key: String,
}

impl Compound<'_, '_> {
    #[inline]
    fn separator(&mut self) -> Result<(), Stop> {
        if self.index > 0 {
            self.inspection.add(1)?;
        }
        self.index += 1;
        Ok(())
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.separator()?;
        let index = self.index - 1;
        value
            .serialize(Walk {
                inspection: self.inspection,
                depth: self.depth,
            })
            .inspect_err(|_| self.inspection.segments.push(format!("[{index}]")))
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

    /// A map's value, named by the key just walked if it fails.
    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.key.clear();
        self.key.push_str(&self.inspection.key);
        value
            .serialize(Walk {
                inspection: self.inspection,
                depth: self.depth,
            })
            .inspect_err(|_| {
                let key = super::quote::shorten(&self.key);
                self.inspection.segments.push(format!(".{key}"));
            })
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Stop> {
        self.separator()?;
        self.inspection.add(self.inspection.quoted_len(key) + 1)?;
        value
            .serialize(Walk {
                inspection: self.inspection,
                depth: self.depth,
            })
            .inspect_err(|_| self.inspection.segments.push(format!(".{key}")))
    }

    fn finish(self) -> Result<(), Stop> {
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
mod tests;
