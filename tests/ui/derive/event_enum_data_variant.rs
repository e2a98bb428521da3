// A catalog enum is a set of strings: every variant of an EventEnum is a unit variant.
#[derive(Debug, Clone, novel_events::EventEnum)]
pub enum Genre {
    Fantasy,
    SciFi(String),
    Other { name: String },
}

fn main() {}
