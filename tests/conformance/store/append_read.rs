//! Appending and reading back: every fixture, batches numbered in order.

use std::collections::HashMap;

use novel_events::{AppendOutcome, ExpectedVersion};
use uuid::Uuid;

use super::Store;
use super::events::*;
use super::store_calls::*;

// Appending and reading.

/// Every hand-written fixture goes in and comes back equal, by every read, and encodes to
/// the fixture's JSON again.
pub async fn append_and_read_back_equal_envelopes<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    let fixtures = fixtures();
    assert_eq!(fixtures.len(), 26, "the 26 Novel Engine fixtures");
    let mut stream_versions: HashMap<Uuid, u64> = HashMap::new();
    for (index, (envelope, _)) in fixtures.iter().enumerate() {
        let version = stream_versions.entry(envelope.aggregate_id).or_default();
        *version += 1;
        let outcome = append(&store, vec![envelope.clone()]).await;
        assert_eq!(
            outcome,
            AppendOutcome::Appended {
                stream_version: *version,
                position: index as u64 + 1
            },
            "appending {}",
            envelope.event_type()
        );
    }

    let all = everything(&store).await;
    assert_eq!(positions(&all), (1..=26).collect::<Vec<u64>>());
    for (stored, (envelope, json)) in all.iter().zip(&fixtures) {
        assert_eq!(
            &stored.envelope,
            envelope,
            "read_all of {}",
            envelope.event_type()
        );
        assert_eq!(
            &serde_json::to_value(&stored.envelope).expect("envelopes encode"),
            json,
            "{} read back encodes to its fixture",
            envelope.event_type()
        );
        let one = store
            .read_event(envelope.event_id)
            .await
            .expect("read_event")
            .unwrap_or_else(|| panic!("{} is stored", envelope.event_id));
        assert_eq!(&one, stored, "read_event of {}", envelope.event_type());
    }
    for (aggregate, count) in &stream_versions {
        let stream = store.read_stream(*aggregate, 1).await.expect("read_stream");
        assert_eq!(versions(&stream), (1..=*count).collect::<Vec<u64>>());
        let expected: Vec<Env> = fixtures
            .iter()
            .map(|(envelope, _)| envelope)
            .filter(|envelope| envelope.aggregate_id == *aggregate)
            .cloned()
            .collect();
        assert_eq!(envelopes(&stream), expected, "stream of {aggregate}");
    }
    // Campaign 4f5e6d7c has CampaignCreated, CampaignStarted, SessionStarted and
    // WorldStateChanged among the fixtures.
    assert!(stream_versions.values().any(|count| *count >= 4));
}

/// One append of several events gives them consecutive versions and positions.
pub async fn a_batch_is_numbered_in_order<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    let character = Uuid::new_v4();
    let batch = vec![
        root(created(character, "Mira")),
        root(skill(character, 1)),
        root(skill(character, 2)),
    ];
    let outcome = store
        .append(character, ExpectedVersion::NoStream, batch.clone())
        .await
        .expect("append");
    assert_eq!(
        outcome,
        AppendOutcome::Appended {
            stream_version: 3,
            position: 3
        }
    );
    let more = vec![root(skill(character, 3)), root(deleted(character))];
    let outcome = store
        .append(character, ExpectedVersion::Exactly(3), more.clone())
        .await
        .expect("append");
    assert_eq!(
        outcome,
        AppendOutcome::Appended {
            stream_version: 5,
            position: 5
        }
    );
    let stream = store.read_stream(character, 1).await.expect("read_stream");
    assert_eq!(versions(&stream), [1, 2, 3, 4, 5]);
    assert_eq!(positions(&stream), [1, 2, 3, 4, 5]);
    assert_eq!(envelopes(&stream), [batch, more].concat());
}
