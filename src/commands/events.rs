//! `gpwh events`: the event catalog from a shell, as a table for people
//! and as tab-separated lines or JSON for scripts; one event in detail.

use std::fmt::Write as _;

use gpwh_webhooks::{EVENTS, EXAMPLE_TIME, Event};
use serde::Serialize;
use serde_json::Value;

use crate::catalog;
use crate::cli::EventsArgs;
use crate::exit::Exit;
use crate::output::{Layout, Output};

pub fn run(args: EventsArgs, out: &Output) -> anyhow::Result<Exit> {
    let Some(name) = args.name else {
        if args.json {
            let all: Vec<Listed> = EVENTS.iter().map(Listed::of).collect();
            out.record(&all, Layout::Pretty)?;
        } else {
            out.text(&lines(EVENTS.iter(), out.is_terminal()))?;
        }
        return Ok(Exit::Success);
    };
    let event = catalog::lookup(&name)?;
    let example = event.template(EXAMPLE_TIME);
    if args.json {
        let detail = EventDetail {
            name: event.name(),
            description: event.description(),
            result_type: event.result_type(),
            result_shape: event.result_shape().name(),
            example: &example,
        };
        out.record(&detail, Layout::Pretty)?;
    } else {
        out.text(&format!(
            "{}: {}\nresult: {}, {}\nexample (gpwh sign --event {} --time {EXAMPLE_TIME}):\n",
            event.name(),
            event.description(),
            event.result_type(),
            event.result_shape().source(),
            event.name(),
        ))?;
        out.json(&example, Layout::Pretty)?;
    }
    Ok(Exit::Success)
}

/// `gpwh events --json`: one event of the list
/// (docs/schemas/events.json).
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Listed {
    /// The event's name, as the payload's `event` says it.
    name: &'static str,
    /// What happened, in a few words.
    description: &'static str,
}

impl Listed {
    fn of(event: &Event) -> Listed {
        Listed {
            name: event.name(),
            description: event.description(),
        }
    }
}

/// `gpwh events NAME --json`: one event in detail
/// (docs/schemas/event.json).
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EventDetail<'a> {
    /// The event's name.
    name: &'static str,
    /// What happened, in a few words.
    description: &'static str,
    /// The type of its `result`, as the vendor's SDK names it.
    result_type: &'static str,
    /// Where that shape comes from: `documented`, `sdk` or `illustrative`.
    result_shape: &'static str,
    /// A whole payload of it, as `gpwh sign --event NAME` makes it.
    example: &'a Value,
}

/// An aligned table on a terminal; `NAME<TAB>DESCRIPTION` lines otherwise.
fn lines<'a>(events: impl Iterator<Item = &'a Event> + Clone, aligned: bool) -> String {
    let width = events.clone().map(|e| e.name().len()).max().unwrap_or(0);
    let mut text = String::new();
    for event in events {
        let (name, description) = (event.name(), event.description());
        if aligned {
            writeln!(text, "{name:width$}  {description}")
        } else {
            writeln!(text, "{name}\t{description}")
        }
        .expect("writing to a String cannot fail");
    }
    text
}
