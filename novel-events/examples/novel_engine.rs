//! The Novel Engine demo: characters are created, a story is requested and generated, a
//! campaign starts with a session, characters talk and act, a personality evolves and a workflow
//! allocates resources. Every event is appended to the embedded store (`target/novel-engine-demo.db`,
//! or the file named by `NOVEL_ENGINE_DEMO_DB`) and published from its outbox to the bus, where
//! Memory Service, Story Engine and Campaign Manager subscribe through the traits generated from
//! the catalog; one fails once and recovers by retry, another dead-letters an event. At the end:
//! a timeline, the correlation tree of the story flow (from the store) and a metrics summary.
//! A second run first replays the stored log into a read model.
//!
//! Run it with `cargo run --example novel_engine` (`-- --help` for its options).
//!
//! Elsewhere: `#[derive(Event)]` on structs of your own in `novel-events-codegen/examples/derive_crate`,
//! an aggregate with `Repository` in the rustdoc of `novel_events::Repository`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use novel_events::novel_engine::campaigns::{CampaignStarted, SessionStarted};
use novel_events::novel_engine::characters::{
    CharacterCreated, CharacterPersonalityEvolved, CharacterType, PersonalityTraitChanges,
    PersonalityTraits,
};
use novel_events::novel_engine::interactions::{
    ActionPerformed, ActionType, DialogueExchanged, DialogueTone,
};
use novel_events::novel_engine::narratives::{
    GenerationMetrics, Genre, StoryGenerated, StoryGenerationRequested, StoryLength, StoryTone,
};
use novel_events::novel_engine::orchestration::{
    Priority, ResourceAllocated, ResourceType, WorkflowStarted, WorkflowType,
};
use novel_events::novel_engine::{AnyEvent, CharactersSubscriber, NarrativesSubscriber};
use novel_events::store::projection::{self, Projection};
use novel_events::{
    DeadLetters, Envelope, EventAppender, EventBus, EventReader, ExpectedVersion, HandlerError,
    HandlerResult, InMemoryBus, OutboxRelay, Publisher, RetryPolicy, SqliteEventStore,
    StoreOptions, StoredEvent, SubscriptionOptions, handler_fn, lineage,
};
use serde_json::{Map, json};
use uuid::Uuid;

/// What the services say they did, in order.
#[derive(Clone, Default)]
struct Narration(Arc<Mutex<Vec<String>>>);

impl Narration {
    fn say(&self, line: String) {
        self.0.lock().expect("narration lock").push(line);
    }
}

/// Memory Service's view of the characters domain: it fails once (a timeout) and recovers.
#[derive(Default)]
struct MemoryService {
    memories: Mutex<BTreeMap<Uuid, String>>,
    timed_out: AtomicBool,
    narration: Narration,
    /// The wait before the first retry, for the narration.
    first_retry: Duration,
}

impl CharactersSubscriber for MemoryService {
    async fn on_character_created(&self, event: &Envelope<CharacterCreated>) -> HandlerResult {
        if !self.timed_out.swap(true, Ordering::SeqCst) {
            self.narration.say(format!(
                "Memory Service: storing {}'s memory timed out (attempt 1, code network-timeout); the bus retries in {} ms",
                event.payload.name,
                self.first_retry.as_millis()
            ));
            return Err(HandlerError::retryable(
                HandlerError::NETWORK_TIMEOUT,
                "memory store did not answer in time",
            ));
        }
        self.narration.say(format!(
            "Memory Service: remembered {} being created",
            event.payload.name
        ));
        let mut memories = self.memories.lock().expect("memory lock");
        memories.insert(
            event.payload.character_id,
            format!("{} remembers being created", event.payload.name),
        );
        Ok(())
    }

    async fn on_character_personality_evolved(
        &self,
        event: &Envelope<CharacterPersonalityEvolved>,
    ) -> HandlerResult {
        self.narration.say(format!(
            "Memory Service: noted a personality change ({})",
            event.payload.evolution_reason
        ));
        let mut memories = self.memories.lock().expect("memory lock");
        if let Some(memory) = memories.get_mut(&event.payload.character_id) {
            memory.push_str(&format!(
                "; changed because {}",
                event.payload.evolution_reason
            ));
        }
        Ok(())
    }
}

