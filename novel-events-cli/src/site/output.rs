//! Writing a [`Site`] to a directory, all or nothing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::Site;
use super::html::GENERATOR;
use super::paths;

/// Why a site could not be written. Nothing of the new site is left behind, and a site that
/// was in the directory before is still there.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// The directory holds something other than a site this command wrote.
    #[error(
        "`{0}` is not empty and is not a site written by `novel-events docs` (its index.html does not say so, or it holds other files beside the site's): name a new or empty directory, or remove it first"
    )]
    NotASite(PathBuf),
    /// The target exists and is a file.
    #[error("`{0}` is not a directory: name a directory for the site")]
    NotADirectory(PathBuf),
    /// A file system operation failed.
    #[error("cannot {action} `{path}`: {source}")]
    Io {
        /// What was being done (`write`, `create the directory`).
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> SiteError {
    let path = path.to_owned();
    move |source| SiteError::Io {
        action,
        path,
        source,
    }
}

impl Site {
    /// Writes the site into `dir`, all or nothing.
    ///
    /// The files are written into a staging directory beside `dir`, which then takes its
    /// place. `dir` may be missing (it is created, with its parents), empty, or hold a site
    /// this command wrote before and nothing else (which is replaced as a whole, so that pages
    /// of events removed from the catalog do not linger); anything else is refused with
    /// [`SiteError::NotASite`], so that no file the command did not write (a `.git`, a README,
    /// the current directory's files with `--out .`) is ever removed.
    pub fn write(&self, dir: &Path) -> Result<(), SiteError> {
        let exists = match fs::metadata(dir) {
            Ok(metadata) if metadata.is_dir() => true,
            Ok(_) => return Err(SiteError::NotADirectory(dir.to_owned())),
            Err(error) if error.kind() == io::ErrorKind::NotFound => false,
            Err(error) => return Err(io("read", dir)(error)),
        };
        if exists && !replaceable(dir, self)? {
            return Err(SiteError::NotASite(dir.to_owned()));
        }
        let target = absolute(dir)?;
        let parent = target.parent().unwrap_or(Path::new("/")).to_owned();
        let name = target
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".to_owned());
        fs::create_dir_all(&parent).map_err(io("create the directory", &parent))?;
        let staging = parent.join(format!(".{name}.novel-events-docs.{}", std::process::id()));
        let _ = fs::remove_dir_all(&staging);
        if let Err(error) = self.write_files(&staging) {
            let _ = fs::remove_dir_all(&staging);
            return Err(error);
        }
        let swapped = if exists {
            let old = parent.join(format!(
                ".{name}.novel-events-docs-old.{}",
                std::process::id()
            ));
            let _ = fs::remove_dir_all(&old);
            fs::rename(&target, &old)
                .map_err(io("move aside the previous site", &target))
                .and_then(|()| match fs::rename(&staging, &target) {
                    Ok(()) => {
                        let _ = fs::remove_dir_all(&old);
                        Ok(())
                    }
                    Err(error) => {
                        let _ = fs::rename(&old, &target);
                        Err(io("move the new site to", &target)(error))
                    }
                })
        } else {
            fs::rename(&staging, &target).map_err(io("move the new site to", &target))
        };
        if swapped.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        swapped
    }

    fn write_files(&self, staging: &Path) -> Result<(), SiteError> {
        fs::create_dir_all(staging).map_err(io("create the directory", staging))?;
        for file in self.files() {
            let path = staging.join(&file.path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(io("create the directory", parent))?;
            }
            fs::write(&path, &file.contents).map_err(io("write", &path))?;
        }
        Ok(())
    }
}

/// Whether the directory `dir` may be replaced: it is empty, or its index says this command
/// wrote it and it holds nothing but what a site holds at its top (the entries `site` writes
/// there: `index.html`, `events/`, the assets).
fn replaceable(dir: &Path, site: &Site) -> Result<bool, SiteError> {
    let ours: std::collections::HashSet<std::ffi::OsString> = site
        .files()
        .iter()
        .filter_map(|file| file.path.split('/').next())
        .map(std::ffi::OsString::from)
        .collect();
    let mut empty = true;
    for entry in fs::read_dir(dir).map_err(io("read", dir))? {
        let entry = entry.map_err(io("read", dir))?;
        empty = false;
        if !ours.contains(&entry.file_name()) {
            return Ok(false);
        }
    }
    if empty {
        return Ok(true);
    }
    let index = dir.join(paths::INDEX);
    Ok(fs::read_to_string(index)
        .map(|text| {
            text.contains(&format!(
                "<meta name=\"generator\" content=\"{GENERATOR}\">"
            ))
        })
        .unwrap_or(false))
}

/// `dir` as an absolute path without `.` or `..` at its end, so that it has a parent and a
/// name (`--out .` names the current directory).
fn absolute(dir: &Path) -> Result<PathBuf, SiteError> {
    let current = std::env::current_dir().map_err(io("read the current directory", dir))?;
    let mut path = current.join(dir);
    if fs::metadata(&path).is_ok() {
        path = fs::canonicalize(&path).map_err(io("resolve", dir))?;
    }
    Ok(path)
}
