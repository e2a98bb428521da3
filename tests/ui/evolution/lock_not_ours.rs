novel_events::include_catalog!("ui/catalogs/evolution/lock_not_ours.yaml");

fn main() {}
