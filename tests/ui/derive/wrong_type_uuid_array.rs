// A `[uuid]` field needs uuid items: the error is on the array's type.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "campaigns.campaign.created", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct CampaignCreated {
    pub campaign_id: Uuid,
    pub name: String,
    pub description: String,
    pub configuration: serde_json::Map<String, serde_json::Value>,
    pub created_by: Uuid,
    pub initial_participants: Vec<String>,
    pub world_state: serde_json::Map<String, serde_json::Value>,
}

fn main() {}
