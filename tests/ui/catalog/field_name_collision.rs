novel_events::include_catalog!("ui/catalogs/field_name_collision.yaml");

fn main() {}
