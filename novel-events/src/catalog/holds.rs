//! Which Rust types can hold which catalog types.
//!
//! `#[derive(Event)]` with `catalog = "..."` asks the compiler to prove, for every field, that
//! the field's Rust type implements the trait of its catalog type, so a mismatch is a compile
//! error on the field's type.
//!
//! What the catalog promises, and so what a type must hold:
//! - an `integer` is any JSON integer within the field's `min`/`max`, or without bounds any
//!   `i64` (the type `include_catalog!` generates): `u8` holds `{ type: integer, min: 0, max:
//!   200 }`, not an unbounded `integer`, and `u64` holds `{ min: 0 }` but not negatives
//!   ([`HoldsInteger::RANGE`]);
//! - a `number` is any finite `f64` within the field's bounds: `f32` holds it only when the
//!   catalog declares both bounds within `f32`'s range ([`HoldsNumber::RANGE`]);
//! - an enum is exactly its set of strings ([`HoldsEnum::VALUES`], derived by
//!   [`EventEnum`](crate::EventEnum));
//! - a nested object (inline `fields:` or a named type) is its fields, each checked like the
//!   event's: a struct of yours stands for it through [`derive(EventObject)`](crate::EventObject),
//!   which checks it field by field and implements [`CheckedObject`]; the catalog's generated
//!   structs and JSON maps hold it too. An untyped `object` is any JSON object
//!   ([`HoldsObject`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

/// Types that hold a catalog `uuid`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold the catalog type `uuid`",
    label = "the catalog declares a `uuid` here",
    note = "use `uuid::Uuid`"
)]
pub trait HoldsUuid {}
impl HoldsUuid for uuid::Uuid {}

/// Types that hold a catalog `string`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold the catalog type `string`",
    label = "the catalog declares a `string` here",
    note = "use `String`"
)]
pub trait HoldsString {}
impl HoldsString for String {}
impl HoldsString for Box<str> {}
impl HoldsString for std::sync::Arc<str> {}
impl HoldsString for std::borrow::Cow<'static, str> {}

/// Types that hold a catalog `integer`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold the catalog type `integer`",
    label = "the catalog declares an `integer` here",
    note = "use an integer type such as `i64` or `u32`"
)]
pub trait HoldsInteger {
    /// The smallest and largest value the type holds (`u128`'s largest clamped to
    /// `i128::MAX`, far beyond any catalog integer).
    ///
    /// The derive compares it with what the catalog promises: the field's `min`/`max`, or
    /// without them, every value of an `i64` (the type `include_catalog!` generates for an
    /// `integer`). A type that holds less is a compile error naming the type, the field and the
    /// bounds: `u8` cannot hold `parcels` (integer, max 1000).
    const RANGE: (i128, i128);
}
macro_rules! holds_integers {
    ($($ty:ty),*) => { $(impl HoldsInteger for $ty {
        const RANGE: (i128, i128) = (<$ty>::MIN as i128, if <$ty>::BITS >= 128 { i128::MAX } else { <$ty>::MAX as i128 });
    })* };
}
holds_integers!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

/// Types that hold a catalog `number`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold the catalog type `number`",
    label = "the catalog declares a `number` (a float) here",
    note = "use `f64` (or `f32` when the catalog bounds the number within `f32`'s range)"
)]
pub trait HoldsNumber {
    /// The most negative and most positive finite value the type holds.
    ///
    /// The derive compares it with what the catalog promises: the field's `min`/`max`, or
    /// without them, every finite `f64`. So `f32` holds a catalog `number` only when the catalog
    /// declares both bounds within `f32`'s range; its values are then rounded to `f32`'s
    /// precision (about 7 significant digits), which the catalog accepts.
    const RANGE: (f64, f64);
}
impl HoldsNumber for f32 {
    const RANGE: (f64, f64) = (f32::MIN as f64, f32::MAX as f64);
}
impl HoldsNumber for f64 {
    const RANGE: (f64, f64) = (f64::MIN, f64::MAX);
}

/// Types that hold a catalog `boolean`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold the catalog type `boolean`",
    label = "the catalog declares a `boolean` here",
    note = "use `bool`"
)]
pub trait HoldsBoolean {}
impl HoldsBoolean for bool {}

/// Types that hold a catalog `datetime`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold the catalog type `datetime`",
    label = "the catalog declares a `datetime` here",
    note = "use `chrono::DateTime<chrono::Utc>`"
)]
pub trait HoldsDateTime {}
impl HoldsDateTime for chrono::DateTime<chrono::Utc> {}
impl HoldsDateTime for chrono::DateTime<chrono::FixedOffset> {}

/// Types that hold a catalog `object` or nested object.
///
/// For a nested object with declared fields, the derive also asks for [`CheckedObject`]: a
/// struct of yours stands for it through `#[derive(EventObject)]`, not through a bare
/// `impl HoldsObject`, whose fields nothing checks.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a catalog object",
    label = "the catalog declares an object here",
    note = "use `serde_json::Map<String, serde_json::Value>`, a map keyed by `String`, the catalog's generated struct, or your struct with `#[derive(novel_events::EventObject)]` and `#[event(object = \"Name\", catalog = \"path/to/catalog.yaml\")]`"
)]
pub trait HoldsObject {}
impl HoldsObject for serde_json::Map<String, serde_json::Value> {}
impl HoldsObject for serde_json::Value {}
impl<V> HoldsObject for HashMap<String, V> {}
impl<V> HoldsObject for BTreeMap<String, V> {}

