//! The 26 Novel Engine events, as the derived structs spell them: names, types and fields.

/// One field: its Rust name and type in the modules that use the catalog's generated types
/// (`generated`) and in those that use their own (`own`).
pub(crate) struct FieldDef {
    pub(crate) name: &'static str,
    pub(crate) generated: &'static str,
    pub(crate) own: &'static str,
}

/// One Novel Engine event. Its first field is the aggregate id (a name-based one when
/// `name_based`).
pub(crate) struct EventDef {
    pub(crate) name: &'static str,
    pub(crate) event_type: &'static str,
    pub(crate) aggregate: &'static str,
    pub(crate) name_based: bool,
    pub(crate) fields: &'static [FieldDef],
}

/// A field of the same type in every module.
pub(crate) const fn same(name: &'static str, ty: &'static str) -> FieldDef {
    FieldDef {
        name,
        generated: ty,
        own: ty,
    }
}

/// A field of a generated type in `m0`/`m2` and of the crate's own type in `m1`/`m3`.
pub(crate) const fn pick(
    name: &'static str,
    generated: &'static str,
    own: &'static str,
) -> FieldDef {
    FieldDef {
        name,
        generated,
        own,
    }
}

pub(crate) const UUID: &str = "Uuid";
pub(crate) const STRING: &str = "String";
pub(crate) const MAP: &str = "Map<String, Value>";
pub(crate) const TIME: &str = "DateTime<Utc>";
pub(crate) const UUIDS: &str = "Vec<Uuid>";
pub(crate) const STRINGS: &str = "Vec<String>";

pub(crate) const fn event(
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
pub(crate) const EVENTS: &[EventDef] = &[
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
