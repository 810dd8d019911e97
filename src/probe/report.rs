//! `gpwh probe --json`: the report of a run, as scripts read it
//! (docs/schemas/probe-report.json).

use serde::Serialize;

use super::case::Grade;
use super::grade::{Counts, Outcome};
use super::run::Run;

/// The report of a whole run.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Report<'a> {
    /// The handler's URL.
    url: &'a str,
    /// Whether the server's certificate went unchecked (`--insecure`).
    insecure: bool,
    /// Every case, graded or skipped, in the order they were sent.
    cases: Vec<CaseReport<'a>>,
    /// How many cases earned each grade.
    counts: CountsReport,
    /// What the answers say together, most likely cause first: empty when
    /// the cases' own reasons say all there is.
    advice: &'a [String],
}

/// How the handler did on one case.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseReport<'a> {
    /// The case's name (`gpwh probe --list` lists them).
    name: &'a str,
    /// `pass`, `fail`, `warn`, or `skip` when it was not sent.
    grade: Grade,
    /// The status of the last answer, or null when there was none.
    status: Option<u16>,
    /// The longest time an answer took, in milliseconds to a tenth, or null
    /// when a delivery went unanswered.
    ms: Option<f64>,
    /// Why it is not a pass, or null.
    reason: Option<&'a str>,
    /// The start of the handler's last answer (its first line, at most 100
    /// characters, control characters escaped), or null when it had no body.
    said: Option<&'a str>,
}

/// How many cases earned each grade.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CountsReport {
    /// Cases sent and graded: every case but those skipped.
    checks: usize,
    /// Cases passed.
    pass: usize,
    /// Cases failed.
    fail: usize,
    /// Cases with a warning.
    warn: usize,
    /// Cases not sent.
    skip: usize,
}

impl<'a> Report<'a> {
    pub fn of(run: &'a Run, counts: Counts) -> Report<'a> {
        Report {
            url: &run.url,
            insecure: run.insecure,
            cases: run.outcomes.iter().map(CaseReport::of).collect(),
            counts: CountsReport {
                checks: counts.checks(),
                pass: counts.pass,
                fail: counts.fail,
                warn: counts.warn,
                skip: counts.skip,
            },
            advice: &run.advice,
        }
    }
}

impl<'a> CaseReport<'a> {
    fn of(outcome: &'a Outcome) -> CaseReport<'a> {
        CaseReport {
            name: &outcome.name,
            grade: outcome.grade,
            status: outcome.status,
            ms: outcome.elapsed.map(millis),
            reason: outcome.reason.as_deref(),
            said: outcome.said.as_deref(),
        }
    }
}

/// Milliseconds to a tenth, as the report and the text say a time.
pub fn millis(elapsed: std::time::Duration) -> f64 {
    (elapsed.as_secs_f64() * 10_000.0).round() / 10.0
}
