novel_events::include_catalog!("ui/catalogs/event_renamed_between_versions.yaml");

fn main() {}
