//! How `gpwh probe` judges a handler's answers to one case: the grade, and
//! in words what the handler did and how to put it right. Nothing here
//! sends or prints; it is a function of a case and its answers.

use std::time::Duration;

use super::case::{Case, ContentType, Expect, Grade};
use crate::inert::inert;

/// An answer slower than this is a warning: a sender gives up at some
/// point, and GamePush does not say when.
pub const SLOW: Duration = Duration::from_secs(5);

/// What one delivery of a body got back.
#[derive(Debug, Clone)]
pub enum Reply {
    /// An HTTP answer.
    Status {
        /// The status code.
        status: u16,
        /// Where a 3xx answer points, if it says.
        location: Option<String>,
        /// From sending the request to reading the whole answer.
        elapsed: Duration,
        /// Why the body could not be read to the end, after the status
        /// arrived: the status is graded all the same.
        body_error: Option<String>,
        /// The start of what the handler said, as [`excerpt`] makes it.
        said: Option<String>,
    },
    /// No HTTP answer, and why (refused, timed out, ...).
    Nothing(String),
}

/// A case, graded.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The case's name.
    pub name: String,
    /// What the case sent, in a few words.
    pub sends: String,
    /// How the handler did.
    pub grade: Grade,
    /// The status of the last answer, if there was one.
    pub status: Option<u16>,
    /// The longest time an answer took, if every delivery was answered.
    pub elapsed: Option<Duration>,
    /// Why it is not a pass.
    pub reason: Option<String>,
    /// The start of the last answer's body, made inert, when it had one.
    pub said: Option<String>,
}

impl Outcome {
    /// A case that was not sent, and why.
    pub fn skipped(case: &Case, why: &str) -> Outcome {
        Outcome {
            name: case.name.clone(),
            sends: case.sends.clone(),
            grade: Grade::Skip,
            status: None,
            elapsed: None,
            reason: Some(why.to_owned()),
            said: None,
        }
    }
}

/// Grades the answers to every delivery of `case`, in order.
pub fn grade(case: &Case, answers: &[Reply]) -> Outcome {
    let mut outcome = Outcome {
        name: case.name.clone(),
        sends: case.sends.clone(),
        grade: Grade::Pass,
        status: None,
        elapsed: None,
        reason: None,
        said: None,
    };
    let mut statuses = Vec::with_capacity(answers.len());
    let mut slowest = Duration::ZERO;
    let mut body_error = None;
    for answer in answers {
        match answer {
            Reply::Status {
                status,
                location,
                elapsed,
                body_error: error,
                said,
            } => {
                outcome.said.clone_from(said);
                statuses.push((*status, location.as_deref()));
                slowest = slowest.max(*elapsed);
                body_error = body_error.or(error.as_deref());
            }
            Reply::Nothing(why) => {
                outcome.grade = case.otherwise;
                outcome.reason = Some(format!("no answer: {why}"));
                return outcome;
            }
        }
    }
    let Some(&(status, location)) = statuses.last() else {
        return outcome;
    };
    outcome.status = Some(status);
    outcome.elapsed = Some(slowest);

    let accepted = |status: u16| (200..300).contains(&status);
    let (grade, reason) = match case.expect {
        Expect::Accept(fix) => {
            // What the answer says outweighs the case's fix, but for the
            // bodies a handler may refuse for their form (a warning) or
            // their Content-Type: there the case knows better than the
            // words, which follow from what a parser did to the body.
            let words = if case.otherwise == Grade::Fail && case.content_type == ContentType::Run {
                Words::of(outcome.said.as_deref())
            } else {
                Words::Other
            };
            let fix = refusal_fix(status, words).unwrap_or(fix);
            match statuses.iter().position(|&(s, _)| !accepted(s)) {
                None => (Grade::Pass, None),
                Some(0) => (
                    case.otherwise,
                    Some(format!("{}: {fix}", answered(status, location))),
                ),
                Some(_) => (
                    case.otherwise,
                    Some(format!(
                        "accepted the first delivery, then {}: {fix}",
                        answered(status, location)
                    )),
                ),
            }
        }
        Expect::Refuse(fix) => {
            if accepted(status) {
                (
                    case.otherwise,
                    Some(format!("{}: {fix}", answered(status, location))),
                )
            } else if status >= 500 {
                (
                    Grade::Warn,
                    Some(format!(
                        "{}: refuse with 4xx, as a 5xx says the handler failed and invites a retry",
                        answered(status, location)
                    )),
                )
            } else {
                (Grade::Pass, None)
            }
        }
    };
    outcome.grade = grade;
    outcome.reason = reason;
    if let Some(why) = body_error {
        // The status line was read, and it is what is graded.
        outcome.add_reason(format!(
            "the status arrived but the body could not be read: {why}"
        ));
    }

    if slowest > SLOW {
        outcome.grade = outcome.grade.max(Grade::Warn);
        let slow = format!(
            "answered in {:.1} s: answer within {} s, and do slow work after answering",
            slowest.as_secs_f64(),
            SLOW.as_secs()
        );
        outcome.add_reason(slow);
    }
    outcome
}

