novel_events::include_catalog!("ui/catalogs/unknown_key.yaml");

fn main() {}
