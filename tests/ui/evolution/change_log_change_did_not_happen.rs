novel_events::include_catalog!("ui/catalogs/evolution/change_log_change_did_not_happen.yaml");

fn main() {}
