//! A directory of its own per test, removed with its files when dropped.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A temporary directory; [`Scratch::file`] names a new database file in it, [`Scratch::path`]
/// a file of a given name.
pub struct Scratch {
    dir: PathBuf,
    files: AtomicUsize,
}

impl Scratch {
    /// A new, empty directory named after the test.
    pub fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "novel-events-{test}-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
        Self {
            dir,
            files: AtomicUsize::new(0),
        }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file `name` in the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A database file not used yet.
    pub fn file(&self) -> PathBuf {
        self.dir.join(format!(
            "store-{}.db",
            self.files.fetch_add(1, Ordering::SeqCst)
        ))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
