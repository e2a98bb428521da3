//! The workshop catalog (`tests/catalogs/workshop.yaml`): `OrderPlaced` 1.0.0 and 2.0.0, for
//! upcasting.

novel_events::include_catalog!("catalogs/workshop.yaml");
