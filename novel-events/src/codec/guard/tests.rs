//! The guard's unit tests.
use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde::de::value::{Error as ValueError, F64Deserializer};

use super::*;

fn read<T: for<'de> Deserialize<'de>>(
    json: &str,
    limits: Limits,
) -> Result<T, (String, Option<String>)> {
    let state = GuardState::new(limits);
    let mut deserializer = serde_json::Deserializer::from_str(json);
    T::deserialize(Guard {
        inner: &mut deserializer,
        state: &state,
        depth: 0,
    })
    .map_err(|error| (error.to_string(), state.violation()))
}

#[test]
fn refuses_duplicate_keys_at_any_depth_with_their_path() {
    let (_, violation) =
        read::<serde_json::Value>(r#"{"a":{"b":[{"c":1,"c":2}]}}"#, Limits::new()).unwrap_err();
    assert_eq!(
        violation.unwrap(),
        "a.b[0]: duplicate field `c`: a key may appear once in an object"
    );
    // Escaped spellings of one key are one key.
    let (_, violation) =
        read::<serde_json::Value>(r#"{"ab":1,"a\u0062":2}"#, Limits::new()).unwrap_err();
    assert!(violation.unwrap().starts_with("duplicate field `ab`"));
    assert!(read::<serde_json::Value>(r#"{"a":{"c":1},"b":{"c":2}}"#, Limits::new()).is_ok());
}

#[test]
fn large_objects_find_duplicates_too() {
    let mut json: Vec<String> = (0..100).map(|i| format!("\"k{i}\":{i}")).collect();
    assert!(read::<serde_json::Value>(&format!("{{{}}}", json.join(",")), Limits::new()).is_ok());
    json.push("\"k3\":0".to_owned());
    let (_, violation) =
        read::<serde_json::Value>(&format!("{{{}}}", json.join(",")), Limits::new()).unwrap_err();
    assert!(violation.unwrap().starts_with("duplicate field `k3`"));
}

#[test]
fn ignored_values_are_checked() {
    let (_, violation) =
        read::<serde::de::IgnoredAny>(r#"{"x":{"y":1,"y":1}}"#, Limits::new()).unwrap_err();
    assert!(violation.unwrap().starts_with("x: duplicate field `y`"));
    // serde_json skips 1e400 without reading it; the guard reads it.
    let (message, _) =
        read::<serde::de::IgnoredAny>(r#"{"x":[1e400]}"#, Limits::new()).unwrap_err();
    assert!(message.contains("number out of range"), "{message}");
}

#[test]
fn enforces_depth_and_string_limits() {
    let limits = Limits::new().with_max_depth(3).unwrap();
    assert!(read::<serde_json::Value>("[[[1]]]", limits).is_ok());
    let (message, violation) = read::<serde_json::Value>("[[[[1]]]]", limits).unwrap_err();
    assert_eq!(
        violation.unwrap(),
        "[0][0][0]: nested deeper than the limit `max_depth` (3 levels of arrays and objects)"
    );
    assert!(message.contains("max_depth"));

    let limits = Limits::new().with_max_string_bytes(256).unwrap();
    let long = "x".repeat(257);
    let (_, violation) =
        read::<serde_json::Value>(&format!(r#"{{"a":["{long}"]}}"#), limits).unwrap_err();
    assert_eq!(
        violation.unwrap(),
        "a[0]: a string of 257 bytes is longer than the limit `max_string_bytes` (256)"
    );
    let (_, violation) =
        read::<serde_json::Value>(&format!(r#"{{"{long}":1}}"#), limits).unwrap_err();
    assert!(violation.unwrap().starts_with("a key of 257 bytes"));
}

#[test]
fn refuses_non_finite_numbers() {
    let state = GuardState::new(Limits::new());
    let inner: F64Deserializer<ValueError> = f64::NAN.into_deserializer();
    let error = f64::deserialize(Guard {
        inner,
        state: &state,
        depth: 0,
    })
    .unwrap_err();
    assert!(
        error.to_string().contains("NaN is not a finite number"),
        "{error}"
    );
}

#[test]
fn long_quotes_of_the_input_are_shortened() {
    let long = "y".repeat(100_000);
    let (message, _) = read::<u64>(&format!("\"{long}\""), Limits::UNSIZED).unwrap_err();
    assert!(message.len() < 300, "{message}");
    assert!(message.contains("…"), "{message}");
}
