novel_events::include_catalog!("ui/catalogs/evolution/deprecated_field_overdue.yaml");

fn main() {}
