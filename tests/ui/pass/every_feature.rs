//! A catalog that uses every feature of the format compiles without a warning, and its
//! generated types are usable: constructed, encoded, decoded, dispatched to subscribers.
#![deny(warnings)]
#![warn(clippy::pedantic)]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use novel_events::{
    AggregateIdInfo, Envelope, Event, EventCategory, EventPayload, HandlerResult, IntoLatest,
    Upcast,
};
use serde_json::json;

novel_events::include_catalog!("ui/catalogs/every_feature.yaml");

use characters::{
    CharacterCreated, CharacterCreatedV1_0_0, CharacterCreatedV1_1_0, CharacterCreatedV2_0_0,
    CharacterType, Genre, GenreV1_0_0, GenreV1_1_0, GenreV2_0_0, PersonalityTraits, Quirks, Skill,
    StepsItem,
};
use monitoring::SystemHealthChanged;

/// Runs a future that does not wait (every handler here is immediately ready).
fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the handler is not ready"),
    }
}

fn created(character_id: uuid::Uuid) -> CharacterCreated {
    CharacterCreated {
        character_id,
        name: "Mira Vale".into(),
        r#type: CharacterType::Protagonist,
        genre: Genre::V3d,
        level: 7,
        mood: Some(0.5),
        nickname: None,
        title: "Captain".into(),
        tags: vec!["pilot".into()],
        created_at: chrono::DateTime::UNIX_EPOCH,
        attributes: serde_json::Map::new(),
        personality_traits: PersonalityTraits {
            openness: 0.9,
            quirks: Quirks {
                favourite_colour: Some("teal".into()),
            },
        },
        skills: vec![Skill {
            name: "navigation".into(),
            rank: 3,
        }],
        steps: vec![StepsItem {
            label: "wake".into(),
            seconds: 1.5,
        }],
        wallet: Money {
            amount: 1200,
            currency: "EUR".into(),
        },
        health: Some(HealthStatus::Healthy),
        legacy_score: None,
        old_flag: false,
    }
}

/// 1.1.0 → 2.0.0 adds required fields: not additive, so the catalog needs this step
/// (1.0.0 → 1.1.0 only adds a defaulted field, and is generated).
impl Upcast<CharacterCreatedV2_0_0> for CharacterCreatedV1_1_0 {
    fn upcast(self) -> CharacterCreatedV2_0_0 {
        CharacterCreatedV2_0_0 {
            character_id: self.character_id,
            name: self.name,
            r#type: CharacterType::Npc,
            genre: match self.genre {
                GenreV1_1_0::Fantasy => GenreV2_0_0::Fantasy,
                GenreV1_1_0::SciFi => GenreV2_0_0::SciFi,
            },
            tags: self.tags,
            ..created(self.character_id)
        }
    }
}

/// A required-method subscriber: one method for the event, whichever version the catalog
/// routes to it (older ones are upcast before the call).
struct Memory;

impl MemoryServiceSubscriber for Memory {
    async fn on_character_created(&self, event: &Envelope<CharacterCreated>) -> HandlerResult {
        assert_eq!(event.event_version(), "2.0.0");
        assert!(event.payload.level == 7);
        Ok(())
    }
}

/// A domain subscriber implements only what it needs.
struct Monitor;

impl MonitoringSubscriber for Monitor {
    async fn on_system_health_changed(
        &self,
        event: &Envelope<SystemHealthChanged>,
    ) -> HandlerResult {
        assert_eq!(event.payload.current_health, HealthStatus::Degraded);
        Ok(())
    }
}

