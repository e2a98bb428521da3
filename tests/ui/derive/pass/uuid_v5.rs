// A name-based aggregate id: the UUID v5 of a string field, from the catalog
// (`aggregateId: { uuidV5Of: component }`), marked explicitly, or without a catalog.
#![deny(warnings)]

use novel_events::novel_engine::HealthStatus;
use novel_events::{Envelope, Event, EventPayload, name_based_aggregate_id};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "shared.system.health-changed", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct FromCatalog {
    pub component: String,
    pub previous_health: HealthStatus,
    pub current_health: HealthStatus,
    pub details: serde_json::Value,
    pub timestamp: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "shared.system.health-changed", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct Marked {
    #[event(aggregate_id = "uuid_v5")]
    pub component: Box<str>,
    pub previous_health: HealthStatus,
    pub current_health: HealthStatus,
    pub details: serde_json::Value,
    pub timestamp: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[event(type = "monitoring.probe.failed", version = "1.0.0", aggregate = "Probe")]
pub struct ProbeFailed {
    #[event(aggregate_id = "uuid_v5")]
    pub probe: String,
}

fn main() {
    let json = serde_json::json!({
        "component": "story-engine",
        "previousHealth": "healthy",
        "currentHealth": "degraded",
        "details": {},
        "timestamp": "2025-08-26T10:15:00Z"
    });
    let from_catalog: FromCatalog = serde_json::from_value(json.clone()).unwrap();
    let marked: Marked = serde_json::from_value(json).unwrap();
    let expected = name_based_aggregate_id("story-engine");
    assert_eq!(Envelope::new(from_catalog, "monitor").aggregate_id, expected);
    assert_eq!(marked.aggregate_id(), expected);
    assert_eq!(ProbeFailed { probe: "story-engine".into() }.aggregate_id(), expected);
    assert_eq!(FromCatalog::AGGREGATE_TYPE, "SystemComponent");
}
