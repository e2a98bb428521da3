novel_events::include_catalog!("ui/catalogs/evolution/lock_damaged.yaml");

fn main() {}
