//! Several processes appending to one SQLite store: how the write lock is shared.
//!
//! Run it from several shells at once on one file (the command in `docs/benchmarks.md`):
//! each process appends for `SECONDS` (default 10) and prints how many appends it made and
//! how many failed with `StoreError::Busy`.
//!
//! ```text
//! cargo run --example append_contention -- /tmp/contention.db [SECONDS]
//! ```

use std::time::{Duration, Instant};

use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{AcquisitionMethod, CharacterSkillGained};
use novel_events::{Envelope, EventAppender, ExpectedVersion, SqliteEventStore, StoreError};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: append_contention STORE_FILE [SECONDS]");
        std::process::exit(2);
    };
    let seconds: u64 = match args.next() {
        Some(text) => text.parse()?,
        None => 10,
    };
    let store = SqliteEventStore::<AnyEvent>::open(&path)?;
    let end = Instant::now() + Duration::from_secs(seconds);
    let (mut appended, mut busy) = (0u64, 0u64);
    while Instant::now() < end {
        let character = uuid::Uuid::new_v4();
        let event = Envelope::new(
            AnyEvent::from(CharacterSkillGained {
                character_id: character,
                skill_name: "lockpicking".into(),
                skill_level: 1,
                acquisition_method: AcquisitionMethod::Training,
                context: "a crowded workshop".into(),
            }),
            "append-contention",
        );
        match store
            .append(character, ExpectedVersion::NoStream, vec![event])
            .await
        {
            Ok(_) => appended += 1,
            Err(StoreError::Busy { .. }) => busy += 1,
            Err(error) => return Err(error.into()),
        }
    }
    println!("{appended} appended, {busy} busy");
    Ok(())
}
