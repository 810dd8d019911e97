//! `gpwh decode`: what a body says, signature unchecked; with `--lines`,
//! one compact payload per line of NDJSON.

use gpwh_webhooks::Body;

use crate::batch::{self, BatchOutput, LineWork, Place, TooLong};
use crate::cli::DecodeArgs;
use crate::exit::Exit;
use crate::input;
use crate::messages::message;
use crate::output::{self, Layout, Output};

pub fn run(args: DecodeArgs, out: &Output) -> anyhow::Result<Exit> {
    if args.body.lines {
        return lines(args);
    }
    let input = input::source(args.body.bodies, args.body.files, "body")?.read()?;
    let body = Body::parse(&input)?;
    if args.render.raw {
        out.exact(&body.payload_bytes()?)?;
    } else {
        out.json(
            body.payload()?.json(),
            Layout::compact_if(args.render.compact),
        )?;
    }
    Ok(Exit::Success)
}

fn lines(args: DecodeArgs) -> anyhow::Result<Exit> {
    let inputs = input::sources(args.body.bodies, args.body.files, "body")?
        .into_iter()
        .map(input::Source::open)
        .collect::<anyhow::Result<_>>()?;
    let malformed = batch::run(inputs, DecodeLines)?;
    Ok(if malformed > 0 {
        Exit::Malformed
    } else {
        Exit::Success
    })
}

/// Each line's payload as one line of JSON; a message per malformed line.
struct DecodeLines;

impl LineWork for DecodeLines {
    /// Malformed lines.
    type Tally = u64;

    fn line(
        &self,
        at: Place<'_>,
        line: &[u8],
        scratch: &mut Vec<u8>,
        out: &mut BatchOutput,
        malformed: &mut u64,
    ) {
        let decoded = Body::parse(line).and_then(|body| {
            body.payload_bytes_into(scratch)?;
            gpwh_webhooks::scan(scratch).map(drop)
        });
        // GamePush sends compact JSON: keep its bytes unless it spans lines,
        // but for what a terminal acts on, escaped.
        match decoded {
            Ok(_) if !scratch.iter().any(|&b| b == b'\n' || b == b'\r') => {
                output::inert_json_text(scratch, &mut out.data)
            }
            Ok(_) => output::inert_json_text(&gpwh_webhooks::compact_json(scratch), &mut out.data),
            Err(error) => {
                *malformed += 1;
                message(out, at, &error);
                return;
            }
        }
        out.data.push(b'\n');
    }

    fn too_long(&self, at: Place<'_>, out: &mut BatchOutput, malformed: &mut u64) {
        *malformed += 1;
        message(out, at, &TooLong);
    }

    fn merge(total: &mut u64, batch: u64) {
        *total += batch;
    }
}

fn message(out: &mut BatchOutput, at: Place<'_>, error: &dyn std::fmt::Display) {
    out.messages
        .extend_from_slice(message!("{}:{}: {error}", at.file, at.line).as_bytes());
}
