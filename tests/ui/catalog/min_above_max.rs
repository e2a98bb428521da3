novel_events::include_catalog!("ui/catalogs/min_above_max.yaml");

fn main() {}
