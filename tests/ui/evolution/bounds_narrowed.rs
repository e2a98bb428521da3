novel_events::include_catalog!("ui/catalogs/evolution/bounds_narrowed.yaml");

fn main() {}
