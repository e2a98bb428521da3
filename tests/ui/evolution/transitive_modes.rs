novel_events::include_catalog!("ui/catalogs/evolution/transitive_modes.yaml");

fn main() {}
