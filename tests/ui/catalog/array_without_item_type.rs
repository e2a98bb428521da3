novel_events::include_catalog!("ui/catalogs/array_without_item_type.yaml");

fn main() {}