impl Outcome {
    /// Adds `more` after the reason there is, if any.
    fn add_reason(&mut self, more: String) {
        self.reason = Some(match self.reason.take() {
            Some(reason) => format!("{reason}; {more}"),
            None => more,
        });
    }
}

/// What a refusal of a body that should be accepted says by itself, before
/// the rest of the battery is read: a status or words that point away from
/// the body. `None` leaves the case's own fix.
fn refusal_fix(status: u16, words: Words) -> Option<&'static str> {
    match (status, words) {
        (404 | 410, _) => Some("nothing at this URL takes the webhook: check its path"),
        (405, _) => Some("the URL does not take a POST: GamePush posts its webhooks"),
        (413, _) => Some("the body was too large for the server: allow webhook bodies of 1 MiB"),
        (500..=599, _) => Some(
            "the handler failed on a valid body: its log says why (an exception, a missing \
             secret key, a database that is down)",
        ),
        (400..=499, Words::Mismatch) => Some(
            "the handler says the signature is wrong: if its secret key is the one probe was \
             given (look for a newline or spaces at either end), hash the payload part exactly \
             as received, then '_' and the key, with SHA-256",
        ),
        (400..=499, Words::BodyLost) => Some(
            "the handler did not get the body as it was sent: something read or parsed it \
             first (a JSON or form parser such as app.use(express.json())), so read the raw \
             bytes on the webhook's route",
        ),
        _ => None,
    }
}

/// What the words of a refusal point to, as far as a few common phrasings
/// tell: handlers word their refusals as they like, so this is a guess,
/// and a wrong guess costs no more than the case's own fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    /// The signature does not match: another key, or other bytes hashed.
    Mismatch,
    /// The body did not arrive as sent: no signature, not JSON, empty.
    BodyLost,
    /// The time: too old, from the future, not a time.
    Time,
    /// Nothing probe recognises, or nothing said.
    Other,
}

impl Words {
    /// Reads what a handler said.
    pub fn of(said: Option<&str>) -> Words {
        let said = said.unwrap_or("").to_ascii_lowercase();
        let any = |words: &[&str]| words.iter().any(|word| said.contains(word));
        if any(&[
            "no signature",
            "missing signature",
            "without signature",
            "unexpected token",
            "syntaxerror",
            "not valid json",
            "empty body",
            "no body",
            "body is empty",
            "missing body",
        ]) {
            Words::BodyLost
        } else if any(&["signature", "digest", "hmac", "signed"])
            && any(&[
                "match",
                "invalid",
                "wrong",
                "bad",
                "incorrect",
                "verif",
                "fail",
                "forged",
            ])
        {
            Words::Mismatch
        } else if any(&["too old", "stale", "expired", "future", "clock", "time"]) {
            Words::Time
        } else {
            Words::Other
        }
    }
}

/// The start of an answer's body as probe shows it: its words on one line
/// (the text of an HTML page, without its tags), at most [`EXCERPT`]
/// characters, made inert; `None` for an empty body.
pub fn excerpt(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let mut words = String::with_capacity(EXCERPT.min(text.len()));
    let mut in_tag = false;
    let html = text.trim_start().starts_with('<');
    for piece in text.split_whitespace() {
        let mut kept = String::new();
        for c in piece.chars() {
            match c {
                '<' if html => in_tag = true,
                '>' if html && in_tag => in_tag = false,
                c if !in_tag => kept.push(c),
                _ => {}
            }
        }
        if !kept.is_empty() {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(&kept);
        }
        if words.chars().count() > EXCERPT {
            break;
        }
    }
    if html {
        words = entities(&words);
    }
    if words.is_empty() {
        return None;
    }
    let mut cut: String = words.chars().take(EXCERPT).collect();
    if cut.len() < words.len() {
        cut.push('…');
    }
    Some(inert(&cut))
}

