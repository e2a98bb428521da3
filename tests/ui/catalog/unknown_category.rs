novel_events::include_catalog!("ui/catalogs/unknown_category.yaml");

fn main() {}
