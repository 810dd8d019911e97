//! Every message gpwh writes for a person leaves from here: on stderr,
//! each line starting `gpwh: ` (a block's later lines are its own), with
//! text that came from the wire, a file or a program made inert on the way
//! out, once, here. Data goes to stdout through `output.rs`; nothing else
//! writes to stderr. Modelled on ripgrep's `messages.rs`.
//!
//! `say!` writes a message, `warning!` one that starts `warning: `;
//! `message!` gives the text of one for a buffer written in order later
//! (the batch commands' messages).

use std::fmt;
use std::io::Write as _;

use crate::inert::inert;

/// Writes `gpwh: MESSAGE` on stderr, control characters made inert, each
/// line of it kept a line.
pub fn write(message: fmt::Arguments<'_>) {
    // Nothing more can be done when stderr itself is gone.
    let _ = std::io::stderr().lock().write_all(text(message).as_bytes());
}

/// Writes a line that is not gpwh's to say but what it passes on (the
/// status line a server answered with), made inert, without the prefix.
pub fn verbatim(line: fmt::Arguments<'_>) {
    let line = format!("{}\n", inert(&line.to_string()));
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// Writes messages [`message!`] made earlier, in the order they were made
/// (a batch command keeps its messages in step with its output).
///
/// # Errors
/// When stderr cannot be written.
pub fn write_made(messages: &[u8]) -> std::io::Result<()> {
    std::io::stderr().lock().write_all(messages)
}

/// Writes GitHub Actions workflow commands (probe's annotations), which
/// Actions reads from stderr: `probe/actions.rs` has escaped them already,
/// as Actions wants, so they are written as they are.
pub fn workflow_commands(commands: &str) {
    let _ = std::io::stderr().lock().write_all(commands.as_bytes());
}

/// `gpwh: MESSAGE` and a line end, made inert: what [`write`] writes.
pub fn text(message: fmt::Arguments<'_>) -> String {
    let message = message.to_string();
    let mut text = String::with_capacity(message.len() + 8);
    text.push_str("gpwh: ");
    for (n, line) in message.split('\n').enumerate() {
        if n > 0 {
            text.push('\n');
        }
        text.push_str(&inert(line));
    }
    text.push('\n');
    text
}

/// `gpwh: …` on stderr.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::messages::write(format_args!($($arg)*))
    };
}

/// `gpwh: warning: …` on stderr.
macro_rules! warning {
    ($($arg:tt)*) => {
        $crate::messages::write(format_args!("warning: {}", format_args!($($arg)*)))
    };
}

/// The text of `gpwh: …`, for a buffer of messages written later.
macro_rules! message {
    ($($arg:tt)*) => {
        $crate::messages::text(format_args!($($arg)*))
    };
}

pub(crate) use {message, say, warning};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_prefixed_and_made_inert_line_by_line() {
        assert_eq!(
            text(format_args!("bad path /x\u{1b}[31m")),
            "gpwh: bad path /x\\u{1b}[31m\n"
        );
        assert_eq!(
            text(format_args!("what the log says:\n  2 valid\r")),
            "gpwh: what the log says:\n  2 valid\\u{d}\n"
        );
    }
}
