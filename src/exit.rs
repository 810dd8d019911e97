//! The exit codes, in one place, and which failure gets which. Scripts
//! branch on these, so they are part of the interface (README, `--help`).

use std::io;
use std::process::ExitCode;

use crate::json_input::InputError;
use crate::refusal::Refusal;

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
    /// The exit for a body refused.
    pub fn of(refusal: &Refusal) -> Exit {
        if refusal.is_invalid() {
            Exit::Invalid
        } else {
            Exit::Malformed
        }
    }

    /// The exit for any error that reached the top: a body refused by its
    /// kind, JSON given to sign that is not an object as malformed,
    /// everything else (flags, files, environment) as usage.
    pub fn for_error(error: &anyhow::Error) -> Exit {
        error
            .chain()
            .find_map(|cause| {
                if let Some(refusal) = cause.downcast_ref::<Refusal>() {
                    Some(Exit::of(refusal))
                } else if let Some(error) = cause.downcast_ref::<gpwh_webhooks::Error>() {
                    Some(if error.is_invalid() {
                        Exit::Invalid
                    } else {
                        Exit::Malformed
                    })
                } else {
                    cause.downcast_ref::<InputError>().map(|_| Exit::Malformed)
                }
            })
            .unwrap_or(Exit::Usage)
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
