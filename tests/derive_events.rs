//! `#[derive(Event)]` structs written by hand for Novel Engine events, checked against
//! `../novel-events/catalog/novel-engine.yaml` at compile time, behave at run time like the catalog's
//! generated types (`novel_events::novel_engine::...`): same JSON for the same data, same
//! constants, same validation; they decode the hand-written fixtures, round-trip through
//! `Envelope<T>` and through a `#[derive(EventSet)]` enum, which refuses events it does not hold.

use novel_events::novel_engine::{AnyEvent, HealthStatus, characters, narratives, shared};
use novel_events::{Envelope, Event, EventPayload, name_based_aggregate_id};
use novel_events_tests::novel_engine_fixture;
use serde_json::{Value, json};
use uuid::Uuid;

/// The hand-written payload types. No doc comments on the event structs: a doc comment would
/// become `DESCRIPTION` instead of the catalog's description.
mod derived {
    use chrono::{DateTime, Utc};
    use novel_events::EventObject;
    use novel_events::novel_engine::characters::{PersonalityTraits, RelationshipType};
    use novel_events::novel_engine::narratives::{StoryLength, StoryTone};
    use novel_events::novel_engine::shared::BackupType;
    use novel_events::{Event, EventEnum};
    use serde::{Deserialize, Serialize};
    use serde_json::{Map, Value};
    use uuid::Uuid;

    // The catalog's `type` enum, with the variants in another order and its own names.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, EventEnum)]
    #[serde(rename_all = "lowercase")]
    pub enum Role {
        Narrator,
        Npc,
        Antagonist,
        Protagonist,
    }

    // The catalog's nested `personalityTraits` object, as a struct of our own, checked field by
    // field against the catalog's `PersonalityTraits`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, EventObject)]
    #[event(
        object = "PersonalityTraits",
        catalog = "../novel-events/catalog/novel-engine.yaml"
    )]
    pub struct Traits {
        pub openness: f64,
        pub conscientiousness: f64,
        pub extraversion: f64,
        pub agreeableness: f64,
        pub neuroticism: f64,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Event)]
    #[serde(rename_all = "camelCase")]
    #[event(
        type = "characters.character.created",
        version = "1.0.0",
        catalog = "../novel-events/catalog/novel-engine.yaml"
    )]
    pub struct CharacterCreated {
        pub character_id: Uuid,
        pub name: String,
        #[serde(rename = "type")]
        pub role: Role,
        pub personality_traits: Traits,
        pub background: String,
        pub configuration: Map<String, Value>,
        pub created_by: Uuid,
    }

    // The same event with the catalog's generated nested struct.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Event)]
    #[serde(rename_all = "camelCase")]
    #[event(
        type = "characters.character.created",
        version = "1.0.0",
        catalog = "../novel-events/catalog/novel-engine.yaml"
    )]
    pub struct CharacterCreatedWithGeneratedTraits {
        pub character_id: Uuid,
        pub name: String,
        pub r#type: Role,
        pub personality_traits: PersonalityTraits,
        pub background: String,
        pub configuration: Map<String, Value>,
        pub created_by: Uuid,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, EventEnum)]
    #[serde(rename_all = "kebab-case")]
    pub enum Genre {
        Comedy,
        Drama,
        SciFi,
        Adventure,
        Horror,
        Romance,
        Mystery,
        Fantasy,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Event)]
    #[serde(rename_all = "camelCase")]
    #[event(
        type = "narratives.story.generation-requested",
        version = "1.0.0",
        catalog = "../novel-events/catalog/novel-engine.yaml"
    )]
    pub struct StoryGenerationRequested {
        pub story_id: Uuid,
        pub title: String,
        pub genre: Genre,
        pub themes: Vec<String>,
        pub characters: Vec<Uuid>,
        pub length: StoryLength,
        pub tone: StoryTone,
        pub configuration: Map<String, Value>,
        pub requested_by: Uuid,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Event)]
    #[serde(rename_all = "camelCase")]
    #[event(
        type = "shared.data.backup-completed",
        version = "1.0.0",
        catalog = "../novel-events/catalog/novel-engine.yaml"
    )]
    pub struct DataBackupCompleted {
        pub backup_id: Uuid,
        pub backup_type: BackupType,
        pub data_size: i64,
        pub duration: f64,
        pub success: bool,
        pub location: String,
        pub timestamp: DateTime<Utc>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Event)]
    #[serde(rename_all = "camelCase")]
    #[event(
        type = "characters.character.relationship-formed",
        version = "1.0.0",
        catalog = "../novel-events/catalog/novel-engine.yaml"
    )]
    pub struct CharacterRelationshipFormed {
        pub character_id: Uuid,
        pub related_character_id: Uuid,
        pub relationship_type: RelationshipType,
        pub relationship_strength: f64,
        pub context: String,
        pub formation_event: String,
    }

    // A name-based aggregate id (`aggregateId: { uuidV5Of: component }`), from the catalog.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Event)]
    #[serde(rename_all = "camelCase")]
    #[event(
        type = "shared.system.health-changed",
        version = "1.0.0",
        catalog = "../novel-events/catalog/novel-engine.yaml"
    )]
    pub struct SystemHealthChanged {
        pub component: String,
        pub previous_health: super::HealthStatus,
        pub current_health: super::HealthStatus,
        pub details: Map<String, Value>,
        pub timestamp: DateTime<Utc>,
    }
}

