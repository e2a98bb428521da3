novel_events::include_catalog!("ui/catalogs/evolution/type_changed.yaml");

fn main() {}
