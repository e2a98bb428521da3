novel_events::include_catalog!("ui/catalogs/non_ascii_names.yaml");

fn main() {}