/// The derived events, decoded from envelopes like the catalog's `AnyEvent`.
#[derive(Debug, Clone, PartialEq, novel_events::EventSet)]
enum DerivedEvents {
    CharacterCreated(derived::CharacterCreated),
    StoryGenerationRequested(derived::StoryGenerationRequested),
    DataBackupCompleted(derived::DataBackupCompleted),
    CharacterRelationshipFormed(derived::CharacterRelationshipFormed),
    SystemHealthChanged(derived::SystemHealthChanged),
}

/// The fixture of `name` decoded as `Envelope<T>`.
fn decode<T: EventPayload>(name: &str) -> Envelope<T>
where
    Envelope<T>: serde::de::DeserializeOwned,
{
    serde_json::from_value(novel_engine_fixture(name))
        .unwrap_or_else(|error| panic!("{name} as {}: {error}", std::any::type_name::<T>()))
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("serializes")
}

/// Decodes the fixture `name` as the derived `D` and the generated `G`: both re-encode to the
/// fixture, and agree on the aggregate id.
fn check_fixture<D, G>(name: &str)
where
    D: Event + PartialEq,
    G: Event,
{
    let fixture = novel_engine_fixture(name);
    let derived: Envelope<D> = decode(name);
    let generated: Envelope<G> = decode(name);
    assert_eq!(to_json(&derived), fixture, "{name}: derived re-encoding");
    assert_eq!(
        to_json(&derived.payload),
        to_json(&generated.payload),
        "{name}"
    );
    assert_eq!(
        derived.aggregate_id,
        derived.payload.aggregate_id(),
        "{name}"
    );
    assert_eq!(
        derived.payload.aggregate_id(),
        generated.payload.aggregate_id(),
        "{name}"
    );
    assert_eq!(derived.payload.validate(), Ok(()), "{name}");

    // Round trip through text.
    let text = serde_json::to_string(&derived).unwrap();
    let back: Envelope<D> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, derived, "{name}: round trip");
}

#[test]
fn fixtures_decode_into_derived_types_like_generated_ones() {
    check_fixture::<derived::CharacterCreated, characters::CharacterCreated>("CharacterCreated");
    check_fixture::<derived::CharacterCreatedWithGeneratedTraits, characters::CharacterCreated>(
        "CharacterCreated",
    );
    check_fixture::<derived::StoryGenerationRequested, narratives::StoryGenerationRequested>(
        "StoryGenerationRequested",
    );
    check_fixture::<derived::DataBackupCompleted, shared::DataBackupCompleted>(
        "DataBackupCompleted",
    );
    check_fixture::<derived::CharacterRelationshipFormed, characters::CharacterRelationshipFormed>(
        "CharacterRelationshipFormed",
    );
    check_fixture::<derived::SystemHealthChanged, shared::SystemHealthChanged>(
        "SystemHealthChanged",
    );
}

