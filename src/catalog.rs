//! Names a person types, and the one way gpwh answers a name it does not
//! know: the closest names (by the library's one algorithm,
//! [`crate::closest::closest`]), in one voice. Events are found here in any letter
//! case; probe's cases are checked with [`unknown`] too.

use anyhow::anyhow;
use gpwh_webhooks::{EVENTS, Event};

/// The listed event called `name` in any letter case.
///
/// # Errors
/// For an unknown name, naming the closest ones.
pub fn lookup(name: &str) -> anyhow::Result<&'static Event> {
    Event::find(name).ok_or_else(|| {
        unknown(
            "event",
            name,
            EVENTS.iter().map(|e| e.name()),
            "'gpwh events'",
        )
    })
}

/// `unknown KIND 'TYPED': did you mean A, B? (LISTED_BY lists them all)`, or
/// without the question when no name is close.
pub fn unknown<'a>(
    kind: &str,
    typed: &str,
    names: impl IntoIterator<Item = &'a str>,
    listed_by: &str,
) -> anyhow::Error {
    match crate::closest::closest(typed, names).as_slice() {
        [] => anyhow!("unknown {kind} '{typed}': {listed_by} lists them all"),
        close => anyhow!(
            "unknown {kind} '{typed}': did you mean {}? ({listed_by} lists them all)",
            close.join(", ")
        ),
    }
}
