//! Decoding throughput of a mixed stream of Novel Engine envelopes (generated code, hand-written
//! serde, `serde_json::Value`); what each figure means and the results: `docs/benchmarks.md`,
//! "Decoding envelopes".
//!
//! `cargo bench -p novel-events --bench decode -- --warm-up-time 1 --measurement-time 5`

mod common;

use common::{fixtures, quartiles};

use std::cell::RefCell;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use novel_events::novel_engine::{self as ne, AnyEvent};
use novel_events::{AggregateIdInfo, Envelope, EventPayload, ValidationError};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use uuid::Uuid;

/// How many times the 26 fixtures are repeated in the stream.
const REPEAT: usize = 100;

/// The hand-written floor: plain serde derives, no error paths, no bounds checks.
mod floor {
    use std::fmt;

    use chrono::{DateTime, Utc};
    use serde::Deserialize;
    use serde_json::{Map, Value};
    use uuid::Uuid;

    use super::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor, de};

    type Object = Map<String, Value>;
    type Time = DateTime<Utc>;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    pub struct Metadata {
        pub source: String,
        #[serde(default)]
        pub trace: Option<String>,
        #[serde(default)]
        pub schema: Option<String>,
    }

    /// The envelope, with the payload decoded after eventType is known.
    #[derive(Debug)]
    #[allow(dead_code)]
    pub struct Envelope<'a> {
        pub event_id: Uuid,
        pub event_type: &'a str,
        pub event_version: &'a str,
        pub aggregate_id: Uuid,
        pub aggregate_type: &'a str,
        pub timestamp: Time,
        pub correlation_id: Uuid,
        pub causation_id: Uuid,
        pub user_id: Option<Uuid>,
        pub payload: Payload,
        pub metadata: Metadata,
    }

    /// The envelope when the payload's type is known in advance: a plain derive.
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct TypedEnvelope<'a, P> {
        pub event_id: Uuid,
        pub event_type: &'a str,
        pub event_version: &'a str,
        pub aggregate_id: Uuid,
        pub aggregate_type: &'a str,
        pub timestamp: Time,
        pub correlation_id: Uuid,
        pub causation_id: Uuid,
        #[serde(default)]
        pub user_id: Option<Uuid>,
        pub payload: P,
        pub metadata: Metadata,
    }

    #[derive(Deserialize)]
    #[serde(field_identifier, rename_all = "camelCase")]
    enum Field {
        EventId,
        EventType,
        EventVersion,
        AggregateId,
        AggregateType,
        Timestamp,
        CorrelationId,
        CausationId,
        UserId,
        Payload,
        Metadata,
        #[serde(other)]
        Other,
    }

    struct EnvelopeVisitor;

    impl<'de> Visitor<'de> for EnvelopeVisitor {
        type Value = Envelope<'de>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an envelope")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope<'de>, A::Error> {
            let mut event_id = None;
            let mut event_type: Option<&'de str> = None;
            let mut event_version = None;
            let mut aggregate_id = None;
            let mut aggregate_type = None;
            let mut timestamp = None;
            let mut correlation_id = None;
            let mut causation_id = None;
            let mut user_id = None;
            let mut payload = None;
            let mut metadata = None;
            while let Some(key) = map.next_key::<Field>()? {
                match key {
                    Field::EventId => event_id = Some(map.next_value()?),
                    Field::EventType => event_type = Some(map.next_value()?),
                    Field::EventVersion => event_version = Some(map.next_value()?),
                    Field::AggregateId => aggregate_id = Some(map.next_value()?),
                    Field::AggregateType => aggregate_type = Some(map.next_value()?),
                    Field::Timestamp => timestamp = Some(map.next_value()?),
                    Field::CorrelationId => correlation_id = Some(map.next_value()?),
                    Field::CausationId => causation_id = Some(map.next_value()?),
                    Field::UserId => user_id = map.next_value()?,
                    Field::Metadata => metadata = Some(map.next_value()?),
                    Field::Payload => {
                        let event_type = event_type
                            .ok_or_else(|| de::Error::custom("payload before eventType"))?;
                        payload = Some(map.next_value_seed(PayloadSeed(event_type))?);
                    }
                    Field::Other => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(Envelope {
                event_id: event_id.ok_or_else(|| de::Error::missing_field("eventId"))?,
                event_type: event_type.ok_or_else(|| de::Error::missing_field("eventType"))?,
                event_version: event_version
                    .ok_or_else(|| de::Error::missing_field("eventVersion"))?,
                aggregate_id: aggregate_id
                    .ok_or_else(|| de::Error::missing_field("aggregateId"))?,
                aggregate_type: aggregate_type
                    .ok_or_else(|| de::Error::missing_field("aggregateType"))?,
                timestamp: timestamp.ok_or_else(|| de::Error::missing_field("timestamp"))?,
                correlation_id: correlation_id
                    .ok_or_else(|| de::Error::missing_field("correlationId"))?,
                causation_id: causation_id
                    .ok_or_else(|| de::Error::missing_field("causationId"))?,
                user_id,
                payload: payload.ok_or_else(|| de::Error::missing_field("payload"))?,
                metadata: metadata.ok_or_else(|| de::Error::missing_field("metadata"))?,
            })
        }
    }

    impl<'de> Deserialize<'de> for Envelope<'de> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_map(EnvelopeVisitor)
        }
    }

    struct PayloadSeed<'a>(&'a str);

    macro_rules! payloads {
        ($($name:ident = $event_type:literal,)*) => {
            /// Any payload, picked by eventType.
            #[derive(Debug)]
            #[allow(dead_code)]
            pub enum Payload {
                $($name($name),)*
            }

            impl<'de> DeserializeSeed<'de> for PayloadSeed<'_> {
                type Value = Payload;

                fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Payload, D::Error> {
                    match self.0 {
                        $($event_type => $name::deserialize(deserializer).map(Payload::$name),)*
                        other => Err(de::Error::unknown_variant(other, &[])),
                    }
                }
            }
        };
    }

    payloads! {
        CharacterCreated = "characters.character.created",
        CharacterUpdated = "characters.character.updated",
        CharacterDeleted = "characters.character.deleted",
        CharacterSkillGained = "characters.character.skill-gained",
        CharacterRelationshipFormed = "characters.character.relationship-formed",
        CharacterPersonalityEvolved = "characters.character.personality-evolved",
        StoryGenerationRequested = "narratives.story.generation-requested",
        StoryGenerated = "narratives.story.generated",
        StoryQualityAssessed = "narratives.story.quality-assessed",
        PlotPointReached = "narratives.plot.point-reached",
        NarrativeConflictIntroduced = "narratives.narrative.conflict-introduced",
        CampaignCreated = "campaigns.campaign.created",
        CampaignStarted = "campaigns.campaign.started",
        CampaignCompleted = "campaigns.campaign.completed",
        SessionStarted = "campaigns.session.started",
        WorldStateChanged = "campaigns.world.state-changed",
        InteractionInitiated = "interactions.interaction.initiated",
        DialogueExchanged = "interactions.dialogue.exchanged",
        ActionPerformed = "interactions.action.performed",
        InteractionResolved = "interactions.interaction.resolved",
        WorkflowStarted = "orchestration.workflow.started",
        ResourceAllocated = "orchestration.resource.allocated",
        ServiceCoordinationRequired = "orchestration.service.coordination-required",
        UserAuthenticated = "shared.user.authenticated",
        SystemHealthChanged = "shared.system.health-changed",
        DataBackupCompleted = "shared.data.backup-completed",
    }

    macro_rules! kebab_enums {
        ($($name:ident { $($variant:ident),* $(,)? })*) => {
            $(
                #[derive(Debug, Clone, Copy, Deserialize)]
                #[serde(rename_all = "kebab-case")]
                #[allow(clippy::enum_variant_names)]
                pub enum $name { $($variant),* }
            )*
        };
    }

    kebab_enums! {
        CharacterType { Protagonist, Antagonist, Npc, Narrator }
        AcquisitionMethod { Training, Experience, StoryEvent }
        RelationshipType { Ally, Enemy, Neutral, Romantic, Family }
        Genre { Fantasy, SciFi, Mystery, Romance, Horror, Adventure, Drama, Comedy }
        StoryLength { Short, Medium, Long }
        StoryTone { Dark, Light, Heroic, Mysterious, Comedic }
        Assessor { Ai, Human }
        PlotPoint { IncitingIncident, RisingAction, Climax, FallingAction, Resolution }
        ConflictType { CharacterVsCharacter, CharacterVsNature, CharacterVsSociety, CharacterVsSelf }
        Severity { Minor, Moderate, Major, Critical }
        CompletionReason { NaturalConclusion, EarlyTermination, PlayerRequest }
        InteractionType { Dialogue, Action, Combat, SkillCheck }
        DialogueTone { Friendly, Hostile, Neutral, Romantic, Authoritative }
        ActionType { Movement, SkillUse, ItemInteraction, Environmental }
        WorkflowType { StoryGeneration, CampaignCreation, CharacterInteraction }
        Priority { Low, Normal, High, Critical }
        ResourceType { AiModel, DatabaseConnection, CacheSpace, ComputeInstance }
        AuthenticationMethod { Password, Oauth2, ApiKey }
        HealthStatus { Healthy, Degraded, Unhealthy }
        BackupType { Full, Incremental, Differential }
    }

    /// Declares `#[derive(Deserialize)]` structs with camelCase wire names.
    macro_rules! structs {
        ($($name:ident { $($field:ident: $ty:ty),* $(,)? })*) => {
            $(
                #[derive(Debug, Deserialize)]
                #[serde(rename_all = "camelCase")]
                #[allow(dead_code)]
                pub struct $name { $(pub $field: $ty),* }
            )*
        };
    }

    structs! {
        PersonalityTraits {
            openness: f64, conscientiousness: f64, extraversion: f64, agreeableness: f64,
            neuroticism: f64,
        }
        CharacterCreated {
            character_id: Uuid, name: String, r#type: CharacterType,
            personality_traits: PersonalityTraits, background: String, configuration: Object,
            created_by: Uuid,
        }
        CharacterUpdated {
            character_id: Uuid, changes: Object, previous_values: Object, updated_by: Uuid,
        }
        CharacterDeleted {
            character_id: Uuid, name: String, deletion_reason: String, deleted_by: Uuid,
        }
        CharacterSkillGained {
            character_id: Uuid, skill_name: String, skill_level: i64,
            acquisition_method: AcquisitionMethod, context: String,
        }
        CharacterRelationshipFormed {
            character_id: Uuid, related_character_id: Uuid, relationship_type: RelationshipType,
            relationship_strength: f64, context: String, formation_event: String,
        }
        CharacterPersonalityEvolved {
            character_id: Uuid, trait_changes: PersonalityTraits, triggering_events: Vec<Uuid>,
            evolution_reason: String,
        }
        StoryGenerationRequested {
            story_id: Uuid, title: String, genre: Genre, themes: Vec<String>,
            characters: Vec<Uuid>, length: StoryLength, tone: StoryTone, configuration: Object,
            requested_by: Uuid,
        }
        GenerationMetrics {
            duration: f64, model_used: String, tokens_consumed: i64, iterations: i64,
        }
        StoryGenerated {
            story_id: Uuid, title: String, content: String, word_count: i64, quality_score: f64,
            generation_metrics: GenerationMetrics, characters: Vec<Uuid>,
        }
        AssessmentCriteria {
            coherence: f64, engagement: f64, character_development: f64, plot_structure: f64,
            language_quality: f64,
        }
        StoryQualityAssessed {
            story_id: Uuid, quality_score: f64, assessment_criteria: AssessmentCriteria,
            assessor: Assessor, assessor_id: Uuid, feedback: String,
        }
        PlotPointReached {
            story_id: Uuid, plot_point: PlotPoint, description: String, characters: Vec<Uuid>,
            consequences: Vec<String>, timestamp: Time,
        }
        NarrativeConflictIntroduced {
            story_id: Uuid, conflict_id: Uuid, conflict_type: ConflictType, description: String,
            involved_characters: Vec<Uuid>, severity: Severity, expected_resolution: String,
        }
        CampaignCreated {
            campaign_id: Uuid, name: String, description: String, configuration: Object,
            created_by: Uuid, initial_participants: Vec<Uuid>, world_state: Object,
        }
        CampaignStarted {
            campaign_id: Uuid, start_time: Time, participants: Vec<Uuid>, initial_scene: Object,
            gamemaster: Uuid,
        }
        CampaignStatistics {
            duration: f64, sessions_count: i64, participants_count: i64, stories_generated: i64,
        }
        CampaignCompleted {
            campaign_id: Uuid, completion_time: Time, final_scene: Object, outcomes: Object,
            statistics: CampaignStatistics, completion_reason: CompletionReason,
        }
        SessionStarted {
            campaign_id: Uuid, session_id: Uuid, session_number: i64, start_time: Time,
            participants: Vec<Uuid>, gamemaster: Uuid, initial_state: Object,
        }
        WorldStateChanged {
            campaign_id: Uuid, session_id: Uuid, changes: Object, previous_state: Object,
            change_reason: String, changed_by: Uuid, timestamp: Time,
        }
        InteractionInitiated {
            interaction_id: Uuid, campaign_id: Uuid, session_id: Uuid,
            initiating_character_id: Uuid, target_character_ids: Vec<Uuid>,
            interaction_type: InteractionType, intent: String, context: Object,
        }
        DialogueExchanged {
            interaction_id: Uuid, campaign_id: Uuid, speaker_id: Uuid, listener_id: Uuid,
            message: String, tone: DialogueTone, context: Object, timestamp: Time,
        }
        ActionPerformed {
            interaction_id: Uuid, campaign_id: Uuid, acting_character_id: Uuid,
            action_type: ActionType, action_description: String, target_ids: Vec<Uuid>,
            success: bool, outcomes: Object, consequences: Vec<String>,
        }
        InteractionResolved {
            interaction_id: Uuid, campaign_id: Uuid, participants: Vec<Uuid>, resolution: Object,
            duration: f64, consequences: Vec<String>, narrative_impact: String,
        }
        WorkflowStarted {
            workflow_id: Uuid, workflow_type: WorkflowType, steps: Vec<String>, context: Object,
            initiated_by: Uuid, priority: Priority,
        }
        ResourceAllocated {
            resource_id: Uuid, resource_type: ResourceType, allocation_amount: f64,
            allocated_to: String, duration: f64, priority: String,
        }
        ServiceCoordinationRequired {
            coordination_id: Uuid, services: Vec<String>, operation: String,
            dependencies: Object, timeout: f64,
        }
        UserAuthenticated {
            user_id: Uuid, email: String, authentication_method: AuthenticationMethod,
            session_id: Uuid, timestamp: Time, ip_address: String, user_agent: String,
        }
        SystemHealthChanged {
            component: String, previous_health: HealthStatus, current_health: HealthStatus,
            details: Object, timestamp: Time,
        }
        DataBackupCompleted {
            backup_id: Uuid, backup_type: BackupType, data_size: i64, duration: f64,
            success: bool, location: String, timestamp: Time,
        }
    }
}

