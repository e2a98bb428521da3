novel_events::include_catalog!("ui/catalogs/evolution/lock_edited_in_place.yaml");

fn main() {}
