novel_events::include_catalog!("ui/catalogs/several_errors.yaml");

fn main() {}