fn main() {
    // The newest version keeps the plain name; older ones are suffixed with their version.
    assert_eq!(CharacterCreated::EVENT_VERSION, "2.0.0");
    assert_eq!(CharacterCreatedV1_1_0::EVENT_VERSION, "1.1.0");
    assert_eq!(CharacterCreatedV1_0_0::EVENT_VERSION, "1.0.0");
    assert_eq!(CharacterCreated::CATEGORY, EventCategory::Domain);
    assert_eq!(SystemHealthChanged::CATEGORY, EventCategory::System);

    // Every field kind, encoded with its catalog name.
    let character_id = uuid::Uuid::new_v4();
    let event = created(character_id);
    assert_eq!(event.aggregate_id(), character_id);
    assert!(event.validate().is_ok());
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(json["type"], "protagonist");
    assert_eq!(json["genre"], "3d");
    assert_eq!(
        json["personalityTraits"]["quirks"]["favouriteColour"],
        "teal"
    );
    assert_eq!(json["skills"][0]["rank"], 3);
    assert_eq!(json["wallet"]["currency"], "EUR");
    assert!(json.get("nickname").is_none(), "None is omitted");

    // Defaults fill absent fields; optional fields without a default are `None`.
    let minimal = json!({
        "characterId": character_id,
        "name": "Ash",
        "type": "npc",
        "genre": "sci-fi",
        "tags": [],
        "createdAt": "2025-08-26T10:15:00Z",
        "attributes": {},
        "personalityTraits": { "openness": 0.1, "quirks": {} },
        "skills": [],
        "steps": [],
        "wallet": { "amount": 0, "currency": "EUR" }
    });
    let decoded: CharacterCreated = serde_json::from_value(minimal).unwrap();
    assert_eq!(decoded.level, 1);
    assert_eq!(decoded.title, "Stranger");
    assert!(!decoded.old_flag);
    assert_eq!(decoded.mood, None);
    assert_eq!(decoded.legacy_score, None);
    assert_eq!(decoded.genre, Genre::SciFi);

    // Bounds are checked by `validate`.
    let out_of_bounds = CharacterCreated {
        level: 101,
        ..created(character_id)
    };
    assert!(out_of_bounds.validate().is_err());

    // Older versions are types of their own, with their own inline types.
    let v1 = CharacterCreatedV1_0_0 {
        character_id,
        name: "Ash".into(),
        genre: GenreV1_0_0::Fantasy,
    };
    let v1_1 = CharacterCreatedV1_1_0 {
        character_id,
        name: "Ash".into(),
        genre: GenreV1_1_0::SciFi,
        tags: Vec::new(),
    };
    assert_eq!(serde_json::to_value(&v1).unwrap()["genre"], "fantasy");

    // Every version keeps a versioned name, the newest too; older versions upcast to the
    // newest, through the generated 1.0.0 → 1.1.0 step and the one written above.
    let newest: CharacterCreatedV2_0_0 = created(character_id);
    assert_eq!(newest.name, "Mira Vale");
    let upcast: CharacterCreated = v1.clone().into_latest();
    assert_eq!(
        (upcast.name.as_str(), upcast.genre, upcast.r#type),
        ("Ash", Genre::Fantasy, CharacterType::Npc)
    );
    let step: CharacterCreatedV1_1_0 = v1.clone().upcast();
    assert!(step.tags.is_empty(), "the default of `tags`");
    assert!(matches!(
        AnyEvent::from(v1.clone()).into_latest(),
        AnyEvent::CharacterCreated(_)
    ));

    // A name-based aggregate id is the UUID v5 of the named string field.
    let health = SystemHealthChanged {
        component: "story-engine".into(),
        previous_health: HealthStatus::Healthy,
        current_health: HealthStatus::Degraded,
        costs: vec![Money {
            amount: 3,
            currency: "EUR".into(),
        }],
    };
    assert_eq!(
        health.aggregate_id(),
        novel_events::name_based_aggregate_id("story-engine")
    );

    // Metadata: deprecation, subscribers in both forms, the aggregate id's origin.
    let info = CATALOG
        .event("characters.character.created", "2.0.0")
        .unwrap();
    let legacy = info
        .fields
        .iter()
        .find(|field| field.name == "legacyScore")
        .unwrap();
    assert_eq!(legacy.deprecated.unwrap().removal_version, "3.0.0");
    assert_eq!(legacy.deprecated.unwrap().note, "use personalityTraits");
    let services: Vec<(&str, &str)> = CharacterCreated::SUBSCRIBERS
        .iter()
        .map(|subscriber| (subscriber.service, subscriber.purpose))
        .collect();
    assert_eq!(
        services,
        [
            ("Memory Service", "initialize character memory"),
            ("Story Engine", "register the character"),
            ("Audit Log", ""),
        ]
    );
    assert_eq!(
        CATALOG
            .event("monitoring.system.health-changed", "1.0.0")
            .unwrap()
            .aggregate_id,
        AggregateIdInfo::NameBased("component")
    );
    assert_eq!(CATALOG.versions("characters.character.created").count(), 3);

    // Envelopes and dispatch through `AnyEvent`.
    let envelope = Envelope::new(event, "character-service");
    let text = serde_json::to_string(&envelope).unwrap();
    let any: Envelope<AnyEvent> = serde_json::from_str(&text).unwrap();
    assert!(matches!(any.payload, AnyEvent::CharacterCreated(_)));
    run(Memory.dispatch(&any)).unwrap();
    run(Memory.dispatch(&envelope.with_payload(AnyEvent::from(v1_1)))).unwrap();
    run(Memory.dispatch(&envelope.with_payload(AnyEvent::from(v1)))).unwrap();
    run(Monitor.dispatch(&Envelope::new(AnyEvent::from(health), "monitor"))).unwrap();
    assert!(<Memory as MemoryServiceSubscriber>::handles(
        "characters.character.created",
        "1.1.0"
    ));
    assert!(<Memory as MemoryServiceSubscriber>::handles(
        "characters.character.created",
        "1.0.0"
    ));
    assert!(!<Memory as MemoryServiceSubscriber>::handles(
        "monitoring.system.health-changed",
        "1.0.0"
    ));
}
