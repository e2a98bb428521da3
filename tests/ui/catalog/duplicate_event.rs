novel_events::include_catalog!("ui/catalogs/duplicate_event.yaml");

fn main() {}
