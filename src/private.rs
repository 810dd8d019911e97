//! Files that hold secrets or what they sign: a secret key file, and
//! listen's log, which holds every signed body (each one replayable) and
//! every header. They are created readable by their owner alone, and
//! gpwh warns, as ssh does for keys, when other users may read or write
//! one it is given.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Opens `path` for appending, creating it readable and writable by its
/// owner alone (0600) when it does not exist; an existing file keeps its
/// mode.
///
/// # Errors
/// As [`OpenOptions::open`].
pub fn append(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path)
}

/// Warns on stderr when users other than the owner may read or write
/// `path`, a regular file: `what` names the file (`secret file`, `log file`) and `because`
/// says what such a user could do. gpwh goes on.
#[cfg(unix)]
pub fn warn_if_loose(path: &Path, what: &str, because: &str) {
    use std::os::unix::fs::PermissionsExt as _;

    use crate::messages::warning;

    // A device or a pipe (/dev/stdin, <(pass show key)) keeps nothing at
    // rest: only regular files are checked.
    let Some(metadata) = std::fs::metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_file)
    else {
        return;
    };
    let mode = metadata.permissions().mode() & 0o777;
    let who = match (mode & 0o044 != 0, mode & 0o022 != 0) {
        (true, true) => "readable and writable by other users",
        (true, false) => "readable by other users",
        (false, true) => "writable by other users",
        (false, false) => return,
    };
    warning!(
        "{what} '{}' is {who} (mode {mode:03o}): chmod 600 it, as {because}",
        path.display()
    );
}

/// Permissions of this kind are not checked where there are none.
#[cfg(not(unix))]
pub fn warn_if_loose(_: &Path, _: &str, _: &str) {}
