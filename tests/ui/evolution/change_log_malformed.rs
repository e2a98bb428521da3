novel_events::include_catalog!("ui/catalogs/evolution/change_log_malformed.yaml");

fn main() {}
