novel_events::include_catalog!("ui/catalogs/bad_names.yaml");

fn main() {}
