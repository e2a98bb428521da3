//! Unit tests of the parent module.

use chrono::{DateTime, TimeZone, Utc};

use super::timestamp_len;

#[test]
fn timestamps_are_measured_as_serde_json_writes_them() {
    let base = Utc.with_ymd_and_hms(2025, 8, 26, 9, 2, 14).unwrap();
    let mut times: Vec<DateTime<Utc>> = [0, 5_000_000, 5_000, 5, 123_456_789, 999_999_999]
        .into_iter()
        .map(|nanos| base + chrono::Duration::nanoseconds(nanos))
        .collect();
    times.push(Utc::now());
    times.push(Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap());
    times.push(Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap());
    for time in times {
        assert_eq!(
            timestamp_len(&time),
            Some(serde_json::to_string(&time).unwrap().len()),
            "{time:?}"
        );
    }
    let far = Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).unwrap();
    assert_eq!(timestamp_len(&far), None);
}

/// `check` walks with an upper bound of the size first: near the limit, where the bound is
/// over it and the exact size is not, the verdict is still the exact size's.
#[cfg(feature = "novel-engine")]
#[test]
fn the_size_limit_is_applied_to_the_exact_size() {
    use crate::novel_engine::characters::CharacterDeleted;
    use crate::{Envelope, Limits};

    let limits = Limits::default().with_max_envelope_bytes(1024).unwrap();
    let envelope = |name_bytes: usize| {
        Envelope::new(
            CharacterDeleted {
                character_id: uuid::Uuid::nil(),
                name: "n".repeat(name_bytes),
                deletion_reason: "retired".into(),
                deleted_by: uuid::Uuid::nil(),
            },
            "character-service",
        )
    };
    let base = serde_json::to_string(&envelope(0)).unwrap().len();
    let fits = envelope(1024 - base);
    assert_eq!(serde_json::to_string(&fits).unwrap().len(), 1024);
    assert!(fits.check(&limits).is_ok());
    let over = envelope(1025 - base);
    let error = over.check(&limits).unwrap_err();
    assert_eq!(error.violations[0].path, "");
    assert!(
        error.violations[0]
            .message
            .contains("the limit `max_envelope_bytes`"),
        "{error}"
    );
}
