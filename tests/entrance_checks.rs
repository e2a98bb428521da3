//! What every entrance refuses: non-finite numbers (at `validate`, `publish`, `append` and the
//! decoder, for generated, derived and hand-written payloads), envelopes over the [`Limits`],
//! and subscription options out of range.

use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{CharacterCreated, CharacterType, PersonalityTraits};
use novel_events::store::check_append_with;
use novel_events::{
    Envelope, Event, EventAppender, EventBus, EventPayload, ExpectedVersion, InMemoryBus, Limits,
    PublishError, SqliteEventStore, StoreError, SubscribeError, SubscriptionOptions, on,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

fn created(openness: f64) -> CharacterCreated {
    CharacterCreated {
        character_id: Uuid::from_u128(1),
        name: "Elara Voss".into(),
        r#type: CharacterType::Protagonist,
        personality_traits: PersonalityTraits {
            openness,
            conscientiousness: 0.47,
            extraversion: 0.35,
            agreeableness: 0.58,
            neuroticism: 0.61,
        },
        background: "A salvage pilot.".into(),
        configuration: Default::default(),
        created_by: Uuid::from_u128(2),
    }
}

/// A payload of our own, derived without a catalog: its `validate` is the default one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "lab.probe.measured", version = "1.0.0", aggregate = "Probe")]
struct Measured {
    #[event(aggregate_id)]
    probe_id: Uuid,
    value: f64,
}

const NON_FINITE: [f64; 3] = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY];

#[test]
fn validate_refuses_non_finite_numbers_by_path() {
    for value in NON_FINITE {
        let error = created(value).validate().unwrap_err();
        assert_eq!(error.violations.len(), 1, "{error}");
        assert_eq!(
            error.violations[0].path,
            "payload.personalityTraits.openness"
        );
        assert!(
            error.violations[0].message.contains("not a finite number"),
            "{error}"
        );
        let error = Measured {
            probe_id: Uuid::nil(),
            value,
        }
        .validate()
        .unwrap_err();
        assert_eq!(error.violations[0].path, "payload.value");
    }
    assert!(created(0.5).validate().is_ok());
    assert!(created(f64::MAX).validate().is_ok());
}

#[tokio::test]
async fn publish_refuses_non_finite_numbers() {
    let bus = InMemoryBus::<AnyEvent>::new();
    for value in NON_FINITE {
        let error = bus
            .publish(Envelope::new(created(value).into(), "character-service"))
            .await
            .unwrap_err();
        match &error {
            PublishError::Invalid { source, .. } => {
                assert_eq!(
                    source.violations[0].path,
                    "payload.personalityTraits.openness"
                );
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
    }
    let derived = InMemoryBus::<Measured>::new();
    let error = derived
        .publish(Envelope::new(
            Measured {
                probe_id: Uuid::nil(),
                value: f64::NAN,
            },
            "lab",
        ))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("payload.value"), "{error}");
}

#[tokio::test]
async fn append_refuses_non_finite_numbers_and_stores_nothing() {
    let store = SqliteEventStore::<AnyEvent>::open_in_memory().unwrap();
    let envelope: Envelope<AnyEvent> = Envelope::new(created(f64::NAN).into(), "character-service");
    let error = store
        .append(
            envelope.aggregate_id,
            ExpectedVersion::Any,
            vec![envelope.clone()],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::Invalid { source, .. }
            if source.violations[0].path == "payload.personalityTraits.openness"),
        "{error}"
    );
    use novel_events::EventReader;
    assert!(store.read_all(0, 10).await.unwrap().is_empty());
}

#[test]
fn the_decoder_refuses_what_json_cannot_hold() {
    // NaN is not JSON; a float out of f64's range is refused as such.
    let good = serde_json::to_string(&Envelope::new(
        Measured {
            probe_id: Uuid::nil(),
            value: 1.5,
        },
        "lab",
    ))
    .unwrap();
    for wrong in ["NaN", "Infinity", "1e400", "-1e400", "null"] {
        let json = good.replace("\"value\":1.5", &format!("\"value\":{wrong}"));
        let error = serde_json::from_str::<Envelope<Measured>>(&json).unwrap_err();
        let message = error.to_string();
        assert!(
            error.is_syntax()
                || message.contains("number out of range")
                || message.contains("invalid type: null")
                || message.contains("expected value"),
            "{wrong}: {error}"
        );
    }
}

