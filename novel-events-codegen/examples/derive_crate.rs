//! The scratch crates of `scripts/bench-derive-check.sh`, and the derive's own work timed in
//! process.
//!
//! ```text
//! cargo run -p novel-events-codegen --example derive_crate -- write <dir> <variant> <novel-events dir> <catalog.yaml>
//! cargo run -p novel-events-codegen --example derive_crate -- time <catalog.yaml> [rounds]
//! ```
//!
//! `write` writes a crate of 104 `#[derive(Event)]` structs: the 26 Novel Engine events, in
//! four modules. Modules `m0` and `m2` use the catalog's generated enums and nested structs
//! (`novel_events::novel_engine::...`); `m1` and `m3` use the crate's own
//! `#[derive(EventEnum)]` enums and nested structs that implement `HoldsObject`. The other
//! fields are `Uuid`, `String`, `i64`/`u32`/`u64`, `f64`, `bool`, `DateTime<Utc>`,
//! `Vec<Uuid>`, `Vec<String>` and `serde_json::Map<String, Value>`. The variants differ only in
//! the `#[event(...)]` attributes:
//!
//! - `checked`: `catalog = "catalog/novel-engine.yaml"` on every struct;
//! - `plain`: no catalog; `aggregate = "..."` and `#[event(aggregate_id)]` (or
//!   `#[event(aggregate_id = "uuid_v5")]`) instead;
//! - `uncached`: like `checked`, but each struct names the catalog by another path
//!   (`catalog/s17/../novel-engine.yaml`), so the macro's catalog cache, keyed on the path,
//!   misses every time: each derive re-reads and re-parses the file.
//!
//! `time` runs `novel_events_codegen::derive::event` in this process on the same 104 structs
//! (parsed once), and prints the median of `rounds` rounds (default 15) of: one
//! `load_catalog`, the 104 expansions with the catalog loaded once (as the macro's cache
//! does), with the catalog loaded again for each struct (no cache), and without a catalog; then
//! what the expansions emit. Run it unoptimized, like proc macros under `cargo check`.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use novel_events_codegen::CatalogError;
use novel_events_codegen::derive::LoadedCatalog;
use proc_macro2::{TokenStream, TokenTree};

/// One field: its Rust name and type in the modules that use the catalog's generated types
/// (`generated`) and in those that use their own (`own`).
struct FieldDef {
    name: &'static str,
    generated: &'static str,
    own: &'static str,
}

/// One Novel Engine event. Its first field is the aggregate id (a name-based one when
/// `name_based`).
struct EventDef {
    name: &'static str,
    event_type: &'static str,
    aggregate: &'static str,
    name_based: bool,
    fields: &'static [FieldDef],
}

/// A field of the same type in every module.
const fn same(name: &'static str, ty: &'static str) -> FieldDef {
    FieldDef {
        name,
        generated: ty,
        own: ty,
    }
}

/// A field of a generated type in `m0`/`m2` and of the crate's own type in `m1`/`m3`.
const fn pick(name: &'static str, generated: &'static str, own: &'static str) -> FieldDef {
    FieldDef {
        name,
        generated,
        own,
    }
}

const UUID: &str = "Uuid";
const STRING: &str = "String";
const MAP: &str = "Map<String, Value>";
const TIME: &str = "DateTime<Utc>";
const UUIDS: &str = "Vec<Uuid>";
const STRINGS: &str = "Vec<String>";

const fn event(
    name: &'static str,
    event_type: &'static str,
    aggregate: &'static str,
    fields: &'static [FieldDef],
) -> EventDef {
    EventDef {
        name,
        event_type,
        aggregate,
        name_based: false,
        fields,
    }
}

