novel_events::include_catalog!("ui/catalogs/aggregate_id_not_uuid.yaml");

fn main() {}
