//! `gpwh completions SHELL`: the completion script clap_complete makes.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::exit::Exit;
use crate::output::Output;

pub fn run(args: CompletionsArgs, out: &Output) -> anyhow::Result<Exit> {
    out.text(&script(args.shell))?;
    Ok(Exit::Success)
}

/// The script for `shell`, made in memory: clap_complete panics on a write
/// error, and a closed pipe must not make gpwh panic.
pub fn script(shell: clap_complete::Shell) -> String {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "gpwh", &mut script);
    String::from_utf8(script).expect("clap_complete writes UTF-8")
}
