//! What makes a webhook handler correct, as `gpwh probe` checks it: the
//! battery of bodies a handler must accept or refuse ([`battery`]), and the
//! grading of its answers ([`grade`]). Sending and printing are the
//! command's job, in `commands/probe.rs`.

pub mod battery;
pub mod grade;

pub use battery::{Case, Expect, cases};
pub use grade::{Answer, Counts, Grade, Outcome, grade};
