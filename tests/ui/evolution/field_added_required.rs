novel_events::include_catalog!("ui/catalogs/evolution/field_added_required.yaml");

fn main() {}
