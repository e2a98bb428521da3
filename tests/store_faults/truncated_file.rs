//! Another process truncating the store's file: an error, never a crash. Reading through a
//! memory map would be a SIGBUS here, which is why the map is off unless asked for
//! (`StoreOptions::memory_map`).

use novel_events::{EventReader, StoreOptions};
use uuid::Uuid;

use crate::*;

#[tokio::test]
async fn a_file_truncated_under_an_open_store_is_an_error_not_a_crash() {
    let scratch = Scratch::new("truncated");
    let path = scratch.path("events.db");
    {
        let store = Store::open(&path).expect("a new store");
        for _ in 0..64 {
            append(&store, vec![created(Uuid::new_v4(), "a".repeat(4096))])
                .await
                .expect("append");
        }
    } // The last handle checkpoints the WAL into the file.
    assert!(
        !StoreOptions::default().memory_map,
        "the default does not map the file"
    );
    let store = Store::open(&path).expect("reopened");
    assert_eq!(store.read_all(0, 1_000).await.expect("a read").len(), 64);

    // Truncate while reads run: a read transaction that mapped the file before the
    // truncation touches pages that are gone.
    let length = std::fs::metadata(&path).expect("the file").len();
    let truncating = {
        let path = path.clone();
        std::thread::spawn(move || {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .expect("the file");
            for round in 0..200 {
                std::thread::sleep(std::time::Duration::from_micros(200));
                file.set_len(if round % 2 == 0 { 8192 } else { length })
                    .expect("resized");
            }
            file.set_len(8192).expect("truncated");
        })
    };
    let mut failed = 0;
    while !truncating.is_finished() {
        // Still alive: a read fails (or finds less); none takes the process down.
        match store.read_all(0, 1_000).await {
            Err(error) => {
                assert!(!error.to_string().is_empty());
                failed += 1;
            }
            Ok(events) => assert!(events.len() <= 64),
        }
    }
    truncating.join().expect("the truncating thread");
    match store.read_all(0, 1_000).await {
        Err(_) => failed += 1,
        Ok(events) => assert!(
            events.len() < 64,
            "a truncated file cannot hold every event"
        ),
    }
    assert!(failed > 0, "reads of the truncated file were refused");
}
