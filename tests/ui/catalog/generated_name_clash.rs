novel_events::include_catalog!("ui/catalogs/generated_name_clash.yaml");

fn main() {}
