novel_events::include_catalog!("ui/catalogs/evolution/change_log_wrong_details.yaml");

fn main() {}
