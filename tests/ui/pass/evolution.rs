//! Catalogs whose versions keep what their compatibility modes promise, whose change logs say
//! exactly what changed, and whose lock files hold (an unreleased version added, a deprecated
//! version deleted once past its removal version) compile, and their types are usable.
#![deny(warnings)]

mod modes {
    novel_events::include_catalog!("ui/catalogs/evolution/modes_pass.yaml");
}

mod changes {
    novel_events::include_catalog!("ui/catalogs/evolution/change_log_pass.yaml");
}

mod locked {
    novel_events::include_catalog!("ui/catalogs/evolution/lock_pass.yaml");
}

use novel_events::Upcast;
use novel_events::serde_json::{self, Value, json};

/// A step written through the wire form: `edit` turns the older event's JSON into the newer's.
fn via_json<From: serde::Serialize, Next: serde::de::DeserializeOwned>(
    from: From,
    edit: impl FnOnce(&mut Value),
) -> Next {
    let mut value = serde_json::to_value(from).unwrap();
    edit(&mut value);
    serde_json::from_value(value).unwrap()
}

// The steps that are not backward compatible (their modes allow it: forward, none, a new major
// version) need an upcaster of ours; the others are generated.
impl Upcast<modes::parcels::ParcelDeliveredV1_1_0> for modes::parcels::ParcelDeliveredV1_0_0 {
    fn upcast(self) -> modes::parcels::ParcelDeliveredV1_1_0 {
        via_json(self, |v| {
            if v["signedBy"].is_null() {
                v["signedBy"] = json!("unknown");
            }
            if v["condition"] == "lost" {
                v["condition"] = json!("damaged");
            }
            let rating = v["rating"].as_i64().unwrap_or(0);
            v["rating"] = json!((rating / 2).clamp(1, 5));
            v["courier"] = json!("unknown");
        })
    }
}

impl Upcast<modes::parcels::ParcelWeighedV1_2_0> for modes::parcels::ParcelWeighedV1_1_0 {
    fn upcast(self) -> modes::parcels::ParcelWeighedV1_2_0 {
        via_json(self, |v| {
            if v["unit"] == "lb" {
                v["grams"] = json!(v["grams"].as_f64().unwrap_or(0.0) * 453.592);
                v["unit"] = json!("g");
            }
            v["station"] = json!("unknown");
        })
    }
}

impl Upcast<modes::parcels::ParcelLostV1_1_0> for modes::parcels::ParcelLostV1_0_0 {
    fn upcast(self) -> modes::parcels::ParcelLostV1_1_0 {
        via_json(self, |v| {
            v["place"] = json!(!v["place"].as_str().unwrap_or("").is_empty());
            v["reported"] = json!("1970-01-01T00:00:00Z");
        })
    }
}

impl Upcast<modes::parcels::ParcelLostV2_0_0> for modes::parcels::ParcelLostV1_1_0 {
    fn upcast(self) -> modes::parcels::ParcelLostV2_0_0 {
        via_json(self, |v| v["lastSeen"] = v["reported"].clone())
    }
}

fn main() {
    assert_eq!(modes::CATALOG.versions("parcels.parcel.returned").count(), 3);
    assert_eq!(modes::CATALOG.versions("parcels.parcel.lost").count(), 3);
    assert_eq!(changes::CATALOG.versions("parcels.parcel.sent").count(), 4);
    assert!(locked::CATALOG.event("parcels.parcel.lost", "1.0.0").is_none());
    assert!(locked::CATALOG.event("parcels.parcel.lost", "2.0.0").is_some());

    // A 1.0.0 event of ParcelSent, as its writers produced it, read by the 1.1.0 reader that
    // backward compatibility promises.
    let old = serde_json::json!({
        "parcelId": "5f0f4f4e-8a5b-4bb4-9b3c-0e7a2c6d1f00",
        "weight": 3,
        "tracking": "0b7e2d9a-64a5-4d6c-8f3e-2a1c5b9d7e11",
        "label": "small",
        "dimensions": { "width": 1.5, "height": 2.0 },
        "pieces": 2,
        "sender": "Ada",
        "service": "economy",
        "to": { "street": "1 Main St", "city": "Springfield" },
        "stops": [{ "city": "Shelbyville" }]
    });
    // The same through the typed path: the generated step (backward compatible on the wire).
    let first: modes::parcels::ParcelSentV1_0_0 = serde_json::from_value(old.clone()).unwrap();
    let upcast = novel_events::IntoLatest::into_latest(first);
    assert_eq!(upcast.weight, 3.0);
    assert_eq!(upcast.label, "small");
    let newest: modes::parcels::ParcelSent = serde_json::from_value(old).unwrap();
    assert_eq!(newest.weight, 3.0);
    assert_eq!(newest.label, "small");
    assert!(newest.notes.is_empty());
    assert_eq!(newest.priority, modes::parcels::Priority::Low);
    assert_eq!(newest.stops[0].minutes, None);
}
