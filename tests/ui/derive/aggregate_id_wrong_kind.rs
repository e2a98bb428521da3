// The catalog's aggregate id of SystemHealthChanged is the UUID v5 of `component`: the field
// must be marked `aggregate_id = "uuid_v5"`, not `aggregate_id`.
use novel_events::novel_engine::HealthStatus;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "shared.system.health-changed", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct SystemHealthChanged {
    #[event(aggregate_id)]
    pub component: String,
    pub previous_health: HealthStatus,
    pub current_health: HealthStatus,
    pub details: serde_json::Value,
    pub timestamp: chrono::DateTime<chrono::Utc>,
}

fn main() {}
