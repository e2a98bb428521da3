//! Numeric bounds and the validation of a payload before publishing.

use crate::validation::{ValidationError, Violation};

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

pub(super) fn bounds_message(value: f64, min: Option<f64>, max: Option<f64>) -> Option<String> {
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

/// Runs [`Validate`] from the payload's root, then refuses a non-finite number anywhere in the
/// payload (see [`finite_numbers`]).
pub fn validate_payload<T: Validate + serde::Serialize>(
    payload: &T,
) -> Result<(), ValidationError> {
    let mut violations = Vec::new();
    payload.validate_into("payload", &mut violations);
    if let Err(violation) = finite_numbers(payload)
        && !violations.iter().any(|known| known.path == violation.path)
    {
        violations.push(violation);
    }
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ValidationError { violations })
    }
}

/// Refuses NaN and the infinities anywhere in a payload (JSON has neither: serde_json would
/// write `null`, which no reader takes back), naming the first by its path
/// (`payload.changes.speed`).
pub fn finite_numbers<T: serde::Serialize + ?Sized>(payload: &T) -> Result<(), Violation> {
    if NUMBERS_CHECKED.with(std::cell::Cell::get) {
        return Ok(());
    }
    super::inspect::inspect(payload, "payload", 1, &super::limits::Limits::UNSIZED).map(|_| ())
}

thread_local! {
    /// Set while [`Envelope::check`](crate::Envelope::check), which has just found every
    /// number of the envelope finite, runs the payload's `validate`: [`finite_numbers`] then
    /// does not walk the payload a second time.
    static NUMBERS_CHECKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `validate` with [`finite_numbers`] skipped (the caller checked the numbers already);
/// the flag is restored even if `validate` panics.
pub(crate) fn numbers_checked<R>(validate: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            NUMBERS_CHECKED.with(|flag| flag.set(self.0));
        }
    }
    let _restore = Restore(NUMBERS_CHECKED.with(|flag| flag.replace(true)));
    validate()
}

#[cfg(test)]
mod tests {
    use super::*;

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
