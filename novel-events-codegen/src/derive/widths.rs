//! Whether a numeric Rust type is wide enough for a catalog `integer` or `number`.
//!
//! What the catalog promises: an `integer` is any JSON integer that fits an `i64` (the type
//! `include_catalog!` generates), narrowed by the field's `min`/`max` when declared; a `number`
//! is any finite `f64`, narrowed likewise. A Rust type must hold every value the catalog
//! allows, or a valid event would fail to decode: `u8` holds `{ type: integer, max: 200, min:
//! 0 }` but not an unbounded `integer`; `u64` holds `{ min: 0 }` but not negatives; `f32` holds
//! a `number` only when the catalog bounds it on both sides within `f32`'s finite range (its
//! values are then rounded to `f32`'s precision, about 7 significant digits).
//!
//! Primitive types written by name are checked here, at expansion, with a message naming the
//! type, the field and the bounds; other types (aliases, newtypes, and `isize`/`usize`, whose
//! width is the target's) are checked by the compiler through `HoldsInteger::RANGE` /
//! `HoldsNumber::RANGE`, against [`NumericSpec::required_integers`] and
//! [`NumericSpec::required_numbers`].

use syn::Type;

/// A numeric catalog field as the width check sees it.
pub struct NumericSpec {
    /// The field's wire name.
    pub wire: String,
    /// The event, `` `type` version ``.
    pub what: String,
    /// The declared lower bound.
    pub min: Option<f64>,
    /// The declared upper bound.
    pub max: Option<f64>,
}

impl NumericSpec {
    /// The integer range a Rust type must hold: the bounds, else `i64`'s range.
    pub fn required_integers(&self) -> (i128, i128) {
        let low = self
            .min
            .map_or(i128::from(i64::MIN), |min| min.ceil() as i128);
        let high = self
            .max
            .map_or(i128::from(i64::MAX), |max| max.floor() as i128);
        (low, high)
    }

    /// The number range a Rust type must hold: the bounds, else every finite `f64`.
    pub fn required_numbers(&self) -> (f64, f64) {
        (self.min.unwrap_or(f64::MIN), self.max.unwrap_or(f64::MAX))
    }

    /// `(integer, min 0, max 1000)`, or `(integer, no bounds: any i64)`.
    pub fn describe(&self, kind: &str) -> String {
        let any = if kind == "integer" {
            "any i64"
        } else {
            "any f64"
        };
        match (self.min, self.max) {
            (None, None) => format!("({kind}, no bounds: {any})"),
            (Some(min), None) => format!("({kind}, min {min}, no max: up to {any})"),
            (None, Some(max)) => format!("({kind}, max {max}, no min: down to {any})"),
            (Some(min), Some(max)) => format!("({kind}, min {min}, max {max})"),
        }
    }

    /// The error for a Rust type that cannot hold the field, `advice` saying what to use.
    pub fn message(&self, rust: &str, kind: &str, advice: &str) -> String {
        format!(
            "`{rust}` cannot hold `{}` of {} in the catalog {}: {advice}",
            self.wire,
            self.what,
            self.describe(kind)
        )
    }
}

/// The primitive integer types of a fixed width, with their ranges.
const INTEGERS: &[(&str, i128, i128)] = &[
    ("u8", 0, u8::MAX as i128),
    ("u16", 0, u16::MAX as i128),
    ("u32", 0, u32::MAX as i128),
    ("u64", 0, u64::MAX as i128),
    ("i8", i8::MIN as i128, i8::MAX as i128),
    ("i16", i16::MIN as i128, i16::MAX as i128),
    ("i32", i32::MIN as i128, i32::MAX as i128),
    ("i64", i64::MIN as i128, i64::MAX as i128),
    ("u128", 0, i128::MAX),
    ("i128", i128::MIN, i128::MAX),
];

/// The name of a primitive type written as a bare identifier (`u8`, `f32`), if `ty` is one.
pub fn primitive(ty: &Type) -> Option<String> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let ident = path.path.get_ident()?.to_string();
    let known = INTEGERS.iter().any(|(name, ..)| *name == ident)
        || matches!(ident.as_str(), "f32" | "f64" | "isize" | "usize");
    known.then_some(ident)
}