/// A decoder of one JSON text, returning whether it succeeded (the value is black-boxed).
type Decode = fn(&str) -> bool;

fn any_event(json: &str) -> bool {
    black_box(serde_json::from_str::<Envelope<AnyEvent>>(json)).is_ok()
}

fn hand_written(json: &str) -> bool {
    black_box(serde_json::from_str::<floor::Envelope<'_>>(json)).is_ok()
}

fn value(json: &str) -> bool {
    black_box(serde_json::from_str::<serde_json::Value>(json)).is_ok()
}

fn typed<P: EventPayload>(json: &str) -> bool {
    black_box(serde_json::from_str::<Envelope<P>>(json)).is_ok()
}

fn floor_typed<P: serde::de::DeserializeOwned>(json: &str) -> bool {
    black_box(serde_json::from_str::<floor::TypedEnvelope<'_, P>>(json)).is_ok()
}

macro_rules! typed_decoders {
    ($($domain:ident::$name:ident,)*) => {
        /// The decoders of a fixture whose type is known in advance: (generated, hand-written).
        fn typed_decoders(name: &str) -> (Decode, Decode) {
            match name {
                $(stringify!($name) => (
                    typed::<ne::$domain::$name> as Decode,
                    floor_typed::<floor::$name> as Decode,
                ),)*
                other => panic!("no decoder for fixture {other}"),
            }
        }
    };
}

typed_decoders! {
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
}

/// One fixture: its name, its text, and its typed decoders.
struct Fixture {
    name: String,
    json: String,
    typed: Decode,
    floor_typed: Decode,
}

fn load_fixtures() -> Vec<Fixture> {
    fixtures()
        .into_iter()
        .map(|(name, json)| {
            let (typed, floor_typed) = typed_decoders(&name);
            Fixture {
                name,
                json,
                typed,
                floor_typed,
            }
        })
        .collect()
}

/// The same envelope, compact, with `payload` first (before eventType and eventVersion).
fn payload_first(json: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    let object = value.as_object().unwrap();
    let mut out = format!("{{\"payload\":{}", object["payload"]);
    for (key, value) in object.iter().filter(|(key, _)| *key != "payload") {
        out.push_str(&format!(
            ",{}:{value}",
            serde_json::Value::from(key.as_str())
        ));
    }
    out.push('}');
    out
}

/// The same envelope, compact, keys in the fixture's order (eventType before payload).
fn compact_in_order(json: &str) -> String {
    const ORDER: [&str; 11] = [
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
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    let object = value.as_object().unwrap();
    assert_eq!(object.len(), ORDER.len());
    let fields: Vec<String> = ORDER
        .iter()
        .map(|key| format!("\"{key}\":{}", object[*key]))
        .collect();
    format!("{{{}}}", fields.join(","))
}

// --- the single-parse probe ---------------------------------------------------------------

thread_local! {
    /// The deserializer type of every `deserialize_payload` call since the last take.
    static PAYLOAD_CALLS: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

/// A payload that records how the envelope decoder hands it its JSON. It reads the payload
/// once, as a `serde_json::Value`, from the deserializer it is given, and takes its aggregate
/// type and id from the catalog, so that the envelope's consistency checks pass.
struct Probe {
    aggregate_type: &'static str,
    aggregate_id: Uuid,
}

impl Serialize for Probe {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}

impl EventPayload for Probe {
    fn event_type(&self) -> &'static str {
        ""
    }
    fn event_version(&self) -> &'static str {
        ""
    }
    fn aggregate_type(&self) -> &'static str {
        self.aggregate_type
    }
    fn aggregate_id(&self) -> Uuid {
        self.aggregate_id
    }
    fn validate(&self) -> Result<(), ValidationError> {
        Ok(())
    }
    fn deserialize_payload<'de, D: Deserializer<'de>>(
        event_type: &str,
        event_version: &str,
        deserializer: D,
    ) -> Result<Self, D::Error> {
        PAYLOAD_CALLS.with(|calls| calls.borrow_mut().push(std::any::type_name::<D>()));
        let info = ne::CATALOG
            .event(event_type, event_version)
            .ok_or_else(|| de::Error::custom("unknown event"))?;
        let payload = serde_json::Value::deserialize(deserializer)?;
        let aggregate_id = match info.aggregate_id {
            AggregateIdInfo::Field(field) => payload[field]
                .as_str()
                .and_then(|id| id.parse().ok())
                .ok_or_else(|| de::Error::custom("no aggregate id"))?,
            AggregateIdInfo::NameBased(field) => payload[field]
                .as_str()
                .map(novel_events::name_based_aggregate_id)
                .ok_or_else(|| de::Error::custom("no aggregate name"))?,
        };
        Ok(Probe {
            aggregate_type: info.aggregate_type,
            aggregate_id,
        })
    }
}

/// The deserializer types `Envelope<_>` handed the payload to, for one JSON text. The decoder
/// also asks the payload type whether it takes the eventType and eventVersion, once both are
/// read, with a deserializer that reads nothing (`codec::probe`): those calls are left out.
fn payload_deserializers(json: &str) -> Vec<&'static str> {
    PAYLOAD_CALLS.with(|calls| calls.borrow_mut().clear());
    if let Err(error) = serde_json::from_str::<Envelope<Probe>>(json) {
        panic!("the probe envelope does not decode: {error}");
    }
    PAYLOAD_CALLS
        .with(|calls| calls.take())
        .into_iter()
        .filter(|name| !name.contains("codec::probe::"))
        .collect()
}

