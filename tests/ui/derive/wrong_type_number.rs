// A `number` field cannot be an integer type.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "interactions.interaction.resolved", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct InteractionResolved {
    pub interaction_id: Uuid,
    pub campaign_id: Uuid,
    pub participants: Vec<Uuid>,
    pub resolution: serde_json::Map<String, serde_json::Value>,
    pub duration: i64,
    pub consequences: Vec<String>,
    pub narrative_impact: String,
}

fn main() {}
