// Catalog enums held by the generated enums, or by #[derive(EventEnum)] enums whose variants
// come in another order than the catalog's values, named by rename_all or one by one.
#![deny(warnings)]

use novel_events::Event;
use novel_events::novel_engine::narratives::StoryTone;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, novel_events::EventEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Genre {
    Comedy,
    Drama,
    Adventure,
    Horror,
    Romance,
    Mystery,
    SciFi,
    Fantasy,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, novel_events::EventEnum)]
pub enum Length {
    #[serde(rename = "long")]
    Epic,
    #[serde(rename = "short")]
    Brief,
    #[serde(rename = "medium")]
    Middling,
}

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "narratives.story.generation-requested", version = "1.0.0", catalog = "../novel-events/catalog/novel-engine.yaml")]
pub struct StoryGenerationRequested {
    pub story_id: Uuid,
    pub title: String,
    pub genre: Genre,
    pub themes: Vec<String>,
    pub characters: Vec<Uuid>,
    pub length: Length,
    pub tone: StoryTone,
    pub configuration: serde_json::Value,
    pub requested_by: Uuid,
}

fn main() {
    let json = serde_json::json!({
        "storyId": "0199c3a0-0000-7000-8000-000000000001",
        "title": "The Long Night",
        "genre": "sci-fi",
        "themes": ["loss"],
        "characters": [],
        "length": "long",
        "tone": "dark",
        "configuration": {},
        "requestedBy": "0199c3a0-0000-7000-8000-000000000002"
    });
    let request: StoryGenerationRequested = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(request.genre, Genre::SciFi);
    assert_eq!(request.length, Length::Epic);
    assert_eq!(serde_json::to_value(&request).unwrap(), json);
    assert_eq!(StoryGenerationRequested::CATEGORY, novel_events::EventCategory::Command);
    let _ = [Genre::Comedy, Genre::Drama, Genre::Adventure, Genre::Horror, Genre::Romance, Genre::Mystery, Genre::Fantasy];
    let _ = [Length::Brief, Length::Middling];
}
