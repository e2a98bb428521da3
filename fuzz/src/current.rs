//! The input being run, kept on disk, so that one that aborts the process (a stack overflow,
//! an allocation failure: no oracle catches those) is still there to be found.
//!
//! The file stays open and is rewritten in place: opening a file with truncation costs
//! milliseconds on some filesystems, more than most executions.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::PathBuf;

/// The file of the input being run.
pub struct Current {
    path: PathBuf,
    file: Option<File>,
}

impl Current {
    /// `path`, created (with its folder) when first written.
    pub fn new(path: PathBuf) -> Self {
        Self { path, file: None }
    }

    /// Replaces the file's content with `input` (best effort: a fuzzer that cannot write its
    /// current input still runs).
    pub fn write(&mut self, input: &str) {
        if self.file.is_none() {
            if let Some(folder) = self.path.parent() {
                let _ = std::fs::create_dir_all(folder);
            }
            self.file = File::create(&self.path).ok();
        }
        if let Some(file) = &mut self.file {
            let written = file
                .seek(SeekFrom::Start(0))
                .and_then(|_| file.write_all(input.as_bytes()))
                .and_then(|()| file.set_len(input.len() as u64));
            if written.is_err() {
                self.file = None;
            }
        }
    }

    /// Removes the file: the run ended normally.
    pub fn remove(self) {
        drop(self.file);
        let _ = std::fs::remove_file(&self.path);
    }
}
