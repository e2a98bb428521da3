novel_events::include_catalog!("ui/catalogs/near_duplicate_service.yaml");

fn main() {}