#[test]
fn fixture_values_land_in_derived_fields() {
    let created: Envelope<derived::CharacterCreated> = decode("CharacterCreated");
    assert_eq!(created.payload.role, derived::Role::Protagonist);
    assert_eq!(created.payload.personality_traits.openness, 0.82);
    assert_eq!(created.payload.configuration["startingCredits"], 1200);

    let requested: Envelope<derived::StoryGenerationRequested> = decode("StoryGenerationRequested");
    assert_eq!(requested.payload.genre, derived::Genre::SciFi);
    assert_eq!(requested.payload.length, narratives::StoryLength::Medium);
    assert_eq!(requested.payload.characters.len(), 3);

    let backup: Envelope<derived::DataBackupCompleted> = decode("DataBackupCompleted");
    assert_eq!(backup.payload.data_size, 1_932_735_283);
    assert_eq!(backup.payload.backup_type, shared::BackupType::Incremental);

    let health: Envelope<derived::SystemHealthChanged> = decode("SystemHealthChanged");
    assert_eq!(
        health.aggregate_id,
        name_based_aggregate_id(&health.payload.component)
    );
}

/// Test data: a character, and the same character as the catalog's generated type.
fn character_created() -> (derived::CharacterCreated, characters::CharacterCreated) {
    let configuration = json!({ "voice": "dry", "startingCredits": 1200 });
    let configuration = configuration.as_object().unwrap().clone();
    let derived = derived::CharacterCreated {
        character_id: Uuid::from_u128(0x6b1f),
        name: "Elara Voss".into(),
        role: derived::Role::Npc,
        personality_traits: derived::Traits {
            openness: 0.8,
            conscientiousness: 0.4,
            extraversion: 0.3,
            agreeableness: 0.5,
            neuroticism: 0.6,
        },
        background: "A salvage pilot.".into(),
        configuration: configuration.clone(),
        created_by: Uuid::from_u128(0x3f2a),
    };
    let generated = characters::CharacterCreated {
        character_id: Uuid::from_u128(0x6b1f),
        name: "Elara Voss".into(),
        r#type: characters::CharacterType::Npc,
        personality_traits: characters::PersonalityTraits {
            openness: 0.8,
            conscientiousness: 0.4,
            extraversion: 0.3,
            agreeableness: 0.5,
            neuroticism: 0.6,
        },
        background: "A salvage pilot.".into(),
        configuration,
        created_by: Uuid::from_u128(0x3f2a),
    };
    (derived, generated)
}

fn story_generation_requested() -> (
    derived::StoryGenerationRequested,
    narratives::StoryGenerationRequested,
) {
    let derived = derived::StoryGenerationRequested {
        story_id: Uuid::from_u128(0x2e3f),
        title: "Echoes".into(),
        genre: derived::Genre::SciFi,
        themes: vec!["grief".into(), "found family".into()],
        characters: vec![Uuid::from_u128(1), Uuid::from_u128(2)],
        length: narratives::StoryLength::Long,
        tone: narratives::StoryTone::Mysterious,
        configuration: serde_json::Map::new(),
        requested_by: Uuid::from_u128(0x3f2a),
    };
    let generated = narratives::StoryGenerationRequested {
        story_id: Uuid::from_u128(0x2e3f),
        title: "Echoes".into(),
        genre: narratives::Genre::SciFi,
        themes: vec!["grief".into(), "found family".into()],
        characters: vec![Uuid::from_u128(1), Uuid::from_u128(2)],
        length: narratives::StoryLength::Long,
        tone: narratives::StoryTone::Mysterious,
        configuration: serde_json::Map::new(),
        requested_by: Uuid::from_u128(0x3f2a),
    };
    (derived, generated)
}

fn data_backup_completed() -> (derived::DataBackupCompleted, shared::DataBackupCompleted) {
    let timestamp = "2025-08-26T03:29:58Z".parse().unwrap();
    let derived = derived::DataBackupCompleted {
        backup_id: Uuid::from_u128(0xb1c2),
        backup_type: shared::BackupType::Differential,
        data_size: 4096,
        duration: 12.5,
        success: false,
        location: "s3://backups/0330.tar.zst".into(),
        timestamp,
    };
    let generated = shared::DataBackupCompleted {
        backup_id: Uuid::from_u128(0xb1c2),
        backup_type: shared::BackupType::Differential,
        data_size: 4096,
        duration: 12.5,
        success: false,
        location: "s3://backups/0330.tar.zst".into(),
        timestamp,
    };
    (derived, generated)
}

