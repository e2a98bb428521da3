novel_events::include_catalog!("ui/catalogs/empty_file.yaml");

fn main() {}
