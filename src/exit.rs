//! The exit codes, in one place, and which failure gets which. Scripts
//! branch on these, so they are part of the interface (README, `--help`).

use std::io;
use std::process::ExitCode;

/// What the process tells its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success; for verify, the signature is valid.
    Success = 0,
    /// verify: the body is well formed but no secret matches, or it is
    /// outside the --max-age window; probe: a case failed (or warned, with
    /// --strict).
    Invalid = 1,
    /// Usage or environment: bad flags, no secret, unreadable file, no input.
    Usage = 2,
    /// Malformed input: not a webhook body, or sign input that is not JSON.
    Malformed = 3,
    /// send: the server answered other than 2xx, or could not be reached;
    /// probe: the URL could not be reached at all; replay: an answer was
    /// not 2xx, or a delivery was not sent.
    Undelivered = 4,
}

impl Exit {
    /// The exit for a failure of the core.
    pub fn of(error: &gpwh_webhooks::Error) -> Exit {
        if error.is_invalid() {
            Exit::Invalid
        } else {
            Exit::Malformed
        }
    }

    /// The exit for any error that reached the top: the core's errors by
    /// their kind, everything else (flags, files, environment) as usage.
    pub fn for_error(error: &anyhow::Error) -> Exit {
        error
            .chain()
            .find_map(|cause| cause.downcast_ref::<gpwh_webhooks::Error>())
            .map_or(Exit::Usage, Exit::of)
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

/// Whether the error is only that the reader of our output went away
/// (`gpwh decode ... | head -c 10`), which is not a failure.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
