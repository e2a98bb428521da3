// A numeric type must hold every value the catalog allows: the field's bounds, or without
// bounds an i64 (integer) or any f64 (number). Otherwise a valid event would fail to decode.
// `usize` is checked by the compiler, at the width of the target.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, novel_events::Event)]
#[serde(rename_all = "camelCase")]
#[event(type = "post.parcels.sent", version = "1.0.0", catalog = "ui/catalogs/derive_widths.yaml")]
pub struct ParcelsSent {
    pub shipment_id: Uuid,
    pub parcels: Option<u8>,
    pub stops: u16,
    pub attempts: usize,
    pub weight: f32,
    pub rating: f32,
}

fn main() {}
