novel_events::include_catalog!("ui/catalogs/evolution/deprecated_field_removed_early.yaml");

fn main() {}
