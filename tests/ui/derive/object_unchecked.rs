// A bare `impl HoldsObject` claims nothing about the struct's fields: for a field whose catalog
// type is a nested object, the derive asks for a struct checked against it.
use novel_events::catalog::holds::HoldsObject;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MyMoney {
    pub amount: i64,
    pub currency: String,
}

impl HoldsObject for MyMoney {}

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "shop.order.placed", version = "1.0.0", catalog = "ui/catalogs/derive_objects.yaml")]
pub struct OrderPlaced {
    pub order_id: Uuid,
    pub total: MyMoney,
    pub lines: Vec<serde_json::Value>,
}

fn main() {}
