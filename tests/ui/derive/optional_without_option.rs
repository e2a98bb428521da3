// Optional catalog fields (`note: string?`, `battery` with `optional: true`, `retries` with a
// default) must be an Option, or have #[serde(default)].
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::EventEnum)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Celsius,
    Fahrenheit,
}

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::EventEnum)]
#[serde(rename_all = "lowercase")]
pub enum Mood {
    Calm,
    Tense,
    Joyful,
}

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "sensors.reading.taken", version = "1.0.0", catalog = "ui/catalogs/derive_optional.yaml")]
pub struct ReadingTaken {
    pub sensor_name: String,
    pub value: f64,
    pub unit: Unit,
    pub note: String,
    pub battery: i64,
    pub retries: i64,
    pub mood: Mood,
    pub location: serde_json::Value,
    pub tags: Vec<String>,
    pub samples: Vec<f64>,
    pub taken_at: chrono::DateTime<chrono::Utc>,
}

fn main() {}
