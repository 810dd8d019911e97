//! `gpwh sign`: make a body exactly as GamePush would, for tests: from
//! JSON given, or from an event's template, with fields overridden.

use crate::cli::SignArgs;
use crate::exit::Exit;
use crate::forge::forge;
use crate::output::Output;

pub fn run(args: SignArgs, out: &Output) -> anyhow::Result<Exit> {
    out.exact(forge(args)?.as_bytes())?;
    Ok(Exit::Success)
}