/// The 26 events of `catalog/novel-engine.yaml`.
const EVENTS: &[EventDef] = &[
    event(
        "CharacterCreated",
        "characters.character.created",
        "Character",
        &[
            same("character_id", UUID),
            same("name", STRING),
            pick(
                "r#type",
                "characters::CharacterType",
                "types::CharacterType",
            ),
            pick(
                "personality_traits",
                "characters::PersonalityTraits",
                "types::Traits",
            ),
            same("background", STRING),
            same("configuration", MAP),
            same("created_by", UUID),
        ],
    ),
    event(
        "CharacterUpdated",
        "characters.character.updated",
        "Character",
        &[
            same("character_id", UUID),
            same("changes", MAP),
            same("previous_values", MAP),
            same("updated_by", UUID),
        ],
    ),
    event(
        "CharacterDeleted",
        "characters.character.deleted",
        "Character",
        &[
            same("character_id", UUID),
            same("name", STRING),
            same("deletion_reason", STRING),
            same("deleted_by", UUID),
        ],
    ),
    event(
        "CharacterSkillGained",
        "characters.character.skill-gained",
        "Character",
        &[
            same("character_id", UUID),
            same("skill_name", STRING),
            pick("skill_level", "i64", "u32"),
            pick(
                "acquisition_method",
                "characters::AcquisitionMethod",
                "types::AcquisitionMethod",
            ),
            same("context", STRING),
        ],
    ),
    event(
        "CharacterRelationshipFormed",
        "characters.character.relationship-formed",
        "Character",
        &[
            same("character_id", UUID),
            same("related_character_id", UUID),
            pick(
                "relationship_type",
                "characters::RelationshipType",
                "types::RelationshipType",
            ),
            same("relationship_strength", "f64"),
            same("context", STRING),
            same("formation_event", STRING),
        ],
    ),
    event(
        "CharacterPersonalityEvolved",
        "characters.character.personality-evolved",
        "Character",
        &[
            same("character_id", UUID),
            pick(
                "trait_changes",
                "characters::PersonalityTraitChanges",
                "types::TraitChanges",
            ),
            same("triggering_events", UUIDS),
            same("evolution_reason", STRING),
        ],
    ),
    event(
        "StoryGenerationRequested",
        "narratives.story.generation-requested",
        "Story",
        &[
            same("story_id", UUID),
            same("title", STRING),
            pick("genre", "narratives::Genre", "types::Genre"),
            same("themes", STRINGS),
            same("characters", UUIDS),
            pick("length", "narratives::StoryLength", "types::StoryLength"),
            pick("tone", "narratives::StoryTone", "types::StoryTone"),
            same("configuration", MAP),
            same("requested_by", UUID),
        ],
    ),
    event(
        "StoryGenerated",
        "narratives.story.generated",
        "Story",
        &[
            same("story_id", UUID),
            same("title", STRING),
            same("content", STRING),
            pick("word_count", "i64", "u32"),
            same("quality_score", "f64"),
            pick(
                "generation_metrics",
                "narratives::GenerationMetrics",
                "types::Metrics",
            ),
            same("characters", UUIDS),
        ],
    ),
    event(
        "StoryQualityAssessed",
        "narratives.story.quality-assessed",
        "Story",
        &[
            same("story_id", UUID),
            same("quality_score", "f64"),
            pick(
                "assessment_criteria",
                "narratives::AssessmentCriteria",
                "types::Criteria",
            ),
            pick("assessor", "narratives::Assessor", "types::Assessor"),
            same("assessor_id", UUID),
            same("feedback", STRING),
        ],
    ),
    event(
        "PlotPointReached",
        "narratives.plot.point-reached",
        "Story",
        &[
            same("story_id", UUID),
            pick("plot_point", "narratives::PlotPoint", "types::PlotPoint"),
            same("description", STRING),
            same("characters", UUIDS),
            same("consequences", STRINGS),
            same("timestamp", TIME),
        ],
    ),
    event(
        "NarrativeConflictIntroduced",
        "narratives.narrative.conflict-introduced",
        "Story",
        &[
            same("story_id", UUID),
            same("conflict_id", UUID),
            pick(
                "conflict_type",
                "narratives::ConflictType",
                "types::ConflictType",
            ),
            same("description", STRING),
            same("involved_characters", UUIDS),
            pick("severity", "narratives::Severity", "types::Severity"),
            same("expected_resolution", STRING),
        ],
    ),
    event(
        "CampaignCreated",
        "campaigns.campaign.created",
        "Campaign",
        &[
            same("campaign_id", UUID),
            same("name", STRING),
            same("description", STRING),
            same("configuration", MAP),
            same("created_by", UUID),
            same("initial_participants", UUIDS),
            same("world_state", MAP),
        ],
    ),
    event(
        "CampaignStarted",
        "campaigns.campaign.started",
        "Campaign",
        &[
            same("campaign_id", UUID),
            same("start_time", TIME),
            same("participants", UUIDS),
            same("initial_scene", MAP),
            same("gamemaster", UUID),
        ],
    ),
    event(
        "CampaignCompleted",
        "campaigns.campaign.completed",
        "Campaign",
        &[
            same("campaign_id", UUID),
            same("completion_time", TIME),
            same("final_scene", MAP),
            same("outcomes", MAP),
            pick(
                "statistics",
                "campaigns::CampaignStatistics",
                "types::Statistics",
            ),
            pick(
                "completion_reason",
                "campaigns::CompletionReason",
                "types::CompletionReason",
            ),
        ],
    ),
    event(
        "SessionStarted",
        "campaigns.session.started",
        "Campaign",
        &[
            same("campaign_id", UUID),
            same("session_id", UUID),
            pick("session_number", "i64", "u32"),
            same("start_time", TIME),
            same("participants", UUIDS),
            same("gamemaster", UUID),
            same("initial_state", MAP),
        ],
    ),
    event(
        "WorldStateChanged",
        "campaigns.world.state-changed",
        "Campaign",
        &[
            same("campaign_id", UUID),
            same("session_id", UUID),
            same("changes", MAP),
            same("previous_state", MAP),
            same("change_reason", STRING),
            same("changed_by", UUID),
            same("timestamp", TIME),
        ],
    ),
    event(
        "InteractionInitiated",
        "interactions.interaction.initiated",
        "Interaction",
        &[
            same("interaction_id", UUID),
            same("campaign_id", UUID),
            same("session_id", UUID),
            same("initiating_character_id", UUID),
            same("target_character_ids", UUIDS),
            pick(
                "interaction_type",
                "interactions::InteractionType",
                "types::InteractionType",
            ),
            same("intent", STRING),
            same("context", MAP),
        ],
    ),
    event(
        "DialogueExchanged",
        "interactions.dialogue.exchanged",
        "Interaction",
        &[
            same("interaction_id", UUID),
            same("campaign_id", UUID),
            same("speaker_id", UUID),
            same("listener_id", UUID),
            same("message", STRING),
            pick("tone", "interactions::DialogueTone", "types::DialogueTone"),
            same("context", MAP),
            same("timestamp", TIME),
        ],
    ),
    event(
        "ActionPerformed",
        "interactions.action.performed",
        "Interaction",
        &[
            same("interaction_id", UUID),
            same("campaign_id", UUID),
            same("acting_character_id", UUID),
            pick(
                "action_type",
                "interactions::ActionType",
                "types::ActionType",
            ),
            same("action_description", STRING),
            same("target_ids", UUIDS),
            same("success", "bool"),
            same("outcomes", MAP),
            same("consequences", STRINGS),
        ],
    ),
    event(
        "InteractionResolved",
        "interactions.interaction.resolved",
        "Interaction",
        &[
            same("interaction_id", UUID),
            same("campaign_id", UUID),
            same("participants", UUIDS),
            same("resolution", MAP),
            same("duration", "f64"),
            same("consequences", STRINGS),
            same("narrative_impact", STRING),
        ],
    ),
    event(
        "WorkflowStarted",
        "orchestration.workflow.started",
        "Workflow",
        &[
            same("workflow_id", UUID),
            pick(
                "workflow_type",
                "orchestration::WorkflowType",
                "types::WorkflowType",
            ),
            same("steps", STRINGS),
            same("context", MAP),
            same("initiated_by", UUID),
            pick("priority", "orchestration::Priority", "types::Priority"),
        ],
    ),
    event(
        "ResourceAllocated",
        "orchestration.resource.allocated",
        "Resource",
        &[
            same("resource_id", UUID),
            pick(
                "resource_type",
                "orchestration::ResourceType",
                "types::ResourceType",
            ),
            same("allocation_amount", "f64"),
            same("allocated_to", STRING),
            same("duration", "f64"),
            same("priority", STRING),
        ],
    ),
    event(
        "ServiceCoordinationRequired",
        "orchestration.service.coordination-required",
        "Coordination",
        &[
            same("coordination_id", UUID),
            same("services", STRINGS),
            same("operation", STRING),
            same("dependencies", MAP),
            same("timeout", "f64"),
        ],
    ),
    event(
        "UserAuthenticated",
        "shared.user.authenticated",
        "User",
        &[
            same("user_id", UUID),
            same("email", STRING),
            pick(
                "authentication_method",
                "shared::AuthenticationMethod",
                "types::AuthenticationMethod",
            ),
            same("session_id", UUID),
            same("timestamp", TIME),
            same("ip_address", STRING),
            same("user_agent", STRING),
        ],
    ),
    EventDef {
        name: "SystemHealthChanged",
        event_type: "shared.system.health-changed",
        aggregate: "SystemComponent",
        name_based: true,
        fields: &[
            same("component", STRING),
            pick("previous_health", "HealthStatus", "types::HealthStatus"),
            pick("current_health", "HealthStatus", "types::HealthStatus"),
            same("details", MAP),
            same("timestamp", TIME),
        ],
    },
    event(
        "DataBackupCompleted",
        "shared.data.backup-completed",
        "Backup",
        &[
            same("backup_id", UUID),
            pick("backup_type", "shared::BackupType", "types::BackupType"),
            same("data_size", "u64"),
            same("duration", "f64"),
            same("success", "bool"),
            same("location", STRING),
            same("timestamp", TIME),
        ],
    ),
];

