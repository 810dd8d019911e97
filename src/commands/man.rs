//! `gpwh man`: the man page, from the same clap types as `--help`.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::exit::Exit;
use crate::output::Output;

pub fn run(out: &Output) -> anyhow::Result<Exit> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    out.exact(&page)?;
    Ok(Exit::Success)
}
