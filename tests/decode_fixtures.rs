//! The 26 hand-written Novel Engine envelopes decode into `Envelope<AnyEvent>` and into their
//! typed `Envelope<T>`, re-encode to the same JSON, and agree with the catalog's metadata.

use std::collections::BTreeSet;

use novel_events::novel_engine::{
    AnyEvent, CATALOG, campaigns, characters, interactions, narratives, orchestration, shared,
};
use novel_events::{AggregateIdInfo, Envelope, Event, EventPayload, name_based_aggregate_id};
use novel_events_tests::novel_engine_fixtures;
use serde_json::Value;
use uuid::Uuid;

/// What the tests know of one event type, without naming it.
struct Typed {
    /// The struct's name, which is the fixture's file name.
    name: &'static str,
    event_type: &'static str,
    /// Decodes and checks a fixture as this type, returns the re-encoded envelope.
    check: fn(&str, &str) -> Result<Value, String>,
}

macro_rules! typed {
    ($($module:ident :: $name:ident),* $(,)?) => {
        [$(
            Typed {
                name: stringify!($name),
                event_type: <$module::$name as Event>::EVENT_TYPE,
                check: |name, text| {
                    check_typed::<$module::$name>(name, text, |any| match any {
                        AnyEvent::$name(payload) => Some(payload),
                        _ => None,
                    })
                },
            }
        ),*]
    };
}

/// One entry per event of the catalog, in catalog order.
const TYPED: [Typed; 26] = typed![
    characters::CharacterCreated,
    characters::CharacterUpdated,
    characters::CharacterDeleted,
    characters::CharacterSkillGained,
    characters::CharacterRelationshipFormed,
    characters::CharacterPersonalityEvolved,
    narratives::StoryGenerationRequested,
    narratives::StoryGenerated,
    narratives::StoryQualityAssessed,
    narratives::PlotPointReached,
    narratives::NarrativeConflictIntroduced,
    campaigns::CampaignCreated,
    campaigns::CampaignStarted,
    campaigns::CampaignCompleted,
    campaigns::SessionStarted,
    campaigns::WorldStateChanged,
    interactions::InteractionInitiated,
    interactions::DialogueExchanged,
    interactions::ActionPerformed,
    interactions::InteractionResolved,
    orchestration::WorkflowStarted,
    orchestration::ResourceAllocated,
    orchestration::ServiceCoordinationRequired,
    shared::UserAuthenticated,
    shared::SystemHealthChanged,
    shared::DataBackupCompleted,
];

fn typed(name: &str) -> &'static Typed {
    TYPED
        .iter()
        .find(|typed| typed.name == name)
        .unwrap_or_else(|| panic!("no typed entry for fixture {name}"))
}

fn parse(name: &str, text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("{name}: not JSON: {error}"))
}

/// Decodes `text` as `Envelope<T>` and checks it against the fixture, its `AnyEvent` decoding
/// and the catalog.
fn check_typed<T: Event + PartialEq>(
    name: &str,
    text: &str,
    extract: fn(&AnyEvent) -> Option<&T>,
) -> Result<Value, String> {
    let envelope: Envelope<T> = serde_json::from_str(text).map_err(|error| error.to_string())?;
    let fixture = parse(name, text);
    assert_eq!(envelope.event_type(), T::EVENT_TYPE, "{name}");
    assert_eq!(envelope.event_type(), fixture["eventType"], "{name}");
    assert_eq!(envelope.event_version(), fixture["eventVersion"], "{name}");
    assert_eq!(
        envelope.aggregate_type(),
        fixture["aggregateType"],
        "{name}"
    );
    assert_eq!(
        envelope.aggregate_id.to_string(),
        fixture["aggregateId"].as_str().unwrap(),
        "{name}"
    );
    assert_eq!(
        envelope.payload.aggregate_id(),
        envelope.aggregate_id,
        "{name}: the payload's aggregate id differs from the envelope's"
    );
    assert_eq!(envelope.event_id.to_string(), fixture["eventId"], "{name}");
    envelope
        .payload
        .validate()
        .unwrap_or_else(|error| panic!("{name}: typed payload does not validate: {error}"));

    let any: Envelope<AnyEvent> =
        serde_json::from_str(text).unwrap_or_else(|error| panic!("{name} as AnyEvent: {error}"));
    let inner = extract(&any.payload).unwrap_or_else(|| {
        panic!(
            "{name}: AnyEvent decoded as the variant of {}",
            any.payload.info().name
        )
    });
    assert_eq!(
        inner, &envelope.payload,
        "{name}: AnyEvent and typed payloads differ"
    );
    assert_eq!(
        any.with_payload(()),
        envelope.with_payload(()),
        "{name}: headers differ"
    );

    serde_json::to_value(&envelope).map_err(|error| error.to_string())
}

/// The envelope's keys in the order of their first occurrence in `text`.
fn header_key_order(text: &str) -> Vec<&'static str> {
    const KEYS: [&str; 11] = [
        "eventId",
        "eventType",
        "eventVersion",
        "aggregateId",
        "aggregateType",
        "timestamp",
        "correlationId",
        "causationId",
        "userId",
        "payload",
        "metadata",
    ];
    let mut found: Vec<(usize, &'static str)> = KEYS
        .iter()
        .filter_map(|key| text.find(&format!("\"{key}\":")).map(|at| (at, *key)))
        .collect();
    found.sort();
    found.into_iter().map(|(_, key)| key).collect()
}

