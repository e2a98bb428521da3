// Numeric types as narrow as the catalog's bounds allow: `u16` for 0..=1000, `u16` for 0..=300
// through an alias, `f32` for a number bounded within f32's range; unbounded fields as i64/f64.
#![deny(warnings)]

use serde::{Deserialize, Serialize};
use uuid::Uuid;

type Stops = u16;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "post.parcels.sent", version = "1.0.0", catalog = "ui/catalogs/derive_widths.yaml")]
pub struct ParcelsSent {
    pub shipment_id: Uuid,
    pub parcels: Option<u16>,
    pub stops: Stops,
    pub attempts: i64,
    pub weight: f64,
    pub rating: f32,
}

fn main() {
    let json = serde_json::json!({
        "shipmentId": Uuid::nil(), "parcels": 1000, "stops": 300,
        "attempts": -1, "weight": 1e300, "rating": 4.5
    });
    let sent: ParcelsSent = serde_json::from_value(json).unwrap();
    assert_eq!((sent.parcels, sent.stops, sent.attempts), (Some(1000), 300, -1));
    assert_eq!(sent.rating, 4.5);
}
