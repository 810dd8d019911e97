//! `gpwh facts LOG...`: what the deliveries listen logged say about their
//! sender, as a few short tables, `--json` for scripts, or `--markdown` to
//! paste into an issue. No secret and no body is shown, and text from the
//! wire is made inert first.

use crate::cli::FactsArgs;
use crate::exit::Exit;
use crate::facts;
use crate::log_file;
use crate::output::{Layout, Output};

pub fn run(args: FactsArgs, out: &Output) -> anyhow::Result<Exit> {
    let deliveries = log_file::read::deliveries(&args.logs)?;
    let facts = facts::of(&deliveries);
    if args.json {
        out.record(&facts.report(), Layout::Pretty)?;
        return Ok(Exit::Success);
    }
    let tables = facts.tables();
    let report = if args.markdown {
        facts::table::markdown(facts.requests, &tables)
    } else {
        facts::table::text(facts.requests, &tables)
    };
    out.text(&report)?;
    Ok(Exit::Success)
}
