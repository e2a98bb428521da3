novel_events::include_catalog!("ui/catalogs/undefined_named_type.yaml");

fn main() {}
