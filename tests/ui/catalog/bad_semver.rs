novel_events::include_catalog!("ui/catalogs/bad_semver.yaml");

fn main() {}
