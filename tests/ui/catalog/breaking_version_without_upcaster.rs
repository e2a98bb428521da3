// 1.0.0 → 2.0.0 replaces a field: not additive, and no `Upcast` impl is written.
novel_events::include_catalog!("ui/catalogs/breaking_version_without_upcaster.yaml");

fn main() {}
