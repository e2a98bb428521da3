novel_events::include_catalog!("ui/catalogs/duplicate_yaml_key.yaml");

fn main() {}
