//! Every finite f64 survives publish, store and read exactly (serde_json's `float_roundtrip`):
//! properties over encode/decode, the in-memory bus and the SQLite store.
//!
//! It lives in this crate, not in the workspace's `tests/`: there, `jsonschema` turns on
//! serde_json's `float_roundtrip` for everything, which hid that this crate did not (one
//! random f64 in ten came back one step off).

use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{CharacterCreated, CharacterType, PersonalityTraits};
use novel_events::{
    Envelope, EventAppender, EventBus, EventReader, ExpectedVersion, InMemoryBus, SqliteEventStore,
    SubscriptionOptions, on,
};
use proptest::prelude::*;
use uuid::Uuid;

fn created(traits: [f64; 5], id: u128) -> Envelope<AnyEvent> {
    let [
        openness,
        conscientiousness,
        extraversion,
        agreeableness,
        neuroticism,
    ] = traits;
    let payload = CharacterCreated {
        character_id: Uuid::from_u128(id),
        name: "Elara Voss".into(),
        r#type: CharacterType::Protagonist,
        personality_traits: PersonalityTraits {
            openness,
            conscientiousness,
            extraversion,
            agreeableness,
            neuroticism,
        },
        background: "A salvage pilot.".into(),
        configuration: [("drift".to_owned(), serde_json::json!(openness))]
            .into_iter()
            .collect(),
        created_by: Uuid::from_u128(2),
    };
    Envelope::new(payload.into(), "character-service")
}

/// Any finite f64: every bit pattern but NaN and the infinities, so subnormals, negative
/// zero, the extremes and values in [0, 1) (where 10% came back one step off before).
fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<u64>()
            .prop_map(f64::from_bits)
            .prop_filter("finite", |value| value.is_finite()),
        (0.0..1.0f64),
        Just(f64::MIN_POSITIVE),
        Just(-0.0),
        Just(f64::MAX),
        Just(f64::MIN),
        Just(5e-324),
    ]
}

fn bits(envelope: &Envelope<AnyEvent>) -> [u64; 6] {
    let AnyEvent::CharacterCreated(payload) = &envelope.payload else {
        panic!("a CharacterCreated")
    };
    let traits = &payload.personality_traits;
    [
        traits.openness.to_bits(),
        traits.conscientiousness.to_bits(),
        traits.extraversion.to_bits(),
        traits.agreeableness.to_bits(),
        traits.neuroticism.to_bits(),
        payload.configuration["drift"].as_f64().unwrap().to_bits(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn encode_decode_keeps_every_bit(traits in proptest::array::uniform5(finite())) {
        let envelope = created(traits, 1);
        let json = serde_json::to_string(&envelope).unwrap();
        let back: Envelope<AnyEvent> = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(bits(&back), bits(&envelope));
        let checked = Envelope::<AnyEvent>::from_json(json.as_bytes(), &Default::default()).unwrap();
        prop_assert_eq!(bits(&checked), bits(&envelope));
        // Written again, it is the same text: what a second reader sees is what was written.
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), json);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_bus_and_the_store_keep_every_bit(
        batch in proptest::collection::vec(proptest::array::uniform5(finite()), 1..8)
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let sent: Vec<Envelope<AnyEvent>> = batch
                .iter()
                .enumerate()
                .map(|(index, traits)| created(*traits, 100 + index as u128))
                .collect();

            // The in-memory bus hands the handler what was published.
            let bus = InMemoryBus::<AnyEvent>::new();
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
            bus.subscribe(
                SubscriptionOptions::immediate("collector"),
                on::<CharacterCreated, _, _>(move |event: Envelope<CharacterCreated>| {
                    let tx = tx.clone();
                    async move {
                        tx.send(event).ok();
                        Ok(())
                    }
                }),
            )
            .await
            .unwrap();
            for envelope in &sent {
                bus.publish(envelope.clone()).await.unwrap();
            }
            for envelope in &sent {
                let received = rx.recv().await.unwrap();
                assert_eq!(bits(&received.map(AnyEvent::from)), bits(envelope));
            }

            // The store writes JSON and reads it back.
            let store = SqliteEventStore::<AnyEvent>::open_in_memory().unwrap();
            for envelope in &sent {
                store
                    .append(envelope.aggregate_id, ExpectedVersion::Any, vec![envelope.clone()])
                    .await
                    .unwrap();
            }
            let read = store.read_all(0, 100).await.unwrap();
            assert_eq!(read.len(), sent.len());
            for (stored, envelope) in read.iter().zip(&sent) {
                assert_eq!(bits(&stored.envelope), bits(envelope));
                assert_eq!(&stored.envelope, envelope);
            }
        });
    }
}
