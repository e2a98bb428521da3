novel_events::include_catalog!("ui/catalogs/recursive_named_type.yaml");

fn main() {}
