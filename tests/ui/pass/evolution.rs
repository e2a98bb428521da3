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
    let newest: modes::parcels::ParcelSent = serde_json::from_value(old).unwrap();
    assert_eq!(newest.weight, 3.0);
    assert_eq!(newest.label, "small");
    assert!(newest.notes.is_empty());
    assert_eq!(newest.priority, modes::parcels::Priority::Low);
    assert_eq!(newest.stops[0].minutes, None);
}