/// Whether the primitive integer `name` holds the field; `None` when its width depends on the
/// target (`isize`, `usize`) or it is not an integer type. On `Some(Err(..))`, the message.
pub fn check_integer(name: &str, spec: &NumericSpec) -> Option<Result<(), String>> {
    let &(_, low, high) = INTEGERS.iter().find(|(ty, ..)| *ty == name)?;
    let (need_low, need_high) = spec.required_integers();
    if low <= need_low && need_high <= high {
        return Some(Ok(()));
    }
    let unsigned = name.starts_with('u');
    let fits = INTEGERS
        .iter()
        .filter(|(ty, ..)| ty.starts_with('u') == unsigned)
        .find(|(_, low, high)| *low <= need_low && need_high <= *high)
        .or_else(|| {
            INTEGERS
                .iter()
                .find(|(_, low, high)| *low <= need_low && need_high <= *high)
        });
    let advice = match fits {
        Some((wider, ..)) if unsigned == wider.starts_with('u') => {
            format!("use `{wider}` or wider")
        }
        Some((wider, ..)) => format!("use `{wider}` (the catalog allows negative values)"),
        None => "use `i64`".to_owned(),
    };
    Some(Err(spec.message(name, "integer", &advice)))
}

/// Whether the primitive float `name` holds the field; `None` when it is not a float type.
pub fn check_number(name: &str, spec: &NumericSpec) -> Option<Result<(), String>> {
    match name {
        "f64" => Some(Ok(())),
        "f32" => {
            let (low, high) = spec.required_numbers();
            if -f64::from(f32::MAX) <= low && high <= f64::from(f32::MAX) {
                Some(Ok(()))
            } else {
                Some(Err(spec.message(
                    name,
                    "number",
                    "use `f64` (`f32` holds a catalog number only when the catalog bounds it with min and max within f32's range)",
                )))
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(min: Option<f64>, max: Option<f64>) -> NumericSpec {
        NumericSpec {
            wire: "parcels".into(),
            what: "`post.parcel.sent` 1.0.0".into(),
            min,
            max,
        }
    }

    #[test]
    fn integers_must_hold_the_bounds_or_i64() {
        let message = check_integer("u8", &spec(None, Some(1000.0)))
            .unwrap()
            .unwrap_err();
        assert_eq!(
            message,
            "`u8` cannot hold `parcels` of `post.parcel.sent` 1.0.0 in the catalog (integer, max 1000, no min: down to any i64): use `i64` (the catalog allows negative values)"
        );
        let message = check_integer("u8", &spec(Some(0.0), Some(1000.0)))
            .unwrap()
            .unwrap_err();
        assert!(message.ends_with("use `u16` or wider"), "{message}");
        assert!(
            check_integer("u8", &spec(Some(0.0), Some(255.0)))
                .unwrap()
                .is_ok()
        );
        assert!(
            check_integer("u64", &spec(Some(0.0), None))
                .unwrap()
                .is_ok()
        );
        assert!(check_integer("u64", &spec(None, None)).unwrap().is_err());
        assert!(check_integer("i64", &spec(None, None)).unwrap().is_ok());
        assert!(check_integer("i32", &spec(None, None)).unwrap().is_err());
        assert!(check_integer("usize", &spec(None, None)).is_none());
    }

    #[test]
    fn f32_needs_both_bounds_within_its_range() {
        assert!(
            check_number("f32", &spec(Some(-40.0), Some(125.0)))
                .unwrap()
                .is_ok()
        );
        assert!(
            check_number("f32", &spec(None, Some(125.0)))
                .unwrap()
                .is_err()
        );
        assert!(
            check_number("f32", &spec(Some(0.0), Some(1e300)))
                .unwrap()
                .is_err()
        );
        assert!(check_number("f64", &spec(None, None)).unwrap().is_ok());
    }
}
