novel_events::include_catalog!("ui/catalogs/duplicate_struct_name.yaml");

fn main() {}