/// How many modules repeat the 26 events.
const MODULES: usize = 4;

/// The crate's own enums (`#[derive(EventEnum)]`, kebab-case) used by `m1` and `m3`.
const OWN_ENUMS: &[(&str, &[&str])] = &[
    (
        "CharacterType",
        &["Protagonist", "Antagonist", "Npc", "Narrator"],
    ),
    (
        "AcquisitionMethod",
        &["Training", "Experience", "StoryEvent"],
    ),
    (
        "RelationshipType",
        &["Ally", "Enemy", "Neutral", "Romantic", "Family"],
    ),
    (
        "Genre",
        &[
            "Fantasy",
            "SciFi",
            "Mystery",
            "Romance",
            "Horror",
            "Adventure",
            "Drama",
            "Comedy",
        ],
    ),
    ("StoryLength", &["Short", "Medium", "Long"]),
    (
        "StoryTone",
        &["Dark", "Light", "Heroic", "Mysterious", "Comedic"],
    ),
    ("Assessor", &["Ai", "Human"]),
    (
        "PlotPoint",
        &[
            "IncitingIncident",
            "RisingAction",
            "Climax",
            "FallingAction",
            "Resolution",
        ],
    ),
    (
        "ConflictType",
        &[
            "CharacterVsCharacter",
            "CharacterVsNature",
            "CharacterVsSociety",
            "CharacterVsSelf",
        ],
    ),
    ("Severity", &["Minor", "Moderate", "Major", "Critical"]),
    (
        "CompletionReason",
        &["NaturalConclusion", "EarlyTermination", "PlayerRequest"],
    ),
    (
        "InteractionType",
        &["Dialogue", "Action", "Combat", "SkillCheck"],
    ),
    (
        "DialogueTone",
        &[
            "Friendly",
            "Hostile",
            "Neutral",
            "Romantic",
            "Authoritative",
        ],
    ),
    (
        "ActionType",
        &["Movement", "SkillUse", "ItemInteraction", "Environmental"],
    ),
    (
        "WorkflowType",
        &[
            "StoryGeneration",
            "CampaignCreation",
            "CharacterInteraction",
        ],
    ),
    ("Priority", &["Low", "Normal", "High", "Critical"]),
    (
        "ResourceType",
        &[
            "AiModel",
            "DatabaseConnection",
            "CacheSpace",
            "ComputeInstance",
        ],
    ),
    ("AuthenticationMethod", &["Password", "Oauth2", "ApiKey"]),
    ("BackupType", &["Full", "Incremental", "Differential"]),
    ("HealthStatus", &["Healthy", "Degraded", "Unhealthy"]),
];

