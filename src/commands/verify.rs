//! `gpwh verify`: is this body authentic? The answer is the exit code; the
//! payload (or a JSON verdict) is the data. A failure says which common
//! mistake fits, when one does. With `--lines`, one NDJSON verdict per line
//! and a summary.

use std::time::SystemTime;

use gpwh_webhooks::{Verifier, Webhook};
use serde::Serialize;
use serde_json::Value;

use crate::batch::{self, BatchOutput, LineWork, Place, TooLong};
use crate::capture::Reading;
use crate::cli::VerifyArgs;
use crate::exit::Exit;
use crate::fast;
use crate::hint::{self, Hint};
use crate::input;
use crate::messages::say;
use crate::output::{self, Layout, Output};
use crate::record::{False, True};
use crate::refusal::Refusal;
use crate::secrets;
use crate::verdict::{judge, judge_at};

pub fn run(args: VerifyArgs, out: &Output) -> anyhow::Result<Exit> {
    let verifier = secrets::verifier(&args.secrets, args.max_age, crate::size::MAX_BODY)?;
    if args.body.lines {
        return lines(args, verifier);
    }
    let input = input::source(args.body.bodies, args.body.files, "body")?.read()?;
    let (verdict, hint) = judge(&input, &verifier, Reading::File);
    let layout = Layout::compact_if(args.render.compact);
    if args.json {
        out.record(&Verdict::of(&verdict, hint), layout)?;
        return Ok(verdict.as_ref().map_or_else(Exit::of, |_| Exit::Success));
    }
    let verified = match verdict {
        Ok(verified) => verified,
        Err(error) => {
            say!("{error}");
            if let Some(hint) = hint {
                say!("hint: {hint}");
            }
            return Ok(Exit::of(&error));
        }
    };
    if args.quiet {
    } else if args.render.raw {
        out.exact(verified.payload().bytes())?;
    } else {
        out.json(verified.payload().json(), layout)?;
    }
    Ok(Exit::Success)
}

/// `verify --json`: the verdict on one body (docs/schemas/verdict.json).
/// gpwh's axum extractor answers a refused body with the same record.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Verdict<'a> {
    /// The body is authentic.
    Valid(ValidBody<'a>),
    /// It is not, or it is not a body at all.
    Refused(RefusedBody),
}

/// The verdict on an authentic body.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ValidBody<'a> {
    /// `true`.
    valid: True,
    /// The payload's `event`, or null when it has none.
    event: Option<&'a str>,
    /// How the signature is written: `hex`, `HEX`, `base64`, `base64url`.
    encoding: &'static str,
    /// Which secret signed it: its place among those given, counting from 1.
    secret: usize,
    /// The payload, exactly as sent (numbers as written).
    payload: &'a Value,
}

/// The verdict on a body refused.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RefusedBody {
    /// `false`.
    valid: False,
    /// What is wrong, as a code that stays the same across versions
    /// (docs/verify.md lists them).
    error: &'static str,
    /// What is wrong, in words.
    message: String,
    /// Which common mistake fits, when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
}

impl<'a> Verdict<'a> {
    fn of(verdict: &'a Result<Webhook, Refusal>, hint: Option<Hint>) -> Verdict<'a> {
        match verdict {
            Ok(verified) => Verdict::Valid(ValidBody {
                valid: True,
                event: verified.payload().event(),
                encoding: verified.encoding().name(),
                secret: verified.secret_index() + 1,
                payload: verified.payload().json(),
            }),
            Err(error) => Verdict::Refused(RefusedBody {
                valid: False,
                error: error.code(),
                message: error.to_string(),
                hint: hint.map(|hint| hint.to_string()),
            }),
        }
    }
}

/// `verify --lines`: the verdict on one line (docs/schemas/line-verdict.json).
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum LineVerdict<'a> {
    /// The line is an authentic body.
    Valid(ValidLine<'a>),
    /// It is not, or it is not a body at all.
    Refused(RefusedLine<'a>),
}

/// The verdict on a line that is an authentic body.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ValidLine<'a> {
    /// Where the line comes from, when more than one file was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    /// Its line number, from 1, counting empty lines.
    line: u64,
    /// `true`.
    valid: True,
    /// The payload's `event`, or null when it has none.
    event: Option<&'a str>,
}

/// The verdict on a line refused.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RefusedLine<'a> {
    /// Where the line comes from, when more than one file was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    /// Its line number, from 1, counting empty lines.
    line: u64,
    /// `false`.
    valid: False,
    /// What is wrong, as a code that stays the same across versions.
    error: &'a str,
    /// What is wrong, in words.
    message: String,
    /// Which common mistake fits, when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
}

