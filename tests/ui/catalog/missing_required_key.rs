novel_events::include_catalog!("ui/catalogs/missing_required_key.yaml");

fn main() {}
