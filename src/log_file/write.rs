//! `listen --log FILE`: one JSON line per request, appended and flushed
//! before the request is answered, so nothing answered is missing from the
//! file even if gpwh is killed. It holds every signed body, each one
//! replayable, so it is created readable by its owner alone.

use std::fs::File;
use std::io::Write as _;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use anyhow::Context as _;
use serde::Serialize;

/// The log file, shared by every connection.
pub struct Log {
    file: Mutex<File>,
}

impl Log {
    /// Opens `path` for appending, creating it (mode 0600) if need be; an
    /// existing file keeps its mode, with a warning when others may read or
    /// write it.
    ///
    /// # Errors
    /// When the file cannot be opened, naming it.
    pub fn open(path: &Path) -> anyhow::Result<Log> {
        let file = crate::private::append(path)
            .with_context(|| format!("cannot open log file '{}'", path.display()))?;
        crate::private::warn_if_loose(
            path,
            "log file",
            "it holds every signed body, and anyone who reads it can send them again",
        );
        Ok(Log {
            file: Mutex::new(file),
        })
    }

    /// Appends one record as a line and flushes it.
    ///
    /// # Errors
    /// When the line cannot be written (a full disk, a removed mount).
    pub fn append(&self, record: &impl Serialize) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(record).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let mut file = self.file();
        file.write_all(&line)?;
        file.flush()
    }

    /// Flushes what was written to the disk, as listen stops.
    pub fn sync(&self) {
        let mut file = self.file();
        let _ = file.flush();
        let _ = file.sync_data();
    }

    fn file(&self) -> MutexGuard<'_, File> {
        // A handler that panicked while holding the lock left nothing half
        // written that matters: go on with the file.
        self.file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