/// The text of an HTML page's common character references: named ones of
/// markup and quotes, and numeric ones. Anything else is left as written.
fn entities(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('&') {
        text.push_str(&rest[..start]);
        rest = &rest[start..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .map(|hex| u32::from_str_radix(hex, 16))
                    .or_else(|| name.strip_prefix('#').map(str::parse))
                    .and_then(Result::ok)
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                text.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                text.push('&');
                rest = &rest[1..];
            }
        }
    }
    text.push_str(rest);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A case that sends the valid body under another Content-Type, refused
/// with the same answer as the valid body itself (status and words): the
/// type is not why, so its reason says so instead of blaming a body
/// parser. A different answer (a parser's SyntaxError) keeps the blame.
pub fn as_the_valid_body(outcome: &mut Outcome, valid: &Outcome) {
    if outcome.grade == Grade::Pass
        || valid.grade == Grade::Pass
        || outcome.status != valid.status
        || outcome.said != valid.said
    {
        return;
    }
    if let Some(status) = outcome.status {
        outcome.reason = Some(format!(
            "refused with {status}, as the valid body was: the Content-Type is not why"
        ));
    }
}

/// How many characters of an answer's body probe shows.
pub const EXCERPT: usize = 100;

/// What an answer did, as `accepted with 200`, `refused with 400` or
/// `answered 302 to https://...`.
fn answered(status: u16, location: Option<&str>) -> String {
    match status {
        200..=299 => format!("accepted with {status}"),
        // The Location is the handler's: inert, as everything told of it.
        300..=399 => format!(
            "answered {status}, a redirect to {}, which probe does not follow: give GamePush the \
             final URL",
            location.map_or_else(|| "nowhere".to_owned(), inert)
        ),
        _ => format!("refused with {status}"),
    }
}

/// How many cases got each grade.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Cases not sent.
    pub skip: usize,
    /// Cases that passed.
    pub pass: usize,
    /// Cases that failed.
    pub fail: usize,
    /// Cases with a warning.
    pub warn: usize,
}

impl Counts {
    /// Counts the grades of `outcomes`.
    pub fn of(outcomes: &[Outcome]) -> Counts {
        let mut counts = Counts::default();
        for outcome in outcomes {
            *match outcome.grade {
                Grade::Skip => &mut counts.skip,
                Grade::Pass => &mut counts.pass,
                Grade::Fail => &mut counts.fail,
                Grade::Warn => &mut counts.warn,
            } += 1;
        }
        counts
    }

    /// How many cases were sent and graded.
    pub fn checks(&self) -> usize {
        self.pass + self.fail + self.warn
    }
}

