//! The crate's own enums and nested structs, which modules `m1` and `m3` use instead of the
//! catalog's generated types.

/// How many modules repeat the 26 events.
pub(crate) const MODULES: usize = 4;

/// The crate's own enums (`#[derive(EventEnum)]`, kebab-case) used by `m1` and `m3`.
pub(crate) const OWN_ENUMS: &[(&str, &[&str])] = &[
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
pub(crate) const OWN_STRUCTS: &[(&str, &[(&str, &str)])] = &[
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