/// The crate's own nested structs (`HoldsObject`) used by `m1` and `m3`: name, fields.
const OWN_STRUCTS: &[(&str, &[(&str, &str)])] = &[
    (
        "Traits",
        &[
            ("openness", "f64"),
            ("conscientiousness", "f64"),
            ("extraversion", "f64"),
            ("agreeableness", "f64"),
            ("neuroticism", "f64"),
        ],
    ),
    (
        "TraitChanges",
        &[
            ("openness", "f64"),
            ("conscientiousness", "f64"),
            ("extraversion", "f64"),
            ("agreeableness", "f64"),
            ("neuroticism", "f64"),
        ],
    ),
    (
        "Metrics",
        &[
            ("duration", "f64"),
            ("model_used", "String"),
            ("tokens_consumed", "u64"),
            ("iterations", "u32"),
        ],
    ),
    (
        "Criteria",
        &[
            ("coherence", "f64"),
            ("engagement", "f64"),
            ("character_development", "f64"),
            ("plot_structure", "f64"),
            ("language_quality", "f64"),
        ],
    ),
    (
        "Statistics",
        &[
            ("duration", "f64"),
            ("sessions_count", "u32"),
            ("participants_count", "u32"),
            ("stories_generated", "u32"),
        ],
    ),
];