/// Story Engine's view of narratives: it refuses stories without characters, for good.
struct StoryEngine {
    narration: Narration,
}

impl NarrativesSubscriber for StoryEngine {
    async fn on_story_generation_requested(
        &self,
        event: &Envelope<StoryGenerationRequested>,
    ) -> HandlerResult {
        if event.payload.characters.is_empty() {
            self.narration.say(format!(
                "Story Engine: refused \"{}\": it has no characters (a permanent error: not retried, dead-lettered)",
                event.payload.title
            ));
            return Err(HandlerError::permanent(
                "a story needs at least one character",
            ));
        }
        self.narration.say(format!(
            "Story Engine: accepted \"{}\" with {}",
            event.payload.title,
            count(event.payload.characters.len(), "character")
        ));
        Ok(())
    }
}

fn character(name: &str, kind: CharacterType, user: Uuid) -> CharacterCreated {
    CharacterCreated {
        character_id: Uuid::now_v7(),
        name: name.into(),
        r#type: kind,
        personality_traits: PersonalityTraits {
            openness: 0.8,
            conscientiousness: 0.6,
            extraversion: 0.4,
            agreeableness: 0.7,
            neuroticism: 0.3,
        },
        background: format!("{name} grew up on the edge of the Ashen Wastes."),
        configuration: Map::new(),
        created_by: user,
    }
}

fn object(value: serde_json::Value) -> Map<String, serde_json::Value> {
    value.as_object().cloned().unwrap_or_default()
}

/// `1 story`, `2 stories`.
fn count(n: usize, noun: &str) -> String {
    match (n, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "story") => format!("{n} stories"),
        _ => format!("{n} {noun}s"),
    }
}

const HELP: &str = "\
The Novel Engine demo: services of the Novel Engine specification on the in-process bus and
the embedded event store. Characters are created, a story is requested and generated, a
campaign session plays out; Memory Service fails once and recovers by retry, Story Engine
dead-letters a story without characters. Every event is stored first, then published from
the store's outbox.

Usage: cargo run --example novel_engine [-- OPTIONS]

Options:
  --fresh    start from an empty store (deletes the demo's store file first)
  --help     this text

The store is target/novel-engine-demo.db, or the file NOVEL_ENGINE_DEMO_DB names. Run the
demo twice: the second run first replays the stored log into a read model.";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    run(std::env::args().skip(1)).await
}

