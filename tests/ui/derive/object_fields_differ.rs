// A struct that stands for a catalog object is checked field by field, like a payload: here
// `amount` is not the catalog's `amountCents`, `Line` lacks the optional `note`, and `Mony`
// is not an object of the catalog.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::EventObject)]
#[serde(rename_all = "camelCase")]
#[event(object = "Money", catalog = "ui/catalogs/derive_objects.yaml")]
pub struct MyMoney {
    pub amount: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::EventObject)]
#[serde(rename_all = "camelCase")]
#[event(object = "OrderLine", catalog = "ui/catalogs/derive_objects.yaml")]
pub struct Line {
    pub sku: String,
    pub quantity: u8,
    pub price: MyMoney,
}

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::EventObject)]
#[event(object = "Mony", catalog = "ui/catalogs/derive_objects.yaml")]
pub struct Misnamed {
    pub currency: String,
}

fn main() {}
