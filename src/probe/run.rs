//! One run of the battery against one URL, as every report tells it: the
//! terminal lines, `--json`, `--junit` and the GitHub Actions output all
//! read this, so they cannot disagree about what happened.

use std::time::Duration;

use jiff::Timestamp;

use super::grade::{Counts, Outcome};

/// What probe did, and what came of it.
#[derive(Debug, Clone)]
pub struct Run {
    /// The handler's URL.
    pub url: String,
    /// Every case, graded or skipped, in the order of the battery.
    pub outcomes: Vec<Outcome>,
    /// Whether warnings fail the run (`--strict`).
    pub strict: bool,
    /// Whether the server's certificate went unchecked (`--insecure`).
    pub insecure: bool,
    /// When the first case was sent.
    pub started: Timestamp,
    /// How long the run took.
    pub elapsed: Duration,
    /// Why the handler could not be reached at all, when it could not: the
    /// run stopped there.
    pub unreachable: Option<String>,
    /// What the answers say together ([`super::advise`]), most likely
    /// cause first.
    pub advice: Vec<String>,
}

impl Run {
    /// A run against `url` that starts at `started`, with nothing graded
    /// yet.
    pub fn new(url: &str, strict: bool, insecure: bool, started: Timestamp) -> Run {
        Run {
            url: url.to_owned(),
            outcomes: Vec::new(),
            strict,
            insecure,
            started,
            elapsed: Duration::ZERO,
            unreachable: None,
            advice: Vec::new(),
        }
    }

    /// How many cases got each grade.
    pub fn counts(&self) -> Counts {
        Counts::of(&self.outcomes)
    }

    /// Whether the run fails a pipeline: a case failed, or warned under
    /// `--strict`, or nothing could be reached.
    pub fn failed(&self) -> bool {
        let counts = self.counts();
        self.unreachable.is_some() || counts.fail > 0 || (self.strict && counts.warn > 0)
    }
}
