novel_events::include_catalog!("ui/catalogs/nesting_too_deep.yaml");

fn main() {}
