novel_events::include_catalog!("ui/catalogs/yaml_anchor.yaml");

fn main() {}