#[test]
fn the_typed_table_lists_every_catalog_event_in_order() {
    let table: Vec<(&str, &str)> = TYPED
        .iter()
        .map(|typed| (typed.name, typed.event_type))
        .collect();
    let catalog: Vec<(&str, &str)> = CATALOG
        .events
        .iter()
        .map(|event| (event.name, event.event_type))
        .collect();
    assert_eq!(table, catalog);
}

#[test]
fn the_fixture_set_covers_every_catalog_event_exactly() {
    let fixtures: BTreeSet<String> = novel_engine_fixtures()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let events: BTreeSet<String> = CATALOG
        .events
        .iter()
        .map(|event| event.name.to_owned())
        .collect();
    assert_eq!(CATALOG.events.len(), 26);
    assert_eq!(events.len(), 26, "event names are unique");
    let missing: Vec<_> = events.difference(&fixtures).collect();
    let extra: Vec<_> = fixtures.difference(&events).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "fixtures missing: {missing:?}, fixtures without an event: {extra:?}"
    );
    assert_eq!(fixtures.len(), 26);
}

#[test]
fn every_fixture_decodes_as_any_event_and_reencodes_identically() {
    for (name, text) in novel_engine_fixtures() {
        let fixture = parse(&name, &text);
        let envelope: Envelope<AnyEvent> = serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("{name} as AnyEvent: {error}"));
        // Also from an already parsed value.
        let from_value: Envelope<AnyEvent> = serde_json::from_value(fixture.clone())
            .unwrap_or_else(|error| panic!("{name} as AnyEvent from a Value: {error}"));
        assert_eq!(envelope, from_value, "{name}");

        let info = envelope.payload.info();
        assert_eq!(info.name, name, "AnyEvent variant");
        assert_eq!(envelope.event_type(), info.event_type, "{name}");
        assert_eq!(envelope.event_type(), fixture["eventType"], "{name}");
        assert_eq!(envelope.event_version(), fixture["eventVersion"], "{name}");
        assert_eq!(envelope.aggregate_type(), info.aggregate_type, "{name}");
        assert_eq!(
            envelope.aggregate_type(),
            fixture["aggregateType"],
            "{name}"
        );
        assert_eq!(
            envelope.aggregate_id.to_string(),
            fixture["aggregateId"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            envelope.payload.aggregate_id(),
            envelope.aggregate_id,
            "{name}: the payload's aggregate id differs from the envelope's"
        );
        envelope
            .payload
            .validate()
            .unwrap_or_else(|error| panic!("{name}: does not validate: {error}"));

        let reencoded = serde_json::to_value(&envelope).unwrap();
        assert_eq!(reencoded, fixture, "{name}: AnyEvent re-encoding differs");
        // Key order too: the envelope writes the specification's order, as the fixtures do.
        let reencoded_text = serde_json::to_string(&envelope).unwrap();
        assert_eq!(
            header_key_order(&reencoded_text),
            header_key_order(&text),
            "{name}: envelope keys in another order"
        );
    }
}

#[test]
fn every_fixture_decodes_as_its_typed_envelope_and_reencodes_identically() {
    for (name, text) in novel_engine_fixtures() {
        let fixture = parse(&name, &text);
        let reencoded = (typed(&name).check)(&name, &text)
            .unwrap_or_else(|error| panic!("{name} as its typed envelope: {error}"));
        assert_eq!(reencoded, fixture, "{name}: typed re-encoding differs");
    }
}

#[test]
fn the_aggregate_id_is_the_catalog_field_of_the_payload() {
    for (name, text) in novel_engine_fixtures() {
        let fixture = parse(&name, &text);
        let info = CATALOG
            .events
            .iter()
            .find(|event| event.name == name)
            .unwrap();
        let value = fixture["payload"][info.aggregate_id.field()]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no payload.{}", info.aggregate_id.field()));
        let expected = match info.aggregate_id {
            AggregateIdInfo::Field(_) => Uuid::parse_str(value).unwrap(),
            AggregateIdInfo::NameBased(_) => name_based_aggregate_id(value),
        };
        assert_eq!(
            fixture["aggregateId"].as_str().unwrap(),
            expected.to_string(),
            "{name}"
        );
    }
}

#[test]
fn a_typed_decode_of_another_event_type_names_both_types() {
    let fixtures = novel_engine_fixtures();
    for (name, text) in &fixtures {
        let own_type = typed(name).event_type;
        for other in TYPED.iter().filter(|other| other.name != name.as_str()) {
            let error = (other.check)(name, text).expect_err(&format!(
                "{name} decoded as {}, which has another eventType",
                other.name
            ));
            assert!(
                error.contains(own_type) && error.contains(other.event_type),
                "{name} as {}: the error names not both types: {error}",
                other.name
            );
        }
    }
}

#[test]
fn the_fixtures_carry_causal_links() {
    // Roots point at themselves; the other fixtures are caused by an event of their flow.
    let mut roots = 0;
    for (name, text) in novel_engine_fixtures() {
        let envelope: Envelope<AnyEvent> = serde_json::from_str(&text).unwrap();
        if envelope.is_root() {
            roots += 1;
            assert_eq!(envelope.correlation_id, envelope.event_id, "{name}");
        } else {
            assert_ne!(envelope.causation_id, envelope.event_id, "{name}");
        }
    }
    assert!(roots > 0 && roots < 26, "{roots} roots");
}
