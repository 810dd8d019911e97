//! `gpwh decode`: what a body says, signature unchecked; with `--lines`,
//! one compact payload per line of NDJSON.

use crate::batch::{self, BatchOutput, LineWork, Place, TooLong};
use crate::capture::Reading;
use crate::cli::DecodeArgs;
use crate::exit::Exit;
use crate::fast;
use crate::input;
use crate::json_input::compact_json;
use crate::messages::message;
use crate::output::{self, Layout, Output};
use crate::refusal::Refusal;
use crate::verdict;

pub fn run(args: DecodeArgs, out: &Output) -> anyhow::Result<Exit> {
    if args.body.lines {
        return lines(args);
    }
    let input = input::source(args.body.bodies, args.body.files, "body")?.read()?;
    if args.render.raw {
        out.exact(&raw(&input)?)?;
    } else {
        let payload = read(&input)?;
        out.json(payload.json(), Layout::compact_if(args.render.compact))?;
    }
    Ok(Exit::Success)
}

/// What a body from a file or an argument says, unverified.
fn read(input: &[u8]) -> Result<gpwh_webhooks::Payload, Refusal> {
    verdict::claimed(input, Reading::File)
}

/// The decoded bytes of a body's payload, JSON or not (`--raw`).
fn raw(input: &[u8]) -> Result<Vec<u8>, Refusal> {
    match read(input) {
        Ok(payload) => Ok(payload.bytes().to_vec()),
        // The base64 decoded, as gpwh-webhooks read it: decode it again for
        // the bytes, in whichever alphabet it is.
        Err(refusal @ Refusal::Webhook(gpwh_webhooks::Error::PayloadNotJson(_))) => {
            let body = crate::capture::Body::find(input)?;
            let part = body.payload_part();
            let engine = if part.iter().any(|&b| b == b'-' || b == b'_') {
                &base64::engine::general_purpose::URL_SAFE_PAD_INDIFFERENT
            } else {
                &base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT
            };
            base64::Engine::decode(engine, part).map_err(|_| refusal)
        }
        Err(refusal) => Err(refusal),
    }
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
        // The fast path decodes the bodies it can; gpwh-webhooks the rest,
        // and words every failure.
        let decoded = match fast::payload(line, scratch) {
            Some(()) => Ok(()),
            None => read(line).map(|payload| {
                scratch.clear();
                scratch.extend_from_slice(payload.bytes());
            }),
        };
        // GamePush sends compact JSON: keep its bytes unless it spans lines,
        // but for what a terminal acts on, escaped.
        match decoded {
            Ok(_) if !scratch.iter().any(|&b| b == b'\n' || b == b'\r') => {
                output::inert_json_text(scratch, &mut out.data)
            }
            Ok(_) => output::inert_json_text(&compact_json(scratch), &mut out.data),
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
