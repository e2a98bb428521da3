novel_events::include_catalog!("ui/catalogs/empty_enum.yaml");

fn main() {}
