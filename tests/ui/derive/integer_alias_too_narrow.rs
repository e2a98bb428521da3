// A numeric type the derive cannot read by name (an alias, a newtype implementing
// `HoldsInteger`) is checked by the compiler against the same bounds.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

type Stops = i8;

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

fn main() {}
