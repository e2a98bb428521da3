novel_events::include_catalog!("ui/catalogs/evolution/unknown_compatibility_mode.yaml");

fn main() {}
