novel_events::include_catalog!("ui/catalogs/evolution/nested_and_array_changes.yaml");

fn main() {}