/// Checks that every way decodes every fixture, and that the payload is parsed once.
fn check(fixtures: &[Fixture]) {
    for fixture in fixtures {
        let json = fixture.json.as_str();
        let ours: Envelope<AnyEvent> = serde_json::from_str(json)
            .unwrap_or_else(|error| panic!("{}: (a) {error}", fixture.name));
        let floor: floor::Envelope<'_> = serde_json::from_str(json)
            .unwrap_or_else(|error| panic!("{}: (b) {error}", fixture.name));
        assert_eq!(ours.event_type(), floor.event_type, "{}", fixture.name);
        assert_eq!(ours.event_id, floor.event_id, "{}", fixture.name);
        assert_eq!(ours.payload.info().name, fixture.name);
        assert!(value(json), "{}: (c)", fixture.name);
        assert!((fixture.typed)(json), "{}: (a-typed)", fixture.name);
        assert!((fixture.floor_typed)(json), "{}: (b-typed)", fixture.name);
        assert!(
            any_event(&payload_first(json)),
            "{}: payload first",
            fixture.name
        );
        assert!(
            any_event(&compact_in_order(json)),
            "{}: compact",
            fixture.name
        );

        // eventType before payload: one call, on the streaming deserializer itself.
        let calls = payload_deserializers(json);
        assert_eq!(calls.len(), 1, "{}: {calls:?}", fixture.name);
        assert!(
            calls[0].contains("serde_json::de::Deserializer"),
            "{}: the payload went through {}",
            fixture.name,
            calls[0]
        );
        // payload first: buffered as a `serde_json::Value`, then decoded from it.
        let calls = payload_deserializers(&payload_first(json));
        assert_eq!(calls, ["serde_json::value::Value"], "{}", fixture.name);
    }
}

