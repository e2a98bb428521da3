novel_events::include_catalog!("ui/catalogs/evolution/enum_values_removed.yaml");

fn main() {}
