novel_events::include_catalog!("ui/catalogs/two_documents.yaml");

fn main() {}
