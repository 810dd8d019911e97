//! `gpwh verify`: is this body authentic? The answer is the exit code; the
//! payload (or a JSON verdict) is the data.

use gpwh::{Body, Verified};
use serde_json::{Value, json};

use crate::cli::VerifyArgs;
use crate::exit::Exit;
use crate::input::Source;
use crate::output::{Layout, Output};
use crate::secrets;

pub fn run(args: VerifyArgs, out: &Output) -> anyhow::Result<Exit> {
    let secrets = secrets::all(&args.secrets)?;
    let input = Source::choose(args.body.body, args.body.file, "body")?.read()?;
    let verdict = Body::parse(&input).and_then(|body| body.verify(&secrets));
    let layout = Layout::compact_if(args.render.compact);
    if args.json {
        out.json(&verdict_json(&verdict), layout)?;
        return Ok(verdict.as_ref().map_or_else(Exit::of, |_| Exit::Success));
    }
    let verified = verdict?;
    if args.quiet {
    } else if args.render.raw {
        out.exact(verified.payload().bytes())?;
    } else {
        out.json(verified.payload().json(), layout)?;
    }
    Ok(Exit::Success)
}

/// The `--json` verdict: the same fields for every body, valid or not.
fn verdict_json(verdict: &Result<Verified, gpwh::Error>) -> Value {
    match verdict {
        Ok(verified) => json!({
            "valid": true,
            "event": verified.payload().event(),
            "encoding": verified.encoding().name(),
            "secret": verified.secret(),
            "payload": verified.payload().json(),
        }),
        Err(error) => json!({
            "valid": false,
            "error": error.code(),
            "message": error.to_string(),
        }),
    }
}