#[tokio::test]
async fn publish_enforces_the_bus_limits() {
    let mut payload = created(0.5);
    payload.background = "b".repeat(300_000);
    let envelope: Envelope<AnyEvent> = Envelope::new(payload.into(), "character-service");
    // The default string limit is 256 KiB.
    let bus = InMemoryBus::<AnyEvent>::new();
    let error = bus.publish(envelope.clone()).await.unwrap_err();
    assert!(
        error.to_string().contains(
            "payload.background: a string of 300000 bytes is longer than the limit `max_string_bytes` (262144)"
        ),
        "{error}"
    );
    // Raised limits take it.
    let limits = Limits::default().with_max_string_bytes(1 << 20).unwrap();
    let bus = InMemoryBus::<AnyEvent>::new().with_limits(limits);
    assert_eq!(bus.limits(), limits);
    bus.publish(envelope).await.unwrap();

    // The size of the whole envelope.
    let mut payload = created(0.5);
    payload.configuration = (0..100_000)
        .map(|index| (format!("key{index}"), serde_json::json!(index)))
        .collect();
    let envelope: Envelope<AnyEvent> = Envelope::new(payload.into(), "character-service");
    let error = InMemoryBus::<AnyEvent>::new()
        .publish(envelope)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("max_envelope_bytes"), "{error}");
}

#[tokio::test]
async fn append_enforces_the_limits() {
    // Five strings of 250 KB, each within the string limit: over 1 MiB together.
    let mut payload = created(0.5);
    payload.configuration = (0..5)
        .map(|index| {
            (
                format!("part{index}"),
                serde_json::json!("b".repeat(250_000)),
            )
        })
        .collect();
    let envelope: Envelope<AnyEvent> = Envelope::new(payload.into(), "character-service");
    let store = SqliteEventStore::<AnyEvent>::open_in_memory().unwrap();
    let error = store
        .append(
            envelope.aggregate_id,
            ExpectedVersion::Any,
            vec![envelope.clone()],
        )
        .await
        .unwrap_err();
    assert!(error.to_string().contains("max_envelope_bytes"), "{error}");
    let limits = Limits::default().with_max_envelope_bytes(4 << 20).unwrap();
    assert!(check_append_with(envelope.aggregate_id, &[envelope], &limits).is_ok());
}

#[test]
fn envelope_check_measures_exactly_what_is_written() {
    for (name, text) in novel_events_tests::novel_engine_fixtures() {
        let mut envelope: Envelope<AnyEvent> = serde_json::from_str(&text).unwrap();
        // At least the smallest size limit.
        envelope.metadata.source.push_str(&"s".repeat(1000));
        let size = serde_json::to_vec(&envelope).unwrap().len();
        let exact = Limits::default().with_max_envelope_bytes(size).unwrap();
        assert!(envelope.check(&exact).is_ok(), "{name}");
        let under = Limits::default().with_max_envelope_bytes(size - 1).unwrap();
        let error = envelope.check(&under).unwrap_err();
        assert!(
            error.to_string().contains("max_envelope_bytes"),
            "{name}: {error}"
        );
    }
}

#[tokio::test]
async fn subscription_options_out_of_range_are_refused() {
    let bus = InMemoryBus::<AnyEvent>::new();
    let handler = || on::<CharacterCreated, _, _>(|_: Envelope<CharacterCreated>| async { Ok(()) });
    for (options, expected) in [
        (
            SubscriptionOptions::asynchronous("a").with_queue(1, usize::MAX),
            "queue_capacity",
        ),
        (
            SubscriptionOptions::asynchronous("b").with_queue(1 << 62, 1),
            "workers",
        ),
        (
            SubscriptionOptions::asynchronous("c").with_queue(1_000_000, 1),
            "workers",
        ),
        (
            SubscriptionOptions::asynchronous("d").with_queue(0, 1),
            "workers",
        ),
        (
            SubscriptionOptions::batch("e", 10, std::time::Duration::from_millis(5))
                .with_queue(1, 1 << 61),
            "queue_capacity",
        ),
        (
            // A NaN jitter made `Duration::mul_f64` panic in the worker at the first retry.
            SubscriptionOptions::asynchronous("f")
                .with_retry(novel_events::RetryPolicy::default().with_jitter(f64::NAN)),
            "retry.jitter",
        ),
    ] {
        let name = options.name.clone();
        let error = bus.subscribe(options, handler()).await.unwrap_err();
        assert!(
            matches!(&error, SubscribeError::InvalidOptions { name: n, reason } if *n == name && reason.starts_with(expected)),
            "{error}"
        );
    }
    bus.subscribe(
        SubscriptionOptions::asynchronous("fine").with_queue(4, 4096),
        handler(),
    )
    .await
    .unwrap();
}
