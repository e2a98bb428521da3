novel_events::include_catalog!("ui/catalogs/duplicate_enum_value.yaml");

fn main() {}
