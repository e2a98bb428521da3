novel_events::include_catalog!("ui/catalogs/malformed_event_type.yaml");

fn main() {}
