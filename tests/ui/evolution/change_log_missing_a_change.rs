novel_events::include_catalog!("ui/catalogs/evolution/change_log_missing_a_change.yaml");

fn main() {}
