novel_events::include_catalog!("ui/catalogs/inline_type_clash.yaml");

fn main() {}
