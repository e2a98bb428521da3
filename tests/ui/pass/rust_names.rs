//! Catalog names that are Rust keywords, start with a digit or contain dashes get usable Rust
//! names; the catalog can be expanded inside a module.
#![deny(warnings)]
#![warn(clippy::pedantic)]

mod events {
    novel_events::include_catalog!("ui/catalogs/rust_names.yaml");
}

use events::user_accounts::{SessionStarted, Type};
use novel_events::{Envelope, Event, EventPayload, HandlerResult};

struct Scaler;

impl events::AutoScalingServiceSubscriber for Scaler {
    async fn on_session_started(&self, event: &Envelope<SessionStarted>) -> HandlerResult {
        assert_eq!(event.payload.r#type, Type::CharacterVsSelf);
        Ok(())
    }
}

fn main() {
    let session = SessionStarted {
        self_: uuid::Uuid::new_v4(),
        r#type: Type::CharacterVsSelf,
        r#match: true,
        _2fa: None,
        r#async: "yes".into(),
    };
    assert_eq!(session.aggregate_id(), session.self_);
    assert_eq!(SessionStarted::EVENT_VERSION, "1.0.0-beta.1");
    let json = serde_json::to_value(&session).unwrap();
    assert_eq!(json["self"], session.self_.to_string());
    assert_eq!(json["type"], "character-vs-self");
    assert_eq!(json["async"], "yes");
    assert_eq!(
        [Type::ApiKey, Type::Oauth2, Type::V3d].map(|value| value.as_str()),
        ["api-key", "oauth2", "3d"]
    );
    let envelope = Envelope::new(session, "sessions");
    let _ = events::AutoScalingServiceSubscriber::on_session_started(&Scaler, &envelope);
    assert_eq!(events::CATALOG.name, "rust-names");
}