/// The three crates the benchmark compares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Variant {
    Checked,
    Plain,
    Uncached,
}

impl Variant {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "checked" => Some(Self::Checked),
            "plain" => Some(Self::Plain),
            "uncached" => Some(Self::Uncached),
            _ => None,
        }
    }
}

/// The text of one derived struct; `index` numbers the structs of the crate (0..104).
fn struct_text(event: &EventDef, own: bool, variant: Variant, index: usize) -> String {
    let mut text = String::new();
    text.push_str(
        "#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Event)]\n#[serde(rename_all = \"camelCase\")]\n",
    );
    let _ = write!(
        text,
        "#[event(type = \"{}\", version = \"1.0.0\", ",
        event.event_type
    );
    match variant {
        Variant::Checked => text.push_str("catalog = \"catalog/novel-engine.yaml\""),
        Variant::Uncached => {
            let _ = write!(text, "catalog = \"catalog/s{index}/../novel-engine.yaml\"");
        }
        Variant::Plain => {
            let _ = write!(text, "aggregate = \"{}\"", event.aggregate);
        }
    }
    let _ = writeln!(text, ")]\npub struct {} {{", event.name);
    for (position, field) in event.fields.iter().enumerate() {
        if position == 0 && variant == Variant::Plain {
            text.push_str(if event.name_based {
                "    #[event(aggregate_id = \"uuid_v5\")]\n"
            } else {
                "    #[event(aggregate_id)]\n"
            });
        }
        let ty = if own { field.own } else { field.generated };
        let _ = writeln!(text, "    pub {}: {ty},", field.name);
    }
    text.push_str("}\n");
    text
}

/// Every derived struct of the crate, in order, with its module.
fn structs(variant: Variant) -> Vec<(usize, String)> {
    let mut all = Vec::new();
    for module in 0..MODULES {
        for event in EVENTS {
            let index = all.len();
            all.push((module, struct_text(event, module % 2 == 1, variant, index)));
        }
    }
    all
}

