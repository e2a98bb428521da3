//! The position watch behind [`EventReader::watch_position`](crate::EventReader): appends
//! through this handle move it at once; appends of other processes, and of other handles
//! opened on the same file, are found by polling.
//!
//! While anyone watches, one task per store (shared by its clones) asks SQLite every
//! [`StoreOptions::poll_interval`](super::StoreOptions::poll_interval) whether another
//! connection committed (`PRAGMA data_version`, which reads no table) and, if one did, reads
//! the log's head. The task ends when nobody watches any more or the store is dropped, and
//! starts again with the next watcher. Outside a tokio runtime no task can start: the watch
//! then moves with this handle's appends only.

use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError, Weak};
use std::time::Duration;

use rusqlite::Connection;

use super::open::StoreInner;

/// Starts the polling task of `inner` unless it runs (or no runtime is at hand).
pub(super) fn ensure_polling(inner: &Arc<StoreInner>) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    if inner.polling.swap(true, Ordering::SeqCst) {
        return;
    }
    let weak = Arc::downgrade(inner);
    let interval = inner.poll_interval.max(Duration::from_millis(1));
    runtime.spawn(async move {
        let mut seen: Option<i64> = None;
        loop {
            tokio::time::sleep(interval).await;
            let Some(inner) = weak.upgrade() else {
                return;
            };
            if inner.last_position.receiver_count() == 0 {
                inner.polling.store(false, Ordering::SeqCst);
                // A watcher that came meanwhile found the flag set: keep polling for it.
                if inner.last_position.receiver_count() == 0
                    || inner.polling.swap(true, Ordering::SeqCst)
                {
                    return;
                }
            }
            match poll(&weak, seen).await {
                Some(Ok((version, head))) => {
                    seen = Some(version);
                    if let Some(head) = head {
                        inner.notify(head);
                    }
                }
                Some(Err(error)) => {
                    tracing::warn!(path = %inner.path.display(), %error, "cannot poll the store for appends of other processes");
                }
                None => return,
            }
        }
    });
}

/// `PRAGMA data_version` and, if it moved since `seen` (or on the first poll), the log's
/// head; `None` once the store is gone.
async fn poll(
    weak: &Weak<StoreInner>,
    seen: Option<i64>,
) -> Option<rusqlite::Result<(i64, Option<u64>)>> {
    let weak = weak.clone();
    tokio::task::spawn_blocking(move || {
        let inner = weak.upgrade()?;
        let connection = inner
            .connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        Some(read(&connection, seen))
    })
    .await
    .ok()
    .flatten()
}

fn read(connection: &Connection, seen: Option<i64>) -> rusqlite::Result<(i64, Option<u64>)> {
    let version: i64 = connection.query_row("PRAGMA data_version", [], |row| row.get(0))?;
    if seen == Some(version) {
        return Ok((version, None));
    }
    let head: i64 =
        connection.query_row("SELECT coalesce(max(position), 0) FROM events", [], |row| {
            row.get(0)
        })?;
    Ok((version, Some(u64::try_from(head).unwrap_or(0))))
}
