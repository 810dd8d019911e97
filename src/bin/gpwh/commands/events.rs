//! `gpwh events`: the event catalog from a shell, as a table for people
//! and as tab-separated lines or JSON for scripts; one event in detail.

use std::fmt::Write as _;

use gpwh::{EVENTS, EXAMPLE_TIME, Event};
use serde_json::{Value, json};

use crate::catalog;
use crate::cli::EventsArgs;
use crate::exit::Exit;
use crate::output::{Layout, Output};

pub fn run(args: EventsArgs, out: &Output) -> anyhow::Result<Exit> {
    let Some(name) = args.name else {
        if args.json {
            let all: Vec<Value> = EVENTS.iter().map(event_json).collect();
            out.json(&Value::Array(all), Layout::Pretty)?;
        } else {
            out.text(&lines(EVENTS.iter(), out.is_terminal()))?;
        }
        return Ok(Exit::Success);
    };
    let event = catalog::lookup(&name)?;
    let example = event.template(EXAMPLE_TIME);
    if args.json {
        let mut details = event_json(event);
        details["result_type"] = json!(event.result_type());
        details["result_shape"] = json!(event.result_shape().name());
        details["example"] = example;
        out.json(&details, Layout::Pretty)?;
    } else {
        out.text(&format!(
            "{}: {}\nresult: {}, {}\nexample (gpwh sign --event {} --time {EXAMPLE_TIME}):\n",
            event.name,
            event.description,
            event.result_type(),
            event.result_shape().source(),
            event.name,
        ))?;
        out.json(&example, Layout::Pretty)?;
    }
    Ok(Exit::Success)
}

fn event_json(event: &Event) -> Value {
    json!({ "name": event.name, "description": event.description })
}

/// An aligned table on a terminal; `NAME<TAB>DESCRIPTION` lines otherwise.
fn lines<'a>(events: impl Iterator<Item = &'a Event> + Clone, aligned: bool) -> String {
    let width = events.clone().map(|e| e.name.len()).max().unwrap_or(0);
    let mut text = String::new();
    for event in events {
        let (name, description) = (event.name, event.description);
        if aligned {
            writeln!(text, "{name:width$}  {description}")
        } else {
            writeln!(text, "{name}\t{description}")
        }
        .expect("writing to a String cannot fail");
    }
    text
}
