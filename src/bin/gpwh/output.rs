//! How data goes out: JSON pretty or compact, coloured or not, and exact
//! bytes with a newline only for a human. Colour is decided once, here.
//! Only data goes to stdout; messages go to stderr from `main`.

use std::io::{self, BufWriter, IsTerminal, Write};

use colored_json::{ColorMode, ColoredFormatter, CompactFormatter, PrettyFormatter};
use serde_json::Value;

use crate::cli::ColorChoice;

/// How JSON is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Indented by two spaces, a key per line.
    Pretty,
    /// One line.
    Compact,
}

impl Layout {
    /// `Compact` when asked for, else `Pretty`.
    pub fn compact_if(compact: bool) -> Layout {
        if compact {
            Layout::Compact
        } else {
            Layout::Pretty
        }
    }
}

/// The colours of words in text reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    /// Good news.
    Green,
    /// Something is wrong.
    Red,
    /// Something deserves a look.
    Yellow,
    /// For information.
    Cyan,
}

/// Standard output, with the colour decision made.
#[derive(Clone, Copy)]
pub struct Output {
    color: bool,
    terminal: bool,
}

impl Output {
    /// Decides colour for standard output: `--color always|never` wins;
    /// otherwise no colour when NO_COLOR is non-empty or TERM is `dumb`;
    /// otherwise colour only on a terminal.
    pub fn new(choice: ColorChoice) -> Output {
        let terminal = io::stdout().is_terminal();
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
                terminal && !no_color && !dumb
            }
        };
        Output { color, terminal }
    }

    /// Whether standard output is a terminal.
    pub fn is_terminal(&self) -> bool {
        self.terminal
    }

    /// `text` in `paint` when colour is on, else as it is.
    pub fn paint(&self, text: &str, paint: Paint) -> String {
        if !self.color {
            return text.to_owned();
        }
        let code = match paint {
            Paint::Green => "32",
            Paint::Red => "31",
            Paint::Yellow => "33",
            Paint::Cyan => "36",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    /// Writes JSON and a newline.
    pub fn json(&self, value: &Value, layout: Layout) -> io::Result<()> {
        let mut out = BufWriter::new(io::stdout().lock());
        self.render_json(value, layout, &mut out)?;
        out.flush()
    }

    /// Renders JSON and a newline into `out`, coloured by the same rule.
    pub fn render_json(
        &self,
        value: &Value,
        layout: Layout,
        out: &mut impl Write,
    ) -> io::Result<()> {
        let mode = if self.color {
            ColorMode::On
        } else {
            ColorMode::Off
        };
        match layout {
            Layout::Pretty => ColoredFormatter::new(PrettyFormatter::with_indent(b"  "))
                .write_colored_json(value, &mut *out, mode)?,
            Layout::Compact => ColoredFormatter::new(CompactFormatter)
                .write_colored_json(value, &mut *out, mode)?,
        }
        out.write_all(b"\n")
    }

    /// Writes bytes exactly, adding a newline only on a terminal, so that
    /// what a pipe or file receives is the data and nothing else.
    pub fn exact(&self, bytes: &[u8]) -> io::Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(bytes)?;
        if self.terminal {
            out.write_all(b"\n")?;
        }
        out.flush()
    }

    /// Writes text as it is.
    pub fn text(&self, text: &str) -> io::Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()
    }
}
