novel_events::include_catalog!("ui/catalogs/enum_variant_collision.yaml");

fn main() {}
