//! Why the tool refuses a body: gpwh-webhooks' verdict, or, for a body read
//! from a file, a captured request that cannot be unwrapped (`capture.rs`).
//! One type, so that a verdict's code, message and exit code come from one
//! place whichever refused it.

use gpwh_webhooks::Error;

/// A body refused, by gpwh-webhooks or while finding it in a file.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// gpwh-webhooks refused it.
    #[error(transparent)]
    Webhook(#[from] Error),
    /// A captured HTTP request whose body cannot be found.
    #[error("captured HTTP request {0}")]
    Capture(&'static str),
    /// A file or an argument larger than the tool reads as one body, in
    /// gpwh-webhooks' words for a body past its limit.
    #[error("{}", crate::size::too_large("body", *.0))]
    TooLarge(usize),
}

impl Refusal {
    /// The stable code of verdicts: gpwh-webhooks' codes, and
    /// `http-capture`.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Webhook(error) => error.code(),
            Refusal::Capture(_) => "http-capture",
            Refusal::TooLarge(_) => "too-large",
        }
    }

    /// Whether the body is well formed but not to be trusted (forged,
    /// replayed), as opposed to not a webhook body at all.
    pub fn is_invalid(&self) -> bool {
        matches!(self, Refusal::Webhook(error) if error.is_invalid())
    }

    /// gpwh-webhooks' error, when it was the one that refused.
    pub fn webhook(&self) -> Option<&Error> {
        match self {
            Refusal::Webhook(error) => Some(error),
            Refusal::Capture(_) | Refusal::TooLarge(_) => None,
        }
    }
}