fn relationship_formed(
    strength: f64,
) -> (
    derived::CharacterRelationshipFormed,
    characters::CharacterRelationshipFormed,
) {
    let derived = derived::CharacterRelationshipFormed {
        character_id: Uuid::from_u128(0x6b1f),
        related_character_id: Uuid::from_u128(0xd2c3),
        relationship_type: characters::RelationshipType::Ally,
        relationship_strength: strength,
        context: "The vault.".into(),
        formation_event: "A confession.".into(),
    };
    let generated = characters::CharacterRelationshipFormed {
        character_id: Uuid::from_u128(0x6b1f),
        related_character_id: Uuid::from_u128(0xd2c3),
        relationship_type: characters::RelationshipType::Ally,
        relationship_strength: strength,
        context: "The vault.".into(),
        formation_event: "A confession.".into(),
    };
    (derived, generated)
}

/// The derived and the generated payload of the same data: same JSON, same envelope JSON
/// (same headers), and each decodes the other's envelope.
fn check_same_json<D, G>(derived: D, generated: G)
where
    D: Event + PartialEq,
    G: Event + PartialEq,
{
    let name = D::EVENT_TYPE;
    assert_eq!(
        to_json(&derived),
        to_json(&generated),
        "{name}: payload JSON"
    );
    let derived_envelope = Envelope::new(derived, "test-service");
    let generated_envelope = derived_envelope.with_payload(generated);
    assert_eq!(
        to_json(&derived_envelope),
        to_json(&generated_envelope),
        "{name}: envelope JSON"
    );
    let decoded: Envelope<G> = serde_json::from_value(to_json(&derived_envelope)).unwrap();
    assert_eq!(
        decoded, generated_envelope,
        "{name}: generated reads derived"
    );
    let decoded: Envelope<D> = serde_json::from_value(to_json(&generated_envelope)).unwrap();
    assert_eq!(decoded, derived_envelope, "{name}: derived reads generated");
}

#[test]
fn derived_json_equals_generated_json() {
    let (derived, generated) = character_created();
    check_same_json(derived, generated);
    let (derived, generated) = story_generation_requested();
    check_same_json(derived, generated);
    let (derived, generated) = data_backup_completed();
    check_same_json(derived, generated);
    let (derived, generated) = relationship_formed(0.25);
    check_same_json(derived, generated);
}

