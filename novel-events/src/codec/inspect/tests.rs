//! Unit tests of the parent module.

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
    let when = chrono::DateTime::parse_from_rfc3339("2025-08-26T09:02:14.5+02:00").unwrap();
    assert_eq!(size(&when), serde_json::to_vec(&when).unwrap().len());
    let map: std::collections::BTreeMap<u32, Option<f32>> =
        [(1, Some(0.1)), (22, None)].into_iter().collect();
    assert_eq!(size(&map), serde_json::to_vec(&map).unwrap().len());
}

#[test]
fn the_bound_is_never_below_the_exact_count() {
    let values = [
        json!({"a": [1, -22, 3.5, 1e300, -0.0, -2.2250738585072014e-308], "b\n\"": "x\u{1}\\é"}),
        json!({"nested": {"deep": [{"k": 0.1}]}, "s": "plain"}),
    ];
    for value in values {
        let exact = inspect_after(&value, "", 0, &Limits::new(), 0, Count::Exact).unwrap();
        let bound = inspect_after(&value, "", 0, &Limits::new(), 0, Count::Bound).unwrap();
        assert_eq!(exact, serde_json::to_vec(&value).unwrap().len());
        assert!(bound >= exact, "{value}: {bound} < {exact}");
    }
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
