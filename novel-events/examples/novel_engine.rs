//! The Novel Engine demo: a story flow built from the catalog's typed events, sent as JSON,
//! decoded by eventType, and dispatched to subscribers generated from the catalog.
//!
//! Run it with `cargo run --example novel_engine`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use novel_events::novel_engine::characters::{
    CharacterCreated, CharacterDeleted, CharacterType, PersonalityTraits,
};
use novel_events::novel_engine::narratives::{
    GenerationMetrics, Genre, StoryGenerated, StoryGenerationRequested, StoryLength, StoryTone,
};
use novel_events::novel_engine::{
    AnyEvent, CATALOG, CharactersSubscriber, CleanupServiceSubscriber,
};
use novel_events::{Envelope, Event, HandlerResult};
use uuid::Uuid;

/// A read model of the characters domain: names of the living characters.
#[derive(Default)]
struct CharacterRoster {
    names: Mutex<BTreeMap<Uuid, String>>,
}

impl CharactersSubscriber for CharacterRoster {
    async fn on_character_created(&self, event: &Envelope<CharacterCreated>) -> HandlerResult {
        let mut names = self.names.lock().expect("roster lock");
        names.insert(event.payload.character_id, event.payload.name.clone());
        Ok(())
    }

    async fn on_character_deleted(&self, event: &Envelope<CharacterDeleted>) -> HandlerResult {
        let mut names = self.names.lock().expect("roster lock");
        names.remove(&event.payload.character_id);
        Ok(())
    }
}

/// The catalog says Cleanup Service subscribes to `CharacterDeleted`: its trait requires exactly
/// that method, so forgetting it would not compile.
#[derive(Default)]
struct CleanupService {
    cascaded: Mutex<Vec<Uuid>>,
}

impl CleanupServiceSubscriber for CleanupService {
    async fn on_character_deleted(&self, event: &Envelope<CharacterDeleted>) -> HandlerResult {
        self.cascaded
            .lock()
            .expect("cleanup lock")
            .push(event.payload.character_id);
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
        configuration: serde_json::Map::new(),
        created_by: user,
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let author = Uuid::now_v7();
    let mut log: Vec<String> = Vec::new();

    // Two characters, each the root of its own flow.
    let mira = Envelope::new(
        character("Mira Vale", CharacterType::Protagonist, author),
        "character-service",
    )
    .with_user(author);
    let oren = Envelope::new(
        character("Oren Kast", CharacterType::Antagonist, author),
        "character-service",
    )
    .with_user(author);

    // A story request, and the story it causes: one correlation, a causation chain.
    let story_id = Uuid::now_v7();
    let request = Envelope::new(
        StoryGenerationRequested {
            story_id,
            title: "The Glass Citadel".into(),
            genre: Genre::SciFi,
            themes: vec!["betrayal".into(), "redemption".into()],
            characters: vec![mira.payload.character_id, oren.payload.character_id],
            length: StoryLength::Medium,
            tone: StoryTone::Mysterious,
            configuration: serde_json::Map::new(),
            requested_by: author,
        },
        "story-api",
    )
    .with_user(author);
    let generated = Envelope::caused_by(
        &request,
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
            characters: vec![mira.payload.character_id, oren.payload.character_id],
        },
    )
    .with_source("story-engine");
    generated.payload.validate()?;

    let deleted = Envelope::caused_by(
        &oren,
        CharacterDeleted {
            character_id: oren.payload.character_id,
            name: "Oren Kast".into(),
            deletion_reason: "Retired after the finale".into(),
            deleted_by: author,
        },
    );

    // Everything goes over the wire as the seed's JSON envelope...
    log.push(serde_json::to_string(&mira)?);
    log.push(serde_json::to_string(&oren)?);
    log.push(serde_json::to_string(&request)?);
    log.push(serde_json::to_string(&generated)?);
    log.push(serde_json::to_string(&deleted)?);

    // ...and comes back typed, routed by eventType and eventVersion.
    let roster = CharacterRoster::default();
    let cleanup = CleanupService::default();
    let mut received = Vec::new();
    for line in &log {
        let envelope: Envelope<AnyEvent> = serde_json::from_str(line)?;
        roster.dispatch(&envelope).await?;
        cleanup.dispatch(&envelope).await?;
        received.push(envelope);
    }

    println!("Timeline");
    for envelope in &received {
        println!(
            "  {}  {:<42} {:<14} {}",
            envelope.timestamp.format("%H:%M:%S%.3f"),
            envelope.event_type(),
            envelope.aggregate_type(),
            envelope.event_id
        );
    }

    println!(
        "\nCorrelation tree of the story flow ({})",
        request.correlation_id
    );
    print_tree(&received, request.event_id, 1);

    println!("\nCharacters still in the roster:");
    for name in roster.names.lock().expect("roster lock").values() {
        println!("  {name}");
    }
    println!(
        "Cleanup Service cascaded {} deletion(s).",
        cleanup.cascaded.lock().expect("cleanup lock").len()
    );

    let schema = CATALOG
        .json_schema(StoryGenerated::EVENT_TYPE, StoryGenerated::EVENT_VERSION)
        .ok_or("StoryGenerated is in the catalog")?;
    println!(
        "\nJSON Schema of {} requires payload fields: {}",
        StoryGenerated::EVENT_TYPE,
        schema["properties"]["payload"]["required"]
    );
    println!(
        "Catalog {} {}: {} events, {} subscriber services.",
        CATALOG.name,
        CATALOG.version,
        CATALOG.events.len(),
        CATALOG.services().len()
    );
    Ok(())
}

fn print_tree(events: &[Envelope<AnyEvent>], id: Uuid, depth: usize) {
    for event in events.iter().filter(|event| event.event_id == id) {
        println!(
            "{}{} ({})",
            "  ".repeat(depth),
            event.event_type(),
            event.metadata.source
        );
    }
    for child in events
        .iter()
        .filter(|event| event.causation_id == id && event.event_id != id)
    {
        print_tree(events, child.event_id, depth + 1);
    }
}
