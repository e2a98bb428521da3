//! The databases: fresh files with the store's schema, and raw connections with its settings.

use super::*;

pub(crate) fn bench_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/store-bench");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub(crate) fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        std::fs::remove_file(PathBuf::from(file)).ok();
    }
}

/// A fresh, empty database file with the store's schema (created by the store).
pub(crate) fn fresh_db(name: &str) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let path = std::env::temp_dir().join(format!(
        "novel-events-store-bench-{}-{}-{name}.db",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    remove_db(&path);
    drop(Store::open(&path).unwrap());
    path
}

pub(crate) fn options(durability: Durability) -> StoreOptions {
    StoreOptions {
        durability,
        ..StoreOptions::default()
    }
}

/// The store's durability pragmas (`sqlite_store.rs`).
pub(crate) fn synchronous(durability: Durability) -> &'static str {
    match durability {
        Durability::PowerLoss => {
            "PRAGMA synchronous = FULL; PRAGMA fullfsync = ON; PRAGMA checkpoint_fullfsync = ON;"
        }
        Durability::ProcessCrash => "PRAGMA synchronous = NORMAL;",
    }
}

/// A raw connection with the store's settings: its pragmas, and the query planner stability
/// guarantee (without it, SQLite re-prepares a cached `... WHERE aggregate_id = ?1` at each use).
pub(crate) fn raw_connection(path: &Path, durability: Durability) -> Connection {
    let connection = Connection::open(path).unwrap();
    connection
        .set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )
        .unwrap();
    connection
        .execute_batch(&format!(
            "PRAGMA journal_mode = WAL; {} PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA mmap_size = 0;",
            synchronous(durability)
        ))
        .unwrap();
    let mode: String = connection
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    connection
}

pub(crate) fn durability_name(durability: Durability) -> &'static str {
    match durability {
        Durability::PowerLoss => "power-loss",
        Durability::ProcessCrash => "process-crash",
    }
}
