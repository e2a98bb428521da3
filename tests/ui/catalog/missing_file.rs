novel_events::include_catalog!("ui/catalogs/missing_file.yaml");

fn main() {}