#[test]
fn derived_envelopes_are_read_by_the_catalogs_any_event() {
    let (created, _) = character_created();
    let envelope = Envelope::new(created.clone(), "character-service");
    assert_eq!(envelope.aggregate_id, created.character_id);
    assert_eq!(envelope.event_type(), "characters.character.created");
    assert_eq!(envelope.aggregate_type(), "Character");
    let any: Envelope<AnyEvent> = serde_json::from_value(to_json(&envelope)).unwrap();
    let AnyEvent::CharacterCreated(generated) = &any.payload else {
        panic!("decoded as {:?}", any.payload);
    };
    assert_eq!(generated.r#type, characters::CharacterType::Npc);
    assert_eq!(to_json(&any), to_json(&envelope));
}

#[test]
fn event_set_round_trips_the_events_it_holds() {
    for name in [
        "CharacterCreated",
        "StoryGenerationRequested",
        "DataBackupCompleted",
        "CharacterRelationshipFormed",
        "SystemHealthChanged",
    ] {
        let fixture = novel_engine_fixture(name);
        let envelope: Envelope<DerivedEvents> = decode(name);
        assert_eq!(to_json(&envelope), fixture, "{name}: re-encoding");
        assert_eq!(
            envelope.event_type(),
            fixture["eventType"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            envelope.aggregate_id,
            envelope.payload.aggregate_id(),
            "{name}"
        );
        let text = serde_json::to_string(&envelope).unwrap();
        let back: Envelope<DerivedEvents> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, envelope, "{name}: round trip");
    }

    let envelope: Envelope<DerivedEvents> = decode("DataBackupCompleted");
    let DerivedEvents::DataBackupCompleted(backup) = &envelope.payload else {
        panic!("decoded as {:?}", envelope.payload);
    };
    assert!(backup.success);

    // Built from a payload with `From`, then decoded again.
    let (requested, _) = story_generation_requested();
    let envelope = Envelope::new(DerivedEvents::from(requested.clone()), "story-engine");
    assert_eq!(envelope.aggregate_id, requested.story_id);
    assert_eq!(envelope.aggregate_type(), "Story");
    let back: Envelope<DerivedEvents> = serde_json::from_value(to_json(&envelope)).unwrap();
    assert_eq!(
        back.payload,
        DerivedEvents::StoryGenerationRequested(requested)
    );

    assert!(DerivedEvents::handles(
        "shared.data.backup-completed",
        "1.0.0"
    ));
    assert!(!DerivedEvents::handles(
        "shared.data.backup-completed",
        "2.0.0"
    ));
    assert!(!DerivedEvents::handles(
        "characters.character.deleted",
        "1.0.0"
    ));
}

#[test]
fn event_set_refuses_events_it_does_not_hold() {
    let fixture = novel_engine_fixture("CharacterDeleted");
    let error = serde_json::from_value::<Envelope<DerivedEvents>>(fixture.clone())
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("eventType: "), "{error}");
    for part in [
        "`characters.character.deleted` version 1.0.0 is not one of the events of `DerivedEvents`",
        "characters.character.created 1.0.0",
        "narratives.story.generation-requested 1.0.0",
        "shared.data.backup-completed 1.0.0",
        "characters.character.relationship-formed 1.0.0",
        "shared.system.health-changed 1.0.0",
    ] {
        assert!(error.contains(part), "{part:?} not in {error}");
    }
    // The same from text, with a position.
    let text = serde_json::to_string(&fixture).unwrap();
    let error = serde_json::from_str::<Envelope<DerivedEvents>>(&text)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("is not one of the events of `DerivedEvents`"),
        "{error}"
    );

    // A known eventType in a version the set does not hold.
    let mut other_version = novel_engine_fixture("DataBackupCompleted");
    other_version["eventVersion"] = json!("2.0.0");
    let error = serde_json::from_value::<Envelope<DerivedEvents>>(other_version)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(
            "`shared.data.backup-completed` version 2.0.0 is not one of the events of `DerivedEvents`"
        ),
        "{error}"
    );

    // One derived type refuses another event, naming both.
    let error = serde_json::from_value::<Envelope<derived::CharacterCreated>>(fixture)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("expected an envelope of `characters.character.created` version 1.0.0, found `characters.character.deleted` version 1.0.0"),
        "{error}"
    );
}

#[test]
fn validate_names_the_field_out_of_bounds() {
    let (derived, generated) = relationship_formed(1.5);
    let error = derived.validate().unwrap_err();
    let paths: Vec<&str> = error
        .violations
        .iter()
        .map(|violation| violation.path.as_str())
        .collect();
    assert_eq!(paths, ["payload.relationshipStrength"]);
    assert!(
        error.violations[0].message.contains("1.5"),
        "{}",
        error.violations[0].message
    );
    // The same violations as the generated type, and through the event set.
    assert_eq!(Some(error.clone()), generated.validate().err());
    let set = DerivedEvents::from(derived);
    assert_eq!(set.validate(), Err(error));

    let (within, _) = relationship_formed(1.0);
    assert_eq!(within.validate(), Ok(()));
    let (below, _) = relationship_formed(-0.1);
    assert!(below.validate().is_err());
}

