//! The verdict on one body, as every command gives it: gpwh-webhooks'
//! judgment and, for a failure, the hint that explains it when one fits. A
//! body off the network is judged as it came; a body from a file or an
//! argument is found first (`capture.rs`: a byte-order mark, a captured
//! request), since a person saved it.

use std::time::SystemTime;

use gpwh_webhooks::{Payload, Verifier, Webhook};

use crate::capture::{self, Reading};
use crate::hint::{self, Hint};
use crate::refusal::Refusal;

/// What a body claims, WITHOUT a check of its signature: for what the tool
/// shows of a body beyond its verdict. Read as gpwh-webhooks reads a body,
/// whatever its size (the tool already holds it).
///
/// # Errors
/// As [`capture::body_of`] for a file, and gpwh-webhooks' errors.
pub fn claimed(input: &[u8], reading: Reading) -> Result<Payload, Refusal> {
    let body = match reading {
        Reading::Network => input,
        Reading::File => capture::body_of(input)?,
    };
    Ok(Verifier::new([])
        .with_max_body(usize::MAX)
        .read_unverified(body)?)
}

/// The verdict on one body, and the hint that explains a failure, if one
/// does.
pub fn judge(
    input: &[u8],
    verifier: &Verifier,
    reading: Reading,
) -> (Result<Webhook, Refusal>, Option<Hint>) {
    judge_at(input, verifier, reading, SystemTime::now())
}

/// As [`judge`], measuring a body's age against `now`.
pub fn judge_at(
    input: &[u8],
    verifier: &Verifier,
    reading: Reading,
    now: SystemTime,
) -> (Result<Webhook, Refusal>, Option<Hint>) {
    let verdict = match reading {
        Reading::Network => Ok(input),
        Reading::File => capture::body_of(input),
    }
    .and_then(|body| Ok(verifier.verify_at(body, now)?));
    let hint = verdict
        .as_ref()
        .err()
        .and_then(|refusal| hint::diagnose(input, verifier.secrets(), refusal, reading));
    (verdict, hint)
}
