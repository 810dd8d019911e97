//! `gpwh verify`: is this body authentic? The answer is the exit code; the
//! payload (or a JSON verdict) is the data. A failure says which common
//! mistake fits, when one does. With `--lines`, one NDJSON verdict per line
//! and a summary.

use std::io::Write as _;

use std::time::SystemTime;

use gpwh::{Hint, Verified, Verifier};
use serde_json::{Value, json};

use crate::batch::{self, LineWork, Output as BatchOutput, Place, TooLong};
use crate::cli::VerifyArgs;
use crate::exit::Exit;
use crate::input;
use crate::output::{Layout, Output};
use crate::secrets;
use crate::verdict::judge;

pub fn run(args: VerifyArgs, out: &Output) -> anyhow::Result<Exit> {
    let verifier = secrets::verifier(&args.secrets, args.max_age, gpwh::MAX_BODY, true)?;
    if args.body.lines {
        return lines(args, verifier);
    }
    let input = input::source(args.body.bodies, args.body.files, "body")?.read()?;
    let (verdict, hint) = judge(&input, &verifier);
    let layout = Layout::compact_if(args.render.compact);
    if args.json {
        out.json(&verdict_json(&verdict, hint), layout)?;
        return Ok(verdict.as_ref().map_or_else(Exit::of, |_| Exit::Success));
    }
    let verified = match verdict {
        Ok(verified) => verified,
        Err(error) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "gpwh: {error}");
            if let Some(hint) = hint {
                let _ = writeln!(stderr, "gpwh: hint: {hint}");
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

/// The `--json` verdict: the same fields for every body, valid or not.
fn verdict_json(verdict: &Result<Verified, gpwh::Error>, hint: Option<Hint>) -> Value {
    match verdict {
        Ok(verified) => json!({
            "valid": true,
            "event": verified.payload().event(),
            "encoding": verified.encoding().name(),
            "secret": verified.secret(),
            "payload": verified.payload().json(),
        }),
        Err(error) => {
            let mut verdict = json!({
                "valid": false,
                "error": error.code(),
                "message": error.to_string(),
            });
            if let Some(hint) = hint {
                verdict["hint"] = json!(hint.to_string());
            }
            verdict
        }
    }
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
    let _ = writeln!(
        std::io::stderr(),
        "{bodies} bodies: {} valid, {} invalid, {} malformed",
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
        let verdict = self.verifier.check_at(line, self.now, scratch);
        match verdict {
            Ok(checked) => {
                tally.valid += 1;
                if self.report == Report::Everything {
                    self.start(at, &mut out.data);
                    out.data.extend_from_slice(b",\"valid\":true,\"event\":");
                    serde_json::to_writer(&mut out.data, &checked.event())
                        .expect("writing to a Vec cannot fail");
                    out.data.extend_from_slice(b"}\n");
                }
            }
            Err(error) => {
                if error.is_invalid() {
                    tally.invalid += 1;
                } else {
                    tally.malformed += 1;
                }
                if self.report != Report::Nothing {
                    let hint = gpwh::diagnose(line, self.verifier.secrets(), &error);
                    self.failure(at, error.code(), &error, hint, out);
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
    /// `{"file":...,"line":N` or `{"line":N`.
    fn start(&self, at: Place<'_>, data: &mut Vec<u8>) {
        data.push(b'{');
        if self.name_files {
            data.extend_from_slice(b"\"file\":");
            serde_json::to_writer(&mut *data, at.file).expect("writing to a Vec cannot fail");
            data.push(b',');
        }
        write!(data, "\"line\":{}", at.line).expect("writing to a Vec cannot fail");
    }

    fn failure(
        &self,
        at: Place<'_>,
        code: &str,
        error: &dyn std::fmt::Display,
        hint: Option<Hint>,
        out: &mut BatchOutput,
    ) {
        let data = &mut out.data;
        self.start(at, data);
        write!(data, ",\"valid\":false,\"error\":\"{code}\",\"message\":")
            .expect("writing to a Vec cannot fail");
        serde_json::to_writer(&mut *data, &error.to_string())
            .expect("writing to a Vec cannot fail");
        if let Some(hint) = hint {
            data.extend_from_slice(b",\"hint\":");
            serde_json::to_writer(&mut *data, &hint.to_string())
                .expect("writing to a Vec cannot fail");
        }
        data.extend_from_slice(b"}\n");
    }
}
