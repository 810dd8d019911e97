//! The vocabulary `gpwh probe` is written in: a case (a body, how often it
//! is posted, what a correct handler does with it) and the grade a
//! handler's answers earn. The battery builds cases, the grading judges
//! answers to them; both use these types and neither needs the other.

/// How a handler did on one case, from best to worst; or that the case was
/// not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Grade {
    /// Not sent: `--skip` named it, or the handler could not be reached.
    Skip,
    /// It did what a correct handler does.
    Pass,
    /// It works with GamePush today, but is fragile or unsafe.
    Warn,
    /// It refuses what GamePush sends, or accepts what it never would.
    Fail,
}

impl Grade {
    /// `skip`, `pass`, `warn` or `fail`, as in `--json`.
    pub fn name(self) -> &'static str {
        match self {
            Grade::Skip => "skip",
            Grade::Pass => "pass",
            Grade::Warn => "warn",
            Grade::Fail => "fail",
        }
    }
}

/// What a correct handler answers to a case's body, and the words that go
/// with an answer that is not that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A 2xx status; otherwise, why that is wrong and how to fix it.
    Accept(&'static str),
    /// Any status but 2xx, 4xx at best; otherwise, why and how to fix it.
    Refuse(&'static str),
}

/// The Content-Type header a case is posted with.
///
/// GamePush does not document the one it sends, so a handler must read the
/// raw body whatever the header says: a body parser that claims
/// `application/json` or a form before the handler sees it refuses or
/// mangles every real delivery of that type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentType {
    /// The run's own: `text/plain; charset=utf-8`, or what `-H` set.
    Run,
    /// This one, whatever `-H` said.
    Set(&'static str),
    /// No Content-Type header at all.
    Absent,
}

/// One check: a body, how often it is delivered, and how the answer is
/// graded.
#[derive(Debug, Clone)]
pub struct Case {
    /// A stable kebab-case name, for reports and scripts.
    pub name: String,
    /// What the body is, in a few words.
    pub sends: String,
    /// The body, exactly as it is posted.
    pub body: Vec<u8>,
    /// The Content-Type it is posted with.
    pub content_type: ContentType,
    /// How many times the body is posted, one after the other.
    pub deliveries: usize,
    /// What a correct handler does.
    pub expect: Expect,
    /// The grade when the handler does otherwise.
    pub otherwise: Grade,
}
