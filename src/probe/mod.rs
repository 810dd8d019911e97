//! What makes a webhook handler correct, as `gpwh probe` checks it: the
//! cases and grades ([`case`]), the battery of bodies a handler must accept
//! or refuse ([`battery`]), the grading of its answers ([`grade`]), what
//! the battery's answers say together ([`advice`]), the cases played one
//! after the other ([`sequence`]), a whole run ([`run`]), its `--json`
//! record ([`report`]) and the reports for pipelines ([`junit`],
//! [`actions`]).
//! Sending and printing are the command's job, in `commands/probe.rs`.

pub mod actions;
pub mod advice;
pub mod battery;
pub mod case;
pub mod grade;
pub mod junit;
pub mod report;
pub mod run;
pub mod sequence;

pub use battery::{Players, cases};
pub use case::{Case, ContentType, Expect, Grade};
pub use grade::{Counts, Outcome, Reply, excerpt};
pub use run::Run;
pub use sequence::{SKIPPED, not_sent, play};
