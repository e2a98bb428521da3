//! Novel Engine's domain events catalog (`catalog/novel-engine.yaml`), expanded by
//! [`include_catalog!`](crate::include_catalog): 26 events in six domains.
//!
//! ```
//! use novel_events::Envelope;
//! use novel_events::novel_engine::AnyEvent;
//!
//! let json = r#"{
//!   "eventId": "0199c3a0-0000-7000-8000-000000000001",
//!   "eventType": "shared.system.health-changed",
//!   "eventVersion": "1.0.0",
//!   "aggregateId": "29417b95-d163-56d7-b03b-d9176ce76d80",
//!   "aggregateType": "SystemComponent",
//!   "timestamp": "2025-08-26T10:15:00Z",
//!   "correlationId": "0199c3a0-0000-7000-8000-000000000001",
//!   "causationId": "0199c3a0-0000-7000-8000-000000000001",
//!   "payload": {
//!     "component": "story-engine",
//!     "previousHealth": "healthy",
//!     "currentHealth": "degraded",
//!     "details": { "latencyMs": 950 },
//!     "timestamp": "2025-08-26T10:15:00Z"
//!   },
//!   "metadata": { "source": "monitoring-service" }
//! }"#;
//! let envelope: Envelope<AnyEvent> = serde_json::from_str(json).unwrap();
//! let AnyEvent::SystemHealthChanged(health) = &envelope.payload else { panic!() };
//! assert_eq!(health.current_health.as_str(), "degraded");
//! assert_eq!(envelope.aggregate_id, novel_events::name_based_aggregate_id("story-engine"));
//! ```

crate::include_catalog!("catalog/novel-engine.yaml");