fn stream(fixtures: &[Fixture]) -> Vec<&Fixture> {
    (0..REPEAT).flat_map(|_| fixtures.iter()).collect()
}

fn bench_decode(c: &mut Criterion, fixtures: &[Fixture]) {
    let stream = stream(fixtures);
    let texts: Vec<&str> = stream.iter().map(|f| f.json.as_str()).collect();
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Elements(texts.len() as u64));
    let ways: [(&str, Decode); 3] = [
        ("a_envelope_any_event", any_event),
        ("b_hand_written_dispatch", hand_written),
        ("c_serde_json_value", value),
    ];
    for (name, decode) in ways {
        group.bench_function(name, |b| {
            b.iter(|| texts.iter().filter(|json| decode(json)).count())
        });
    }
    group.bench_function("a_typed_envelope", |b| {
        b.iter(|| stream.iter().filter(|f| (f.typed)(&f.json)).count())
    });
    group.bench_function("b_typed_hand_written", |b| {
        b.iter(|| stream.iter().filter(|f| (f.floor_typed)(&f.json)).count())
    });
    group.finish();

    let in_order: Vec<String> = texts.iter().map(|json| compact_in_order(json)).collect();
    let reordered: Vec<String> = texts.iter().map(|json| payload_first(json)).collect();
    let mut group = c.benchmark_group("payload_order");
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function("event_type_first", |b| {
        b.iter(|| in_order.iter().filter(|json| any_event(json)).count())
    });
    group.bench_function("payload_first", |b| {
        b.iter(|| reordered.iter().filter(|json| any_event(json)).count())
    });
    group.finish();
}