/// Types whose fields were checked against one of the catalog's nested objects.
///
/// `#[derive(Event)]` with a catalog asks it of the type of every field whose catalog type is
/// a nested object (inline `fields:` or a named type), then compares [`OBJECT`](Self::OBJECT)
/// with the catalog's object. It is implemented by:
/// - [`derive(EventObject)`](crate::EventObject), after checking the struct field by field against
///   `#[event(object = "Money", catalog = "...")]` (names, renames, optionality, types, widths);
/// - the structs `include_catalog!` generates (their own object);
/// - JSON maps, which hold any object and claim no fields (`OBJECT` is `None`).
///
/// The unchecked escape hatch, for a type the derive cannot read: implement it yourself with
/// `const OBJECT: Option<&'static str> = None;` (and [`HoldsObject`]). Nothing then checks
/// that its fields match the catalog's; a mismatch shows only when an event fails to decode.
#[diagnostic::on_unimplemented(
    message = "the fields of `{Self}` are not checked against the catalog's nested object",
    label = "the catalog declares a nested object with fields here",
    note = "check it: put `#[derive(novel_events::EventObject)]` and `#[event(object = \"Name\", catalog = \"path/to/catalog.yaml\")]` on `{Self}` (Name: the catalog's object, as `include_catalog!` names its struct); or use the catalog's generated struct, or a `serde_json::Map<String, serde_json::Value>`",
    note = "to opt out of the check, implement `CheckedObject` with `const OBJECT: Option<&'static str> = None;` (unchecked)"
)]
pub trait CheckedObject: HoldsObject {
    /// The catalog object the fields were checked against; `None` for types that claim no
    /// fields (maps) and for the unchecked escape hatch.
    const OBJECT: Option<&'static str>;
}
#[diagnostic::do_not_recommend]
impl<T: crate::codec::FromMap + HoldsObject> CheckedObject for T {
    const OBJECT: Option<&'static str> = Some(T::NAME);
}
impl CheckedObject for serde_json::Map<String, serde_json::Value> {
    const OBJECT: Option<&'static str> = None;
}
impl CheckedObject for serde_json::Value {
    const OBJECT: Option<&'static str> = None;
}
impl<V> CheckedObject for HashMap<String, V> {
    const OBJECT: Option<&'static str> = None;
}
impl<V> CheckedObject for BTreeMap<String, V> {
    const OBJECT: Option<&'static str> = None;
}

/// Types that hold a catalog array `[T]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a catalog array",
    label = "the catalog declares an array here",
    note = "use `Vec<T>`"
)]
pub trait HoldsArray {
    /// The item type.
    type Item;
}
impl<T> HoldsArray for Vec<T> {
    type Item = T;
}
impl<T> HoldsArray for VecDeque<T> {
    type Item = T;
}
impl<T> HoldsArray for HashSet<T> {
    type Item = T;
}
impl<T> HoldsArray for BTreeSet<T> {
    type Item = T;
}
impl<T> HoldsArray for Box<[T]> {
    type Item = T;
}

/// Enums that hold a catalog string enum: `VALUES` are the strings the enum reads and writes.
///
/// Implemented by every enum a catalog generates, and by `#[derive(EventEnum)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a catalog enum",
    label = "the catalog declares a string enum here",
    note = "use the catalog's generated enum, or `#[derive(novel_events::EventEnum)]` on your enum"
)]
pub trait HoldsEnum {
    /// The values on the wire.
    const VALUES: &'static [&'static str];
}

/// Compile-time check that an enum reads exactly the catalog's values, in any order.
///
/// Panics (a compile error in a `const`) with `message` when they differ.
pub const fn assert_same_values(actual: &[&str], expected: &[&str], message: &'static str) {
    if !(contains_all(actual, expected) && contains_all(expected, actual)) {
        panic!("{}", message);
    }
}

const fn contains_all(haystack: &[&str], needles: &[&str]) -> bool {
    let mut i = 0;
    while i < needles.len() {
        let mut found = false;
        let mut j = 0;
        while j < haystack.len() {
            if str_eq(haystack[j], needles[i]) {
                found = true;
            }
            j += 1;
        }
        if !found {
            return false;
        }
        i += 1;
    }
    true
}

pub(crate) const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Asks the compiler for `T: HoldsUuid`.
pub const fn uuid<T: HoldsUuid + ?Sized>() {}
/// Asks the compiler for `T: HoldsString`.
pub const fn string<T: HoldsString + ?Sized>() {}
/// Asks the compiler for `T: HoldsInteger`.
pub const fn integer<T: HoldsInteger + ?Sized>() {}
/// Asks the compiler for `T: HoldsNumber`.
pub const fn number<T: HoldsNumber + ?Sized>() {}
/// Asks the compiler for `T: HoldsBoolean`.
pub const fn boolean<T: HoldsBoolean + ?Sized>() {}
/// Asks the compiler for `T: HoldsDateTime`.
pub const fn datetime<T: HoldsDateTime + ?Sized>() {}
/// Asks the compiler for `T: HoldsObject`.
pub const fn object<T: HoldsObject + ?Sized>() {}
/// Asks the compiler for `T: HoldsArray`.
pub const fn array<T: HoldsArray + ?Sized>() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_values_in_any_order() {
        assert!(contains_all(&["a", "b"], &["b", "a"]));
        assert!(!contains_all(&["a"], &["a", "b"]));
        assert!(str_eq("sci-fi", "sci-fi"));
        assert!(!str_eq("sci-fi", "scifi"));
        assert_same_values(&["a", "b"], &["b", "a"], "unreachable");
    }
}
