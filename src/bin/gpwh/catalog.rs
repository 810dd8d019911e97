//! Finding a listed event by the name a person typed, in any letter case,
//! with the closest names suggested when none matches.

use anyhow::anyhow;
use gpwh::Event;

/// The listed event called `name` in any letter case.
///
/// # Errors
/// For an unknown name, naming the closest ones.
pub fn lookup(name: &str) -> anyhow::Result<&'static Event> {
    Event::find(name).ok_or_else(|| unknown(name))
}

fn unknown(name: &str) -> anyhow::Error {
    let suggestions: Vec<&str> = Event::suggest(name).iter().map(|e| e.name).collect();
    match suggestions.as_slice() {
        [] => anyhow!("unknown event '{name}': run 'gpwh events' for the list"),
        names => anyhow!(
            "unknown event '{name}': did you mean {}? ('gpwh events' lists them all)",
            names.join(", ")
        ),
    }
}
