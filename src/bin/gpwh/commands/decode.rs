//! `gpwh decode`: what a body says, signature unchecked.

use gpwh::Body;

use crate::cli::DecodeArgs;
use crate::exit::Exit;
use crate::input::Source;
use crate::output::{Layout, Output};

pub fn run(args: DecodeArgs, out: &Output) -> anyhow::Result<Exit> {
    let input = Source::choose(args.body.body, args.body.file, "body")?.read()?;
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