#[test]
fn decoding_refuses_out_of_bounds_values_of_derived_events_too() {
    let (derived, _) = relationship_formed(1.5);
    // Built in Rust (bypassing the checks), sent over the wire, refused when read back.
    let json = serde_json::to_string(&Envelope::new(derived, "character-service")).unwrap();
    let error =
        serde_json::from_str::<Envelope<derived::CharacterRelationshipFormed>>(&json).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("payload.relationshipStrength: 1.5 is out of range"),
        "{error}"
    );
    let error = serde_json::from_str::<Envelope<DerivedEvents>>(&json).unwrap_err();
    assert!(
        error.to_string().contains("payload.relationshipStrength"),
        "{error}"
    );
    // Within bounds, it decodes.
    let (within, _) = relationship_formed(0.4);
    let json = serde_json::to_string(&Envelope::new(within, "character-service")).unwrap();
    assert!(serde_json::from_str::<Envelope<derived::CharacterRelationshipFormed>>(&json).is_ok());
}

/// The constants of a derived type are the catalog's, like the generated type's.
fn check_consts<D: Event, G: Event>() {
    let name = G::EVENT_TYPE;
    assert_eq!(D::EVENT_TYPE, G::EVENT_TYPE);
    assert_eq!(D::EVENT_VERSION, G::EVENT_VERSION, "{name}");
    assert_eq!(D::AGGREGATE_TYPE, G::AGGREGATE_TYPE, "{name}");
    assert_eq!(D::CATEGORY, G::CATEGORY, "{name}");
    assert_eq!(D::DESCRIPTION, G::DESCRIPTION, "{name}");
    assert_eq!(D::SUBSCRIBERS, G::SUBSCRIBERS, "{name}");
    assert!(!D::DESCRIPTION.is_empty(), "{name}");
    assert!(!D::SUBSCRIBERS.is_empty(), "{name}");
}

#[test]
fn derived_consts_match_the_generated_ones() {
    check_consts::<derived::CharacterCreated, characters::CharacterCreated>();
    check_consts::<derived::CharacterCreatedWithGeneratedTraits, characters::CharacterCreated>();
    check_consts::<derived::StoryGenerationRequested, narratives::StoryGenerationRequested>();
    check_consts::<derived::DataBackupCompleted, shared::DataBackupCompleted>();
    check_consts::<derived::CharacterRelationshipFormed, characters::CharacterRelationshipFormed>();
    check_consts::<derived::SystemHealthChanged, shared::SystemHealthChanged>();

    use novel_events::EventCategory;
    assert_eq!(
        derived::StoryGenerationRequested::CATEGORY,
        EventCategory::Command
    );
    assert_eq!(
        derived::DataBackupCompleted::CATEGORY,
        EventCategory::System
    );
    assert_eq!(
        derived::CharacterCreated::DESCRIPTION,
        "New character has been created in the system"
    );
    assert_eq!(
        derived::CharacterCreated::SUBSCRIBERS[0].service,
        "Memory Service"
    );
    assert_eq!(
        derived::CharacterCreated::SUBSCRIBERS[0].purpose,
        "initialize character memory"
    );
}

#[test]
fn nested_objects_say_which_catalog_object_they_were_checked_against() {
    use novel_events::catalog::holds::CheckedObject;
    use novel_events::novel_engine::characters::PersonalityTraits;
    assert_eq!(
        <derived::Traits as CheckedObject>::OBJECT,
        Some("PersonalityTraits")
    );
    assert_eq!(
        <PersonalityTraits as CheckedObject>::OBJECT,
        Some("PersonalityTraits")
    );
    // Maps hold any object and claim no fields.
    assert_eq!(
        <serde_json::Map<String, Value> as CheckedObject>::OBJECT,
        None
    );
}

#[test]
fn numeric_types_report_the_range_they_hold() {
    use novel_events::catalog::holds::{HoldsInteger, HoldsNumber};
    assert_eq!(<u8 as HoldsInteger>::RANGE, (0, 255));
    assert_eq!(
        <i64 as HoldsInteger>::RANGE,
        (i128::from(i64::MIN), i128::from(i64::MAX))
    );
    assert_eq!(<u128 as HoldsInteger>::RANGE, (0, i128::MAX));
    assert_eq!(
        <f32 as HoldsNumber>::RANGE,
        (f64::from(f32::MIN), f64::from(f32::MAX))
    );
    assert_eq!(<f64 as HoldsNumber>::RANGE, (f64::MIN, f64::MAX));
}