/// The demo, with its command-line arguments.
pub async fn run(
    arguments: impl Iterator<Item = String>,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut fresh = false;
    for argument in arguments {
        match argument.as_str() {
            "--help" | "-h" => {
                println!("{HELP}");
                return Ok(());
            }
            "--fresh" => fresh = true,
            other => {
                eprintln!("unknown option `{other}`\n\n{HELP}");
                std::process::exit(2);
            }
        }
    }
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    metrics::set_global_recorder(recorder)?;

    let path = std::env::var_os("NOVEL_ENGINE_DEMO_DB").map_or_else(
        || {
            std::path::PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../target/novel-engine-demo.db"
            ))
        },
        std::path::PathBuf::from,
    );
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    if fresh {
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.clone().into_os_string();
            file.push(suffix);
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => return Err(error.into()),
            }
        }
    }
    let store = SqliteEventStore::<AnyEvent>::open_with(
        &path,
        StoreOptions {
            outbox: true,
            ..StoreOptions::default()
        },
    )?;
    let earlier = store.last_position().await?;
    let shown = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
    println!(
        "Event store: {} ({earlier} events from earlier runs)",
        shown.display()
    );
    if earlier > 0 {
        let started = std::time::Instant::now();
        let mut roster = Roster::default();
        let replayed = projection::replay(&store, &mut roster).await?;
        println!(
            "Replay: the roster read model, rebuilt from the {replayed} stored events in {:.1} ms (a projection from position 0): {}, {}, {}",
            started.elapsed().as_secs_f64() * 1000.0,
            count(roster.characters.len(), "character"),
            count(roster.stories, "story"),
            count(roster.campaigns, "campaign")
        );
    }

    let bus = InMemoryBus::<AnyEvent>::new();
    let quick_retry =
        RetryPolicy::default().with_delays(Duration::from_millis(50), Duration::from_millis(500));
    let narration = Narration::default();
    let memory = Arc::new(MemoryService {
        narration: narration.clone(),
        first_retry: quick_retry.delay(1),
        ..MemoryService::default()
    });
    bus.subscribe(
        SubscriptionOptions::asynchronous("memory-service").with_retry(quick_retry.clone()),
        Arc::clone(&memory).into_shared_handler(),
    )
    .await?;
    bus.subscribe(
        SubscriptionOptions::asynchronous("story-engine").with_retry(quick_retry),
        StoryEngine {
            narration: narration.clone(),
        }
        .into_handler(),
    )
    .await?;
    // Campaign Manager keeps a log of everything it sees, in order.
    let log: Arc<Mutex<Vec<Envelope<AnyEvent>>>> = Arc::default();
    let timeline = Arc::clone(&log);
    bus.subscribe(
        SubscriptionOptions::asynchronous("campaign-manager").with_queue(1, 64),
        handler_fn(move |event: Envelope<AnyEvent>| {
            let timeline = Arc::clone(&timeline);
            async move {
                timeline.lock().expect("log lock").push(event);
                HandlerResult::Ok(())
            }
        }),
    )
    .await?;

    let relay = OutboxRelay::new(store.clone(), bus.clone())?;
    // Whatever an earlier run stored but did not publish goes out first.
    let pending = relay.relay_pending().await?;
    if earlier > 0 {
        println!(
            "Outbox: {} stored by earlier runs but not yet published ({}).\n",
            count(pending, "event"),
            if pending == 0 {
                "each was published in its run, so nothing is sent again"
            } else {
                "published now, before this run's events"
            }
        );
    }
    let first_of_this_run = store.last_position().await? + 1;

    let author = Uuid::now_v7();
    let characters = Publisher::new(bus.clone(), "character-service").with_user(author);
    let stories = Publisher::new(bus.clone(), "story-engine").with_user(author);
    let campaigns = Publisher::new(bus.clone(), "campaign-manager").with_user(author);
    let workflows = Publisher::new(bus.clone(), "workflow-engine");

    let mira = record(
        &store,
        &relay,
        characters.build(character("Mira Vale", CharacterType::Protagonist, author)),
    )
    .await?;
    let oren = record(
        &store,
        &relay,
        characters.build(character("Oren Kast", CharacterType::Antagonist, author)),
    )
    .await?;
    let (mira_id, oren_id) = (mira.aggregate_id, oren.aggregate_id);

    // A story flow: request → workflow → resources → story.
    let story_id = Uuid::now_v7();
    let request = record(
        &store,
        &relay,
        stories.build(StoryGenerationRequested {
            story_id,
            title: "The Glass Citadel".into(),
            genre: Genre::SciFi,
            themes: vec!["betrayal".into(), "redemption".into()],
            characters: vec![mira_id, oren_id],
            length: StoryLength::Medium,
            tone: StoryTone::Mysterious,
            configuration: Map::new(),
            requested_by: author,
        }),
    )
    .await?;
    let workflow = record(
        &store,
        &relay,
        workflows.build_caused_by(
            &request,
            WorkflowStarted {
                workflow_id: Uuid::now_v7(),
                workflow_type: WorkflowType::StoryGeneration,
                steps: vec!["allocate-model".into(), "generate".into()],
                context: object(json!({ "storyId": story_id })),
                initiated_by: author,
                priority: Priority::High,
            },
        ),
    )
    .await?;
    let allocated = record(
        &store,
        &relay,
        workflows.build_caused_by(
            &workflow,
            ResourceAllocated {
                resource_id: Uuid::now_v7(),
                resource_type: ResourceType::AiModel,
                allocation_amount: 1.0,
                allocated_to: "story-engine".into(),
                duration: 120.0,
                priority: "high".into(),
            },
        ),
    )
    .await?;
    record(
        &store,
        &relay,
        stories.build_caused_by(
            &allocated,
            StoryGenerated {
                story_id,
                title: "The Glass Citadel".into(),
                content: "Mira crossed the glass bridge as Oren watched from the spire.".into(),
                word_count: 11,
                quality_score: 0.87,
                generation_metrics: GenerationMetrics {
                    duration: 4.2,
                    model_used: "story-model-large".into(),
                    tokens_consumed: 2048,
                    iterations: 2,
                },
                characters: vec![mira_id, oren_id],
            },
        ),
    )
    .await?;
    // A request without characters: Story Engine refuses it for good (a dead letter).
    record(
        &store,
        &relay,
        stories.build(StoryGenerationRequested {
            story_id: Uuid::now_v7(),
            title: "An Empty Stage".into(),
            genre: Genre::Drama,
            themes: vec![],
            characters: vec![],
            length: StoryLength::Short,
            tone: StoryTone::Light,
            configuration: Map::new(),
            requested_by: author,
        }),
    )
    .await?;

    // A campaign with a session, a dialogue, an action, and a personality that evolves.
    let campaign_id = Uuid::now_v7();
    let started = record(
        &store,
        &relay,
        campaigns.build(CampaignStarted {
            campaign_id,
            start_time: chrono::Utc::now(),
            participants: vec![author],
            initial_scene: object(json!({ "location": "The Glass Citadel gates" })),
            gamemaster: author,
        }),
    )
    .await?;
    let session = record(
        &store,
        &relay,
        campaigns.build_caused_by(
            &started,
            SessionStarted {
                campaign_id,
                session_id: Uuid::now_v7(),
                session_number: 1,
                start_time: chrono::Utc::now(),
                participants: vec![author],
                gamemaster: author,
                initial_state: Map::new(),
            },
        ),
    )
    .await?;
    let interaction_id = Uuid::now_v7();
    let dialogue = record(
        &store,
        &relay,
        campaigns.build_caused_by(
            &session,
            DialogueExchanged {
                interaction_id,
                campaign_id,
                speaker_id: mira_id,
                listener_id: oren_id,
                message: "You sold the citadel for a crown of glass.".into(),
                tone: DialogueTone::Hostile,
                context: Map::new(),
                timestamp: chrono::Utc::now(),
            },
        ),
    )
    .await?;
    let action = record(
        &store,
        &relay,
        campaigns.build_caused_by(
            &dialogue,
            ActionPerformed {
                interaction_id,
                campaign_id,
                acting_character_id: oren_id,
                action_type: ActionType::Environmental,
                action_description: "Oren shatters the bridge".into(),
                target_ids: vec![mira_id],
                success: true,
                outcomes: object(json!({ "bridge": "broken" })),
                consequences: vec!["Mira is stranded".into()],
            },
        ),
    )
    .await?;
    record(
        &store,
        &relay,
        characters.build_caused_by(
            &action,
            CharacterPersonalityEvolved {
                character_id: mira_id,
                trait_changes: PersonalityTraitChanges {
                    openness: -0.1,
                    conscientiousness: 0.0,
                    extraversion: -0.05,
                    agreeableness: -0.2,
                    neuroticism: 0.15,
                },
                triggering_events: vec![dialogue.event_id, action.event_id],
                evolution_reason: "betrayed on the bridge".into(),
            },
        ),
    )
    .await?;

    let report = bus.shutdown(Duration::from_secs(5)).await;

    let received = log.lock().expect("log lock").len();
    let stored = store.read_all(first_of_this_run - 1, 10_000).await?;
    println!(
        "Timeline of this run ({} events stored; Campaign Manager received {received})",
        stored.len()
    );
    for (position, event) in stored
        .iter()
        .map(|stored| (stored.position, &stored.envelope))
    {
        println!(
            "  #{position:<4} {}  {:<45} {:<12} {}",
            event.timestamp.format("%H:%M:%S%.3f"),
            event.event_type(),
            event.aggregate_type(),
            event.metadata.source
        );
    }

    println!(
        "\nCorrelation tree of the story flow ({}), from the store",
        request.correlation_id
    );
    for root in lineage(&store, request.event_id).await?.unwrap_or_default() {
        print!("{}", root.render());
    }

    println!("\nWhat the services did (in the order they did it)");
    for line in narration.0.lock().expect("narration lock").iter() {
        println!("  {line}");
    }

    println!("\nMemory Service remembers:");
    for memory in memory.memories.lock().expect("memory lock").values() {
        println!("  {memory}");
    }
    println!("\nDead letters:");
    for letter in bus.dead_letters().list().await? {
        println!(
            "  #{} {} for {} after {}: {} ({})",
            letter.id,
            letter
                .envelope()
                .map_or("(undecodable)", |event| event.event_type()),
            letter.subscriber,
            count(letter.attempts as usize, "attempt"),
            letter.error,
            letter.reason
        );
    }

    println!("\nMetrics");
    let mut rows: Vec<(String, u64)> = Vec::new();
    for (key, _, _, value) in snapshotter.snapshot().into_vec() {
        if let DebugValue::Counter(count) = value {
            let labels: Vec<String> = key
                .key()
                .labels()
                .map(|label| format!("{}={}", label.key(), label.value()))
                .collect();
            rows.push((
                format!("{} {{{}}}", key.key().name(), labels.join(", ")),
                count,
            ));
        }
    }
    rows.sort();
    let mut totals: BTreeMap<String, u64> = BTreeMap::new();
    for (name, count) in &rows {
        let metric = name.split(' ').next().unwrap_or_default().to_owned();
        *totals.entry(metric).or_default() += count;
    }
    for (metric, count) in &totals {
        println!("  {metric:<40} {count}");
    }
    println!(
        "\nShutdown: {} still queued when it began and handled before its deadline (drained), {} abandoned to the dead-letter queue{}",
        count(report.drained, "event"),
        report.abandoned,
        if report.drained == 0 {
            "; each event was handled as it was published, so nothing was left to drain"
        } else {
            ""
        }
    );

    let schema = novel_events::novel_engine::CATALOG
        .json_schema("characters.character.created", "1.0.0")
        .ok_or("no schema")?;
    println!(
        "\nJSON Schema (draft 2020-12) of characters.character.created 1.0.0, from the catalog: {} payload properties, required {}",
        schema["properties"]["payload"]["properties"]
            .as_object()
            .map_or(0, Map::len),
        schema["properties"]["payload"]["required"]
    );
    println!("Run the demo again: it replays this store into a read model first.");
    Ok(())
}

