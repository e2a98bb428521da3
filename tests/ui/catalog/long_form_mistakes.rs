novel_events::include_catalog!("ui/catalogs/long_form_mistakes.yaml");

fn main() {}
