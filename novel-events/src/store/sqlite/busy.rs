//! Waiting for another connection's write lock (another process, or another handle of the
//! file), fairly and for a bounded time.
//!
//! SQLite's own busy timeout sleeps longer and longer between tries (1 ms, then 2, 5, 10, up to
//! 100 ms): a writer that has waited long sleeps 100 ms while newcomers try again every
//! millisecond and take the lock first, so shares under contention were very unequal (16k to
//! 42k appends in 30 s between 4 processes) and some appends ran out of time. Here every waiter
//! tries again every [`STEP`] plus a little jitter, however long it has waited, until the
//! deadline of the operation; past it the operation fails with
//! [`StoreError::Busy`](crate::StoreError::Busy), which says to retry.

use std::cell::Cell;
use std::time::{Duration, Instant};

use rusqlite::Connection;

/// The pause between two tries for the lock.
const STEP: Duration = Duration::from_millis(1);

/// Tries a waiter makes when no deadline was set on its thread (work outside
/// [`within`]): about the default busy timeout.
const TRIES_WITHOUT_DEADLINE: i32 = 5_000;

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Seeded per process and thread, so that waiters do not draw the same pauses.
    static JITTER: Cell<u32> = Cell::new(seed());
}

/// A seed that differs between processes and threads (the process id, the thread-local's
/// address), never 0 (xorshift would stay at 0).
fn seed() -> u32 {
    let marker = 0u8;
    let address = std::ptr::from_ref(&marker) as usize;
    #[allow(clippy::cast_possible_truncation)]
    let mixed = (std::process::id() ^ (address as u32) ^ ((address >> 32) as u32))
        .wrapping_mul(0x9e37_79b9);
    mixed | 1
}

/// Makes `connection` wait for locks the way this module describes.
pub(super) fn install(connection: &mut Connection) -> rusqlite::Result<()> {
    connection.busy_handler(Some(wait))
}

/// Runs `work` (on this thread) with `timeout` as the longest wait for a lock.
pub(super) fn within<T>(timeout: Duration, work: impl FnOnce() -> T) -> T {
    /// Puts the thread's previous deadline back, also when `work` panics (the store turns a
    /// panic of its work into an error, and the thread serves other calls after it).
    struct Restore(Option<Instant>);
    impl Drop for Restore {
        fn drop(&mut self) {
            DEADLINE.set(self.0);
        }
    }
    let _restore = Restore(DEADLINE.replace(Some(Instant::now() + timeout)));
    work()
}

/// SQLite's busy handler: `true` to try again, `false` to give up (`SQLITE_BUSY`).
fn wait(tries: i32) -> bool {
    let go_on = match DEADLINE.get() {
        Some(deadline) => Instant::now() < deadline,
        None => tries < TRIES_WITHOUT_DEADLINE,
    };
    if go_on {
        // Up to half a step more, so that waiters do not wake in lockstep.
        let jitter = JITTER.with(|state| {
            let mut x = state.get();
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            state.set(x);
            x % 500
        });
        std::thread::sleep(STEP + Duration::from_micros(u64::from(jitter)));
    }
    go_on
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_is_restored_after_a_panic() {
        let caught = std::panic::catch_unwind(|| {
            within(Duration::ZERO, || panic!("the store's work panicked"));
        });
        assert!(caught.is_err());
        assert_eq!(DEADLINE.get(), None, "no stale deadline left on the thread");
    }

    #[test]
    fn threads_draw_different_pauses() {
        let here = JITTER.get();
        let there = std::thread::spawn(|| JITTER.get()).join().unwrap();
        assert_ne!(here, there);
    }
}
