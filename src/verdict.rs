//! The verdict on one body, as every command gives it: the core's judgment
//! and, for a failure, the hint that explains it when one fits.

use gpwh_webhooks::{Hint, Verified, Verifier};

/// The verdict on one body, as verify gives it, and the hint that explains
/// a failure, if one does.
pub fn judge(
    input: &[u8],
    verifier: &Verifier,
) -> (Result<Verified, gpwh_webhooks::Error>, Option<Hint>) {
    let verdict = verifier.judge(input);
    let hint = verdict
        .as_ref()
        .err()
        .and_then(|error| gpwh_webhooks::diagnose(input, verifier.secrets(), error));
    (verdict, hint)
}
