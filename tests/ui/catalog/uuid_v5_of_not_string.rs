novel_events::include_catalog!("ui/catalogs/uuid_v5_of_not_string.yaml");

fn main() {}