fn own_types() -> String {
    let mut text = String::from(
        "/// The crate's own enums and nested structs, used by `m1` and `m3`.\npub mod types {\n    use serde::{Deserialize, Serialize};\n\n",
    );
    for (name, variants) in OWN_ENUMS {
        let _ = writeln!(
            text,
            "    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, novel_events::EventEnum)]\n    #[serde(rename_all = \"kebab-case\")]\n    pub enum {name} {{\n        {},\n    }}\n",
            variants.join(",\n        ")
        );
    }
    for (name, fields) in OWN_STRUCTS {
        let _ = writeln!(
            text,
            "    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]\n    #[serde(rename_all = \"camelCase\")]\n    pub struct {name} {{"
        );
        for (field, ty) in *fields {
            let _ = writeln!(text, "        pub {field}: {ty},");
        }
        let _ = writeln!(
            text,
            "    }}\n\n    impl novel_events::compat::HoldsObject for {name} {{}}\n"
        );
    }
    text.push_str("}\n");
    text
}

fn lib_rs(variant: Variant) -> String {
    let what = match variant {
        Variant::Checked => "each checked against catalog/novel-engine.yaml",
        Variant::Plain => "without a catalog (aggregate = \"...\" and #[event(aggregate_id)])",
        Variant::Uncached => {
            "each checked against catalog/novel-engine.yaml named by a path of its own, so that the macro's catalog cache misses"
        }
    };
    let mut text = format!(
        "//! Written by `cargo run -p novel-events-codegen --example derive_crate`, for\n//! scripts/bench-derive-check.sh: {} `#[derive(Event)]` structs (the 26 Novel Engine events in\n//! {MODULES} modules), {what}.\n#![allow(missing_docs)]\n\n",
        EVENTS.len() * MODULES
    );
    text.push_str(&own_types());
    let all = structs(variant);
    for module in 0..MODULES {
        let own = module % 2 == 1;
        let _ = writeln!(
            text,
            "\n/// The 26 events, with {} enums and nested structs.\npub mod m{module} {{",
            if own {
                "the crate's own"
            } else {
                "the catalog's generated"
            }
        );
        text.push_str(
            "    #![allow(unused_imports)]\n    use chrono::{DateTime, Utc};\n    use novel_events::Event;\n    use serde::{Deserialize, Serialize};\n    use serde_json::{Map, Value};\n    use uuid::Uuid;\n",
        );
        if own {
            text.push_str("    use crate::types;\n");
        } else {
            text.push_str("    use novel_events::novel_engine::{HealthStatus, campaigns, characters, interactions, narratives, orchestration, shared};\n");
        }
        for (_, body) in all.iter().filter(|(m, _)| *m == module) {
            text.push('\n');
            for line in body.lines() {
                let _ = writeln!(text, "    {line}");
            }
        }
        text.push_str("}\n");
    }
    text
}

