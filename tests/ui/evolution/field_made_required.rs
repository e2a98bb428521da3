novel_events::include_catalog!("ui/catalogs/evolution/field_made_required.yaml");

fn main() {}
