//! The scratch crates of `scripts/bench-derive-check.sh`, and the derive's own work timed in
//! process.
//!
//! ```text
//! cargo run -p novel-events-codegen --example derive_crate -- write <dir> <variant> <novel-events dir> <catalog.yaml>
//! cargo run -p novel-events-codegen --example derive_crate -- time <catalog.yaml> [rounds]
//! ```
//!
//! `write` writes a crate of 104 `#[derive(Event)]` structs: the 26 Novel Engine events, in
//! four modules. Modules `m0` and `m2` use the catalog's generated enums and nested structs
//! (`novel_events::novel_engine::...`); `m1` and `m3` use the crate's own
//! `#[derive(EventEnum)]` enums and nested structs that implement `HoldsObject`. The other
//! fields are `Uuid`, `String`, `i64`/`u32`/`u64`, `f64`, `bool`, `DateTime<Utc>`,
//! `Vec<Uuid>`, `Vec<String>` and `serde_json::Map<String, Value>`. The variants differ only in
//! the `#[event(...)]` attributes:
//!
//! - `checked`: `catalog = "catalog/novel-engine.yaml"` on every struct;
//! - `plain`: no catalog; `aggregate = "..."` and `#[event(aggregate_id)]` (or
//!   `#[event(aggregate_id = "uuid_v5")]`) instead;
//! - `uncached`: like `checked`, but each struct names the catalog by another path
//!   (`catalog/s17/../novel-engine.yaml`), so the macro's catalog cache, keyed on the path,
//!   misses every time: each derive re-reads and re-parses the file.
//!
//! `time` runs `novel_events_codegen::derive::event` in this process on the same 104 structs
//! (parsed once), and prints the median of `rounds` rounds (default 15) of: one
//! `load_catalog`, the 104 expansions with the catalog loaded once (as the macro's cache
//! does), with the catalog loaded again for each struct (no cache), and without a catalog; then
//! what the expansions emit. Run it unoptimized, like proc macros under `cargo check`.
//!
//! The example's files: [`events`] (the 26 events and their fields), [`own`] (the crate's own
//! enums and nested structs), [`crate_text`] (the scratch crate's files) and [`timing`] (the
//! in-process timing).

mod crate_text;
mod events;
mod own;
mod timing;

use std::path::Path;

use crate_text::{Variant, write_crate};
use timing::time;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["write", dir, variant, novel_events, catalog] => {
            let Some(variant) = Variant::parse(variant) else {
                eprintln!("variant: checked, plain or uncached");
                std::process::exit(2);
            };
            write_crate(
                Path::new(dir),
                variant,
                Path::new(novel_events),
                Path::new(catalog),
            );
        }
        ["time", catalog] => time(Path::new(catalog), 15),
        ["time", catalog, rounds] => time(
            Path::new(catalog),
            rounds.parse().expect("rounds is a number"),
        ),
        _ => {
            eprintln!(
                "usage: derive_crate write <dir> <checked|plain|uncached> <novel-events dir> <catalog.yaml>\n       derive_crate time <catalog.yaml> [rounds]"
            );
            std::process::exit(2);
        }
    }
}
