//! `gpwh`: parse the command line, run one subcommand, turn the outcome
//! into an exit code, saying the error that ended it (through
//! `messages.rs`, as every message).

mod batch;
mod capture;
mod catalog;
mod cli;
mod client;
mod closest;
mod commands;
mod curl;
mod duration;
mod edit;
mod exit;
mod facts;
mod fast;
mod forge;
mod hint;
mod inert;
mod input;
mod json_input;
mod listen;
mod log_file;
mod messages;
mod outline;
mod output;
mod private;
mod probe;
#[cfg(test)]
mod properties;
mod purchase;
mod record;
mod refusal;
#[cfg(test)]
mod schemas;
mod secrets;
mod size;
mod time;
mod tls;
mod verdict;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::exit::Exit;
use crate::messages::say;
use crate::output::Output;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(exit) => exit.into(),
        Err(error) if exit::is_broken_pipe(&error) => Exit::Success.into(),
        Err(error) => {
            // Nothing more can be done if stderr itself is gone.
            say!("{error:#}");
            Exit::for_error(&error).into()
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<Exit> {
    let out = Output::new(cli.color);
    match cli.command {
        Command::Decode(args) => commands::decode::run(args, &out),
        Command::Verify(args) => commands::verify::run(args, &out),
        Command::Sign(args) => commands::sign::run(args, &out),
        Command::Events(args) => commands::events::run(args, &out),
        Command::Send(args) => commands::send::run(args, &out),
        Command::Listen(args) => commands::listen::run(args, &out),
        Command::Probe(args) => commands::probe::run(args, &out),
        Command::Replay(args) => commands::replay::run(args, &out),
        Command::Facts(args) => commands::facts::run(args, &out),
        Command::Completions(args) => commands::completions::run(args, &out),
        Command::Man => commands::man::run(&out),
    }
}
