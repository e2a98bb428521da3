novel_events::include_catalog!("ui/catalogs/default_does_not_fit.yaml");

fn main() {}