fn cargo_toml(variant: Variant, novel_events: &Path) -> String {
    let name = match variant {
        Variant::Checked => "checked",
        Variant::Plain => "plain",
        Variant::Uncached => "uncached",
    };
    format!(
        r#"[package]
name = "bench-derive-{name}"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
novel-events = {{ path = "{}", default-features = false, features = ["novel-engine"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
uuid = {{ version = "1", features = ["serde"] }}
chrono = {{ version = "0.4", default-features = false, features = ["serde", "clock", "std"] }}

[workspace]
"#,
        novel_events.display()
    )
}

fn write_crate(dir: &Path, variant: Variant, novel_events: &Path, catalog: &Path) {
    let run = || -> std::io::Result<()> {
        std::fs::create_dir_all(dir.join("src"))?;
        std::fs::create_dir_all(dir.join("catalog"))?;
        std::fs::write(
            dir.join("Cargo.toml"),
            cargo_toml(variant, &std::fs::canonicalize(novel_events)?),
        )?;
        // Unchanged files are left alone, so that cargo does not rebuild for nothing.
        let lib = lib_rs(variant);
        if std::fs::read_to_string(dir.join("src/lib.rs"))
            .ok()
            .as_deref()
            != Some(&lib)
        {
            std::fs::write(dir.join("src/lib.rs"), lib)?;
        }
        let yaml = std::fs::read(catalog)?;
        let target = dir.join("catalog/novel-engine.yaml");
        if std::fs::read(&target).ok().as_deref() != Some(&yaml[..]) {
            std::fs::write(&target, yaml)?;
        }
        if variant == Variant::Uncached {
            for index in 0..EVENTS.len() * MODULES {
                std::fs::create_dir_all(dir.join(format!("catalog/s{index}")))?;
            }
        }
        Ok(())
    };
    if let Err(error) = run() {
        eprintln!("cannot write {}: {error}", dir.display());
        std::process::exit(1);
    }
}

/// Times a piece of work by the CPU time of this thread (Linux's
/// `/proc/thread-self/schedstat`), which other processes competing for the cores disturb far
/// less than the wall time; by the wall time where that file is missing.
struct Clock {
    wall: Instant,
    cpu: Option<Duration>,
}

impl Clock {
    fn cpu_time() -> Option<Duration> {
        let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        stat.split_whitespace()
            .next()?
            .parse()
            .ok()
            .map(Duration::from_nanos)
    }

    fn start() -> Self {
        Self {
            cpu: Self::cpu_time(),
            wall: Instant::now(),
        }
    }

    fn elapsed(&self) -> Duration {
        match (self.cpu, Self::cpu_time()) {
            (Some(start), Some(now)) => now.saturating_sub(start),
            _ => self.wall.elapsed(),
        }
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1000.0)
}

/// Every token of a stream, inside groups too (a group counts as its two delimiters).
fn count_tokens(tokens: TokenStream) -> usize {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => 2 + count_tokens(group.stream()),
            _ => 1,
        })
        .sum()
}

/// How many times `ident` occurs as an identifier in `tokens`.
fn count_ident(tokens: &TokenStream, ident: &str) -> usize {
    tokens
        .clone()
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => count_ident(&group.stream(), ident),
            TokenTree::Ident(found) if found == ident => 1,
            _ => 0,
        })
        .sum()
}

