novel_events::include_catalog!("ui/catalogs/deprecated_without_removal_version.yaml");

fn main() {}
