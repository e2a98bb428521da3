// A `datetime` field needs a chrono date-time, not a String.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "campaigns.campaign.started", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct CampaignStarted {
    pub campaign_id: Uuid,
    pub start_time: String,
    pub participants: Vec<Uuid>,
    pub initial_scene: serde_json::Map<String, serde_json::Value>,
    pub gamemaster: Uuid,
}

fn main() {}