/// This thread's time on a CPU and time spent runnable but waiting for one, from
/// `/proc/thread-self/schedstat` (Linux); `None` elsewhere.
fn schedstat() -> Option<(Duration, Duration)> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut fields = text
        .split_whitespace()
        .map(|field| field.parse::<u64>().ok());
    let running = fields.next()??;
    let waiting = fields.next()??;
    Some((Duration::from_nanos(running), Duration::from_nanos(waiting)))
}

/// Times each way once per round, rotating the order, and prints per-way throughput and the
/// quartiles of the per-round time ratios. Times are on-CPU times of this thread (so that
/// waiting for a CPU on a loaded machine does not count), or wall-clock where unavailable.
fn interleaved(fixtures: &[Fixture], rounds: usize) {
    // Each timing covers several passes over the stream (tens of milliseconds), well above
    // the granularity of the scheduler's accounting of on-CPU time.
    const PASSES: usize = 8;
    let stream = stream(fixtures);
    type Way<'a> = (&'a str, &'a dyn Fn(&Fixture) -> bool);
    let ways: [Way<'_>; 5] = [
        ("a  Envelope<AnyEvent>", &|f| any_event(&f.json)),
        ("b  hand-written, dispatched", &|f| hand_written(&f.json)),
        ("c  serde_json::Value", &|f| value(&f.json)),
        ("a' Envelope<T>, type known", &|f| (f.typed)(&f.json)),
        ("b' hand-written, type known", &|f| (f.floor_typed)(&f.json)),
    ];
    let mut cpu = vec![Vec::with_capacity(rounds); ways.len()];
    let (mut wall_total, mut wait_total) = (Duration::ZERO, Duration::ZERO);
    for round in 0..rounds + 2 {
        for offset in 0..ways.len() {
            let index = (round + offset) % ways.len();
            let before = schedstat();
            let start = Instant::now();
            let mut ok = 0;
            for _ in 0..PASSES {
                ok += stream.iter().filter(|f| (ways[index].1)(f)).count();
            }
            let wall = start.elapsed();
            let (on_cpu, waiting) = match (before, schedstat()) {
                (Some((cpu0, wait0)), Some((cpu1, wait1))) => (cpu1 - cpu0, wait1 - wait0),
                _ => (wall, Duration::ZERO),
            };
            assert_eq!(ok, PASSES * stream.len());
            if round >= 2 {
                cpu[index].push(on_cpu.as_secs_f64());
                wall_total += wall;
                wait_total += waiting;
            }
        }
    }
    let events = (PASSES * stream.len()) as f64;
    println!(
        "\ninterleaved: {rounds} rounds of {PASSES} x {} envelopes per way; on-CPU time (median, [q1 .. q3]); \
         this thread waited for a CPU {:.0}% of the wall-clock time",
        stream.len(),
        100.0 * wait_total.as_secs_f64() / wall_total.as_secs_f64()
    );
    for ((name, _), samples) in ways.iter().zip(&cpu) {
        let (q1, mid, q3) = quartiles(samples.clone());
        println!(
            "  {name:<30} {:>9.0} events/s  [{:.0} .. {:.0}]  ({:.2} us/event)",
            events / mid,
            events / q3,
            events / q1,
            mid / events * 1e6
        );
    }
    for (label, a, b) in [
        ("(a)/(b)  ", 0, 1),
        ("(a)/(c)  ", 0, 2),
        ("(a')/(b')", 3, 4),
        ("(a)/(a') ", 0, 3),
        ("(b)/(b') ", 1, 4),
    ] {
        let (q1, mid, q3) = quartiles(cpu[a].iter().zip(&cpu[b]).map(|(x, y)| x / y).collect());
        println!("  time ratio {label} = {mid:.3}  [{q1:.3} .. {q3:.3}]");
    }
}

fn main() {
    let fixtures = load_fixtures();
    check(&fixtures);
    let mut criterion = Criterion::default().configure_from_args();
    bench_decode(&mut criterion, &fixtures);
    criterion.final_summary();
    if std::env::args().any(|arg| arg == "--bench") {
        interleaved(&fixtures, 40);
    }
}