/// `13 pass, 1 fail, 1 warn`, and `, 2 skipped` when any was: the
/// tally every report ends with.
impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} pass, {} fail, {} warn",
            self.pass, self.fail, self.warn
        )?;
        if self.skip > 0 {
            write!(f, ", {} skipped", self.skip)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(expect: Expect, otherwise: Grade) -> Case {
        Case {
            name: "case".into(),
            sends: "a body".into(),
            body: Vec::new(),
            content_type: crate::probe::ContentType::Run,
            deliveries: 1,
            expect,
            otherwise,
        }
    }

    fn status(status: u16) -> Reply {
        Reply::Status {
            status,
            location: None,
            elapsed: Duration::from_millis(3),
            body_error: None,
            said: None,
        }
    }

    #[test]
    fn accepting_cases_pass_on_2xx_only() {
        let valid = case(Expect::Accept("do it right"), Grade::Fail);
        assert_eq!(grade(&valid, &[status(200)]).grade, Grade::Pass);
        assert_eq!(grade(&valid, &[status(204)]).grade, Grade::Pass);
        let refused = grade(&valid, &[status(400)]);
        assert_eq!(refused.grade, Grade::Fail);
        assert_eq!(refused.status, Some(400));
        assert_eq!(refused.reason.unwrap(), "refused with 400: do it right");
    }

    #[test]
    fn refusing_cases_pass_on_4xx_and_warn_on_5xx() {
        let forged = case(Expect::Refuse("do it right"), Grade::Fail);
        assert_eq!(grade(&forged, &[status(400)]).grade, Grade::Pass);
        assert_eq!(grade(&forged, &[status(401)]).grade, Grade::Pass);
        let failed = grade(&forged, &[status(500)]);
        assert_eq!(failed.grade, Grade::Warn);
        assert!(failed.reason.unwrap().contains("refuse with 4xx"));
        let accepted = grade(&forged, &[status(200)]);
        assert_eq!(accepted.grade, Grade::Fail);
        assert_eq!(accepted.reason.unwrap(), "accepted with 200: do it right");
        let replay = case(Expect::Refuse("do it right"), Grade::Warn);
        assert_eq!(grade(&replay, &[status(200)]).grade, Grade::Warn);
    }

    #[test]
    fn a_redirect_is_not_an_acceptance_and_says_where_it_points() {
        let valid = case(Expect::Accept("do it right"), Grade::Fail);
        let answer = Reply::Status {
            status: 302,
            location: Some("https://example.com/new".into()),
            elapsed: Duration::ZERO,
            body_error: None,
            said: None,
        };
        let outcome = grade(&valid, &[answer]);
        assert_eq!(outcome.grade, Grade::Fail);
        assert!(outcome.reason.unwrap().contains("https://example.com/new"));
    }

    #[test]
    fn a_repeat_must_be_accepted_both_times() {
        let mut twice = case(Expect::Accept("do it right"), Grade::Warn);
        twice.deliveries = 2;
        assert_eq!(
            grade(&twice, &[status(200), status(200)]).grade,
            Grade::Pass
        );
        let outcome = grade(&twice, &[status(200), status(409)]);
        assert_eq!(outcome.grade, Grade::Warn);
        assert_eq!(outcome.status, Some(409));
        assert!(
            outcome
                .reason
                .unwrap()
                .starts_with("accepted the first delivery, then refused with 409")
        );
    }

    #[test]
    fn no_answer_gets_the_cases_own_grade() {
        let valid = case(Expect::Accept("do it right"), Grade::Fail);
        let outcome = grade(&valid, &[Reply::Nothing("timed out after 10s".into())]);
        assert_eq!(outcome.grade, Grade::Fail);
        assert_eq!(outcome.status, None);
        assert_eq!(outcome.reason.unwrap(), "no answer: timed out after 10s");
    }

    #[test]
    fn a_slow_answer_is_at_least_a_warning() {
        let valid = case(Expect::Accept("do it right"), Grade::Fail);
        let slow = |status| Reply::Status {
            status,
            location: None,
            elapsed: Duration::from_millis(5200),
            body_error: None,
            said: None,
        };
        let passing = grade(&valid, &[slow(200)]);
        assert_eq!(passing.grade, Grade::Warn);
        assert!(passing.reason.unwrap().starts_with("answered in 5.2 s"));
        let failing = grade(&valid, &[slow(400)]);
        assert_eq!(failing.grade, Grade::Fail);
        assert!(failing.reason.unwrap().contains("; answered in 5.2 s"));
        // Exactly at the limit is not slow.
        let on_time = Reply::Status {
            status: 200,
            location: None,
            elapsed: SLOW,
            body_error: None,
            said: None,
        };
        assert_eq!(grade(&valid, &[on_time]).grade, Grade::Pass);
    }

    #[test]
    fn an_unreadable_body_keeps_the_grade_of_its_status() {
        let valid = case(Expect::Accept("do it right"), Grade::Fail);
        let cut = |status| Reply::Status {
            status,
            location: None,
            elapsed: Duration::from_millis(3),
            body_error: Some("connection reset".into()),
            said: None,
        };
        let passing = grade(&valid, &[cut(200)]);
        assert_eq!(passing.grade, Grade::Pass);
        assert_eq!(
            passing.reason.unwrap(),
            "the status arrived but the body could not be read: connection reset"
        );
        let failing = grade(&valid, &[cut(400)]);
        assert_eq!(failing.grade, Grade::Fail);
        assert!(
            failing
                .reason
                .unwrap()
                .starts_with("refused with 400: do it right; the status")
        );
    }

    #[test]
    fn an_excerpt_is_one_inert_line_of_words() {
        assert_eq!(excerpt(b""), None);
        assert_eq!(excerpt(b" \n "), None);
        assert_eq!(excerpt(b"ok\n").unwrap(), "ok");
        assert_eq!(
            excerpt(b"signature\r\n does not match").unwrap(),
            "signature does not match"
        );
        let express = b"<!DOCTYPE html>\n<html><body><pre>Cannot POST /hook</pre></body></html>\n";
        assert_eq!(excerpt(express).unwrap(), "Cannot POST /hook");
        assert_eq!(excerpt(b"a <b> c &amp; d").unwrap(), "a <b> c &amp; d");
        let escaped = b"<pre>SyntaxError: Unexpected token &#39;e&#39;, &quot;eyJ&quot;... &nbsp; &#x41;&bogus; &</pre>";
        assert_eq!(
            excerpt(escaped).unwrap(),
            "SyntaxError: Unexpected token 'e', \"eyJ\"... A&bogus; &"
        );
        assert_eq!(
            excerpt("caf\u{e9} \u{1b}[2J\u{9b}".as_bytes()).unwrap(),
            "caf\u{e9} \\u{1b}[2J\\u{9b}"
        );
        let long = excerpt(&[b'x'; 500]).unwrap();
        assert_eq!(long.chars().count(), EXCERPT + 1);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn a_refusal_that_says_why_gets_the_fix_that_fits() {
        let valid = case(Expect::Accept("hash it right"), Grade::Fail);
        let said = |status, text: &str| Reply::Status {
            status,
            location: None,
            elapsed: Duration::ZERO,
            body_error: None,
            said: excerpt(text.as_bytes()),
        };
        let reason = |reply| grade(&valid, &[reply]).reason.unwrap();
        assert!(reason(said(404, "Cannot POST /x")).contains("check its path"));
        assert!(reason(said(500, "TypeError")).contains("its log says why"));
        assert!(reason(said(401, "signature does not match")).contains("newline"));
        assert!(reason(said(400, "no signature")).contains("did not get the body as it was sent"));
        assert!(reason(said(400, "SyntaxError: Unexpected token")).contains("raw bytes"));
        assert_eq!(reason(said(400, "no")), "refused with 400: hash it right");
        let outcome = grade(&valid, &[said(400, "Bad request")]);
        assert_eq!(outcome.said.as_deref(), Some("Bad request"));
        // A body refused for its form, or its Content-Type, keeps its own
        // fix: the words follow from what was done to the body.
        let form = case(Expect::Accept("read any hex"), Grade::Warn);
        let outcome = grade(&form, &[said(400, "signature is not lowercase hex")]);
        assert_eq!(outcome.reason.unwrap(), "refused with 400: read any hex");
        let mut typed = case(Expect::Accept("read the raw body"), Grade::Fail);
        typed.content_type = ContentType::Set("application/x-www-form-urlencoded");
        let outcome = grade(&typed, &[said(400, "signature does not match")]);
        assert_eq!(
            outcome.reason.unwrap(),
            "refused with 400: read the raw body"
        );
        let outcome = grade(&typed, &[said(404, "Cannot POST /x")]);
        assert!(outcome.reason.unwrap().contains("check its path"));
    }

    #[test]
    fn another_type_refused_as_the_valid_body_is_not_the_types_fault() {
        let valid = case(Expect::Accept("hash it right"), Grade::Fail);
        let first = grade(&valid, &[status(400)]);
        let mut json = grade(&valid, &[status(400)]);
        as_the_valid_body(&mut json, &first);
        assert_eq!(json.grade, Grade::Fail);
        assert!(json.reason.unwrap().contains("the Content-Type is not why"));
        let mut other = grade(&valid, &[status(415)]);
        as_the_valid_body(&mut other, &first);
        assert_eq!(other.reason.unwrap(), "refused with 415: hash it right");
        // The same status with other words: a parser refused it.
        let mut parsed = grade(&valid, &[status(400)]);
        parsed.said = Some("SyntaxError: Unexpected token".into());
        as_the_valid_body(&mut parsed, &first);
        assert_eq!(parsed.reason.unwrap(), "refused with 400: hash it right");
    }

    #[test]
    fn words_of_a_refusal() {
        for (said, words) in [
            ("signature does not match", Words::Mismatch),
            ("Invalid signature", Words::Mismatch),
            ("HMAC verification failed", Words::Mismatch),
            ("no signature", Words::BodyLost),
            ("Missing signature", Words::BodyLost),
            ("SyntaxError: Unexpected token 'e'", Words::BodyLost),
            ("body is too old, or from the future", Words::Time),
            ("Bad request", Words::Other),
            ("", Words::Other),
        ] {
            assert_eq!(Words::of(Some(said)), words, "{said}");
        }
        assert_eq!(Words::of(None), Words::Other);
    }

    #[test]
    fn counts_add_up() {
        let valid = case(Expect::Accept("do it right"), Grade::Fail);
        let outcomes = [
            grade(&valid, &[status(200)]),
            grade(&valid, &[status(400)]),
            grade(&valid, &[status(201)]),
        ];
        let counts = Counts::of(&outcomes);
        assert_eq!((counts.pass, counts.fail, counts.checks()), (2, 1, 3));
    }
}
