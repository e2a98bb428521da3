novel_events::include_catalog!("ui/catalogs/evolution/lock_version_deleted.yaml");

fn main() {}
