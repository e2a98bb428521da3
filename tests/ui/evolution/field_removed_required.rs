novel_events::include_catalog!("ui/catalogs/evolution/field_removed_required.yaml");

fn main() {}
