//! The workshop catalog (`tests/catalogs/workshop.yaml`): `OrderPlaced` 1.0.0 and 2.0.0, for
//! upcasting.

novel_events::include_catalog!("catalogs/workshop.yaml");

/// 1.0.0 had `items`; 2.0.0 has `lines` and more: not additive, so the catalog needs this
/// step (the same conversion as the JSON `Upcasters` of the upcasting tests).
impl novel_events::Upcast<orders::OrderPlaced> for orders::OrderPlacedV1_0_0 {
    fn upcast(self) -> orders::OrderPlaced {
        let mut metadata = serde_json::Map::new();
        metadata.insert("upcastFrom".into(), "1.0.0".into());
        orders::OrderPlaced {
            order_id: self.order_id,
            placed_at: "2025-01-01T00:00:00Z".parse().expect("a datetime"),
            priority: Priority::Normal,
            lines: self
                .items
                .into_iter()
                .map(|sku| orders::OrderLine {
                    sku,
                    quantity: 1,
                    unit_price: 0.0,
                })
                .collect(),
            deliver_to: Address {
                street: "unknown".into(),
                city: "unknown".into(),
                postcode: None,
            },
            gift_wrap: false,
            channel: orders::Channel::Web,
            notes: None,
            coupon_code: None,
            r#type: orders::Type::Standard,
            metadata,
        }
    }
}
