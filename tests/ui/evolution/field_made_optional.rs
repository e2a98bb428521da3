novel_events::include_catalog!("ui/catalogs/evolution/field_made_optional.yaml");

fn main() {}
