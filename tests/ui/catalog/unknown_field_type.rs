novel_events::include_catalog!("ui/catalogs/unknown_field_type.yaml");

fn main() {}
