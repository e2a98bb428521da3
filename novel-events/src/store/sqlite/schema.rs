//! The schema: its migrations (`migrations/*.sql`, run in order; `PRAGMA user_version`
//! records how many ran) and the stream key that clusters a stream's rows.

/// The schema migrations, in order; `PRAGMA user_version` records how many ran.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: the log, its indexes, the outbox, projection checkpoints and snapshots.
    include_str!("migrations/001_initial.sql"),
    // 2: a stream's events side by side. Version 1 kept the rows in log order (the rowid was
    // the position), so the events of one aggregate lay on as many pages as it had events, and
    // loading it from a large log read that many pages (benches/store/: 1.7 to 2x the time
    // from 1,000,000 events as from 1,000). Now the rowid is the stream key (a stream's slot,
    // numbered in `streams`, times 2^32, plus the stream version): a stream's rows are
    // neighbours in the table, found by one rowid range, and the uniqueness of (aggregate,
    // version), the concurrency check, is the rowid's. The position is a column with a unique
    // index, which global-order reads follow. An index on (aggregate_id, stream_version)
    // covering the envelope, or a WITHOUT ROWID table, would cluster the rows too, but both
    // keep whole rows in their interior pages (six levels at a million events of 1 KB, even
    // with 16 KiB pages), spill rows over 1 KB to overflow pages with 4 KiB pages, and the
    // covering index stores every envelope twice. What this costs: global-order reads look
    // each event up by position (replay, benches/store/). Existing rows are copied in
    // stream order (once; it takes about the time of a copy of the log, and while it runs
    // the copy's size twice more in disk space, in the WAL and then in the file); the outbox is
    // rebuilt to reference the new table, and the old one dropped (its pages stay in the file,
    // free for new events, until a `VACUUM`).
    include_str!("migrations/002_stream_key.sql"),
    // 3: the (eventType, eventVersion) pairs the log holds (`event_kinds`), which the store
    // checks at open against the payload type it is opened with (`store/holdings/`). A trigger
    // adds an append's pairs in its INSERT (a pair already listed costs a primary-key lookup
    // and writes nothing: a count, written by every append, would add a page to each commit's
    // WAL, about a fifth of a small append's time); another adds the pair of a row whose type
    // or version is changed by hand. A pair whose rows were all rewritten or removed stays
    // listed: opening counts what it refuses, and drops a pair that counts none. Filled here
    // from the rows of a store written before it: one pass over the log, once.
    include_str!("migrations/003_event_kinds.sql"),
];

/// `PRAGMA mmap_size` (SQLite lowers it to its own limit, 2 GB less 64 KiB).
pub(super) const MMAP_SIZE: u64 = 1 << 31;

/// A stream's events have the rowids `slot << STREAM_KEY_BITS` + version (migration 2).
pub(super) const STREAM_KEY_BITS: u32 = 32;
/// The largest stream version the stream key holds.
pub(super) const MAX_STREAM_VERSION: u64 = (1 << STREAM_KEY_BITS) - 1;
/// The largest stream slot: `(slot + 1) << STREAM_KEY_BITS` must stay an `i64`.
pub(super) const MAX_SLOT: i64 = (1 << (63 - STREAM_KEY_BITS)) - 2;

/// The first stream key of `slot`'s stream at `version`.
pub(super) fn stream_key(slot: i64, version: u64) -> i64 {
    (slot << STREAM_KEY_BITS) + i64::try_from(version.min(1 << STREAM_KEY_BITS)).unwrap_or(0)
}

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;
