// #[derive(EventEnum)] is for enums.
#[derive(Debug, Clone, novel_events::EventEnum)]
pub struct Genre {
    pub value: String,
}

fn main() {}
