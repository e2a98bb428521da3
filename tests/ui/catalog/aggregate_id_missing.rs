novel_events::include_catalog!("ui/catalogs/aggregate_id_missing.yaml");

fn main() {}
