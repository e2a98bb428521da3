// Structs of the user's own that stand for the catalog's nested objects, checked field by
// field by #[derive(EventObject)]: a named object, an array of inline objects nesting it.
#![deny(warnings)]

use novel_events::{Event, EventPayload};
use novel_events::EventObject;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, EventObject)]
#[serde(rename_all = "camelCase")]
#[event(object = "Money", catalog = "ui/catalogs/derive_objects.yaml")]
pub struct Price {
    pub amount_cents: i64,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, EventObject)]
#[event(object = "OrderLine", catalog = "ui/catalogs/derive_objects.yaml")]
pub struct Line {
    pub sku: String,
    pub quantity: u8,
    pub price: Price,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "shop.order.placed", version = "1.0.0", catalog = "ui/catalogs/derive_objects.yaml")]
pub struct OrderPlaced {
    pub order_id: Uuid,
    pub total: Price,
    pub lines: Vec<Line>,
}

fn main() {
    let json = serde_json::json!({
        "orderId": Uuid::nil(),
        "total": { "amountCents": 1250, "currency": "EUR" },
        "lines": [{ "sku": "B-1", "quantity": 2, "price": { "amountCents": 625, "currency": "EUR" } }]
    });
    let order: OrderPlaced = serde_json::from_value(json).unwrap();
    assert_eq!(order.total.amount_cents, 1250);
    assert_eq!(order.lines[0].quantity, 2);
    assert_eq!(order.aggregate_id(), Uuid::nil());
}
