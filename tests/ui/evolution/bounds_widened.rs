novel_events::include_catalog!("ui/catalogs/evolution/bounds_widened.yaml");

fn main() {}
