novel_events::include_catalog!("ui/catalogs/event_type_outside_domain.yaml");

fn main() {}
