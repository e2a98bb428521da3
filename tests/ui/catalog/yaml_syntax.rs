novel_events::include_catalog!("ui/catalogs/yaml_syntax.yaml");

fn main() {}
