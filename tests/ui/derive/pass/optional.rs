// Optional catalog fields as Option (or with #[serde(default)] for a field with a default), a
// named enum and an inline enum as EventEnums, a nested object as JSON, bounds in validate().
#![deny(warnings)]

use novel_events::{Event, EventCategory, EventPayload, name_based_aggregate_id};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::EventEnum)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Fahrenheit,
    Celsius,
}

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::EventEnum)]
#[serde(rename_all = "lowercase")]
pub enum Mood {
    Joyful,
    Calm,
    Tense,
}

fn three() -> i64 {
    3
}

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "sensors.reading.taken", version = "1.0.0", catalog = "ui/catalogs/derive_optional.yaml")]
pub struct ReadingTaken {
    pub sensor_name: String,
    pub value: f64,
    pub unit: Unit,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub battery: Option<u8>,
    #[serde(default = "three")]
    pub retries: i64,
    pub mood: Mood,
    pub location: serde_json::Map<String, serde_json::Value>,
    pub tags: Vec<String>,
    pub samples: Vec<f64>,
    pub taken_at: chrono::DateTime<chrono::Utc>,
}

fn main() {
    assert_eq!(ReadingTaken::CATEGORY, EventCategory::System);
    assert_eq!(ReadingTaken::AGGREGATE_TYPE, "Sensor");
    assert_eq!(ReadingTaken::SUBSCRIBERS[0].service, "Dashboard");
    let json = serde_json::json!({
        "sensorName": "attic",
        "value": 130.5,
        "unit": "celsius",
        "battery": 101,
        "mood": "calm",
        "location": { "room": "attic" },
        "tags": [],
        "samples": [1.5],
        "takenAt": "2025-08-26T10:15:00Z"
    });
    let reading: ReadingTaken = serde_json::from_value(json).unwrap();
    assert_eq!(reading.retries, 3);
    assert_eq!(reading.note, None);
    assert_eq!(reading.aggregate_id(), name_based_aggregate_id("attic"));
    let error = reading.validate().unwrap_err();
    let paths: Vec<&str> = error.violations.iter().map(|violation| violation.path.as_str()).collect();
    assert_eq!(paths, ["payload.value", "payload.battery"]);
    let _ = (Unit::Fahrenheit, Mood::Joyful, Mood::Tense);
}