fn time(catalog_path: &Path, rounds: usize) {
    let display = "catalog/novel-engine.yaml";
    let load = || {
        novel_events_codegen::load_catalog(catalog_path, display).unwrap_or_else(|diagnostics| {
            for diagnostic in diagnostics {
                eprintln!("error: {diagnostic}");
            }
            std::process::exit(1);
        })
    };
    let loaded = |catalog| {
        Arc::new(LoadedCatalog {
            catalog,
            path: catalog_path.to_path_buf(),
        })
    };
    let parse = |variant| -> Vec<syn::DeriveInput> {
        structs(variant)
            .into_iter()
            .map(|(_, text)| syn::parse_str(&text).expect("the struct parses"))
            .collect()
    };
    let (checked, plain) = (parse(Variant::Checked), parse(Variant::Plain));
    let n = checked.len();

    let once = loaded(load());
    let cache_hit = |_: &syn::LitStr| Ok(Arc::clone(&once));
    let cache_miss = |_: &syn::LitStr| Ok(loaded(load()));
    let no_catalog = |_: &syn::LitStr| -> Result<Arc<LoadedCatalog>, CatalogError> {
        unreachable!("no struct names a catalog")
    };
    let expand_all = |inputs: &[syn::DeriveInput],
                      loader: novel_events_codegen::derive::CatalogLoader<'_>|
     -> usize {
        inputs
            .iter()
            .map(|input| {
                let tokens = novel_events_codegen::derive::event(
                    input,
                    loader,
                    &novel_events_codegen::Options::default(),
                );
                assert_eq!(
                    count_ident(&tokens, "compile_error"),
                    0,
                    "{}: {tokens}",
                    input.ident
                );
                count_tokens(tokens)
            })
            .sum()
    };

    let (mut parse_times, mut cached_times, mut reparse_times, mut plain_times) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let start = Clock::start();
        std::hint::black_box(load());
        parse_times.push(start.elapsed());

        let start = Clock::start();
        std::hint::black_box(expand_all(&checked, &cache_hit));
        cached_times.push(start.elapsed());

        let start = Clock::start();
        std::hint::black_box(expand_all(&checked, &cache_miss));
        reparse_times.push(start.elapsed());

        let start = Clock::start();
        std::hint::black_box(expand_all(&plain, &no_catalog));
        plain_times.push(start.elapsed());
    }
    let (parse_once, cached, reparse, plain_time) = (
        median(parse_times),
        median(cached_times),
        median(reparse_times),
        median(plain_times),
    );
    println!(
        "in-process expansion of {n} structs, median of {rounds} rounds, {} ({} build):",
        if Clock::cpu_time().is_some() {
            "CPU time of the thread"
        } else {
            "wall time"
        },
        if cfg!(debug_assertions) {
            "unoptimized"
        } else {
            "optimized"
        }
    );
    println!(
        "  load_catalog (read, parse, validate) once:     {:>9} ms   x{n} = {} ms",
        ms(parse_once),
        ms(parse_once * n as u32)
    );
    println!(
        "  {n} expansions, catalog loaded once (cache):   {:>9} ms  (plus one load: {} ms)",
        ms(cached),
        ms(cached + parse_once)
    );
    println!(
        "  {n} expansions, catalog loaded for each:       {:>9} ms",
        ms(reparse)
    );
    println!(
        "  {n} expansions without a catalog:              {:>9} ms",
        ms(plain_time)
    );
    println!(
        "  the cache saves {} ms of {} ms ({:.1}x faster)",
        ms(reparse.saturating_sub(cached + parse_once)),
        ms(reparse),
        reparse.as_secs_f64() / (cached + parse_once).as_secs_f64()
    );

    // What the expansions emit.
    let emitted = |inputs: &[syn::DeriveInput],
                   loader: novel_events_codegen::derive::CatalogLoader<'_>| {
        let mut tokens = TokenStream::new();
        for input in inputs {
            tokens.extend(novel_events_codegen::derive::event(
                input,
                loader,
                &novel_events_codegen::Options::default(),
            ));
        }
        tokens
    };
    let with = emitted(&checked, &cache_hit);
    let without = emitted(&plain, &no_catalog);
    let fields: usize = EVENTS.iter().map(|event| event.fields.len()).sum::<usize>() * MODULES;
    println!("emitted by the {n} expansions ({fields} fields):");
    for (label, tokens) in [("with the catalog", &with), ("without a catalog", &without)] {
        let text = tokens.to_string();
        let assertions: usize = [
            "uuid", "string", "integer", "number", "boolean", "datetime", "object", "array",
        ]
        .iter()
        .map(|function| text.matches(&format!("compat :: {function} ::")).count())
        .sum();
        println!(
            "  {label:<18} {:>7} tokens, {:>4} `impl`, {:>4} compat:: trait assertions, {:>4} enum value checks, {:>4} bound checks, {:>4} include_str!",
            count_tokens(tokens.clone()),
            count_ident(tokens, "impl"),
            assertions,
            count_ident(tokens, "assert_same_values"),
            count_ident(tokens, "check_bounds"),
            count_ident(tokens, "include_str"),
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["write", dir, variant, novel_events, catalog] => {
            let Some(variant) = Variant::parse(variant) else {
                eprintln!("variant: checked, plain or uncached");
                std::process::exit(2);
            };
            write_crate(
                Path::new(dir),
                variant,
                Path::new(novel_events),
                Path::new(catalog),
            );
        }
        ["time", catalog] => time(Path::new(catalog), 15),
        ["time", catalog, rounds] => time(
            Path::new(catalog),
            rounds.parse().expect("rounds is a number"),
        ),
        _ => {
            eprintln!(
                "usage: derive_crate write <dir> <checked|plain|uncached> <novel-events dir> <catalog.yaml>\n       derive_crate time <catalog.yaml> [rounds]"
            );
            std::process::exit(2);
        }
    }
}