fn lines(args: VerifyArgs, verifier: Verifier) -> anyhow::Result<Exit> {
    let sources = input::sources(args.body.bodies, args.body.files, "body")?;
    let work = VerifyLines {
        verifier,
        // One moment for the whole run, so that a body's verdict does not
        // depend on where in the input it stands.
        now: SystemTime::now(),
        name_files: sources.len() > 1,
        report: if args.quiet {
            Report::Nothing
        } else if args.invalid_only {
            Report::Failures
        } else {
            Report::Everything
        },
    };
    let inputs = sources
        .into_iter()
        .map(input::Source::open)
        .collect::<anyhow::Result<_>>()?;
    let tally = batch::run(inputs, work)?;
    let bodies = tally.valid + tally.invalid + tally.malformed;
    say!(
        "{bodies} {}: {} valid, {} invalid, {} malformed",
        if bodies == 1 { "body" } else { "bodies" },
        tally.valid,
        tally.invalid,
        tally.malformed
    );
    Ok(if tally.malformed > 0 {
        Exit::Malformed
    } else if tally.invalid > 0 {
        Exit::Invalid
    } else {
        Exit::Success
    })
}

/// Which verdicts `verify --lines` writes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Report {
    Everything,
    Failures,
    Nothing,
}

/// A verdict per line, as one line of JSON.
struct VerifyLines {
    verifier: Verifier,
    now: SystemTime,
    name_files: bool,
    report: Report,
}

#[derive(Default)]
struct Tally {
    valid: u64,
    invalid: u64,
    malformed: u64,
}

impl LineWork for VerifyLines {
    type Tally = Tally;

    fn line(
        &self,
        at: Place<'_>,
        line: &[u8],
        scratch: &mut Vec<u8>,
        out: &mut BatchOutput,
        tally: &mut Tally,
    ) {
        // The fast path vouches for the bodies it can; gpwh-webhooks judges
        // the rest, and words every failure.
        if let Some(valid) = fast::verify(&self.verifier, line, self.now, scratch) {
            tally.valid += 1;
            self.valid(at, valid.event, out);
            return;
        }
        match judge_at(line, &self.verifier, Reading::File, self.now).0 {
            Ok(webhook) => {
                tally.valid += 1;
                self.valid(at, webhook.payload().event(), out);
            }
            Err(refusal) => {
                if refusal.is_invalid() {
                    tally.invalid += 1;
                } else {
                    tally.malformed += 1;
                }
                if self.report != Report::Nothing {
                    let hint =
                        hint::diagnose(line, self.verifier.secrets(), &refusal, Reading::File);
                    self.failure(at, refusal.code(), &refusal, hint, out);
                }
            }
        }
    }

    fn too_long(&self, at: Place<'_>, out: &mut BatchOutput, tally: &mut Tally) {
        tally.malformed += 1;
        if self.report != Report::Nothing {
            self.failure(at, TooLong::CODE, &TooLong, None, out);
        }
    }

    fn merge(total: &mut Tally, batch: Tally) {
        total.valid += batch.valid;
        total.invalid += batch.invalid;
        total.malformed += batch.malformed;
    }
}

impl VerifyLines {
    fn valid(&self, at: Place<'_>, event: Option<&str>, out: &mut BatchOutput) {
        if self.report == Report::Everything {
            let verdict = LineVerdict::Valid(ValidLine {
                file: self.file(at),
                line: at.line,
                valid: True,
                event,
            });
            write_line(&verdict, &mut out.data);
        }
    }

    /// The file a line comes from, named when more than one was read.
    fn file<'a>(&self, at: Place<'a>) -> Option<&'a str> {
        self.name_files.then_some(at.file)
    }

    fn failure(
        &self,
        at: Place<'_>,
        code: &str,
        error: &dyn std::fmt::Display,
        hint: Option<Hint>,
        out: &mut BatchOutput,
    ) {
        let verdict = LineVerdict::Refused(RefusedLine {
            file: self.file(at),
            line: at.line,
            valid: False,
            error: code,
            message: error.to_string(),
            hint: hint.map(|hint| hint.to_string()),
        });
        write_line(&verdict, &mut out.data);
    }
}

/// One verdict as one line of JSON, inert as all JSON gpwh writes.
fn write_line(verdict: &LineVerdict<'_>, data: &mut Vec<u8>) {
    output::json_line(verdict, data);
}
