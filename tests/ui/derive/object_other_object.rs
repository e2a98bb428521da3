// A struct checked against one catalog object does not stand for another.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::EventObject)]
#[serde(rename_all = "camelCase")]
#[event(object = "Money", catalog = "ui/catalogs/derive_objects.yaml")]
pub struct Price {
    pub amount_cents: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "shop.order.placed", version = "1.0.0", catalog = "ui/catalogs/derive_objects.yaml")]
pub struct OrderPlaced {
    pub order_id: Uuid,
    pub total: Price,
    pub lines: Vec<Price>,
}

fn main() {}