/// A read model rebuilt from the stored log on the second run.
#[derive(Default)]
struct Roster {
    characters: BTreeMap<Uuid, String>,
    stories: usize,
    campaigns: usize,
}

impl Projection<AnyEvent> for Roster {
    fn name(&self) -> &str {
        "demo-roster"
    }

    fn apply(&mut self, event: &StoredEvent<AnyEvent>) -> HandlerResult {
        match &event.envelope.payload {
            AnyEvent::CharacterCreated(created) => {
                self.characters
                    .insert(created.character_id, created.name.clone());
            }
            AnyEvent::CharacterDeleted(deleted) => {
                self.characters.remove(&deleted.character_id);
            }
            AnyEvent::StoryGenerated(_) => self.stories += 1,
            AnyEvent::CampaignStarted(_) => self.campaigns += 1,
            _ => {}
        }
        Ok(())
    }
}

/// Appends an event to the store, then publishes it (with whatever else is pending) from the
/// outbox to the bus.
async fn record(
    store: &SqliteEventStore<AnyEvent>,
    relay: &OutboxRelay<AnyEvent, InMemoryBus<AnyEvent>>,
    envelope: Envelope<AnyEvent>,
) -> Result<Envelope<AnyEvent>, Box<dyn std::error::Error>> {
    store
        .append(
            envelope.aggregate_id,
            ExpectedVersion::Any,
            vec![envelope.clone()],
        )
        .await?;
    relay.relay_pending().await?;
    Ok(envelope)
}
