//! How data goes out: JSON pretty or compact, coloured or not, and exact
//! bytes with a newline only for a human. Colour is decided once, here.
//! Only data goes to stdout; messages go to stderr from `messages.rs`.

use std::io::{self, BufWriter, IsTerminal, Write};

use colored_json::{ColorMode, ColoredFormatter, CompactFormatter, PrettyFormatter};
use serde::Serialize;
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

    /// Writes a record (a type that serialises) as JSON and a newline.
    pub fn record(&self, record: &impl Serialize, layout: Layout) -> io::Result<()> {
        self.json(
            &serde_json::to_value(record).map_err(io::Error::other)?,
            layout,
        )
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
            Layout::Pretty => {
                ColoredFormatter::new(InertStrings(PrettyFormatter::with_indent(b"  ")))
                    .write_colored_json(value, &mut *out, mode)?;
            }
            Layout::Compact => ColoredFormatter::new(InertStrings(CompactFormatter))
                .write_colored_json(value, &mut *out, mode)?,
        }
        out.write_all(b"\n")
    }

    /// Writes bytes exactly, so that what a pipe or file receives is the
    /// data and nothing else. On a terminal they are for a person to read,
    /// and may come from the wire (a server's answer, a payload): made
    /// inert, their lines kept, and a newline added.
    pub fn exact(&self, bytes: &[u8]) -> io::Result<()> {
        let mut out = io::stdout().lock();
        if self.terminal {
            out.write_all(crate::inert::lines(bytes).as_bytes())?;
            out.write_all(b"\n")?;
        } else {
            out.write_all(bytes)?;
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
/// Appends `record` to `data` as one line of compact JSON, its strings
/// escaped as [`Output::json`] escapes them: for the batch commands, which
/// write their output in order later.
pub fn json_line(record: &impl Serialize, data: &mut Vec<u8>) {
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut *data, InertStrings(CompactFormatter));
    record
        .serialize(&mut serializer)
        .expect("a record serialises into a Vec");
    data.push(b'\n');
}

/// Appends JSON text to `data` as it is, but for the characters a terminal
/// acts on (see [`escaped`]), each written `\\uXXXX`: the same JSON value,
/// inert. In valid JSON such a character can only stand inside a string,
/// where the escape means the same; ASCII is never touched, so neither is
/// the whitespace between values. A byte that is not UTF-8 is left as it is.
pub fn inert_json_text(json: &[u8], data: &mut Vec<u8>) {
    // Most payloads are ASCII without DEL: two fast passes tell.
    if json.is_ascii() && !json.contains(&0x7f) {
        data.extend_from_slice(json);
        return;
    }
    // Every character escaped is DEL or starts with one of these bytes.
    let lead = |b: &u8| matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2);
    let mut at = 0;
    while let Some(found) = json[at..].iter().position(lead) {
        let start = at + found;
        data.extend_from_slice(&json[at..start]);
        let width = match json[start] {
            0x7f => 1,
            0xe2 => 3,
            _ => 2,
        };
        let c = json
            .get(start..start + width)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .and_then(|text| text.chars().next())
            .filter(|&c| escaped(c));
        match c {
            Some(c) => {
                let _ = write!(data, "\\u{:04x}", u32::from(c));
                at = start + width;
            }
            None => {
                data.push(json[start]);
                at = start + 1;
            }
        }
    }
    data.extend_from_slice(&json[at..]);
}

/// A JSON formatter that writes, besides what JSON must escape (C0 and the
/// quotes), what [`crate::inert`] escapes as `\\uXXXX` (JSON allows any
/// character so): DEL, C1, the bidi controls and the line separators.
/// Strings from the wire then cannot drive a terminal or reorder what it
/// shows. Everything else is `F`'s.
struct InertStrings<F>(F);

/// Whether `c` is written escaped in a JSON string beyond what JSON itself
/// escapes.
fn escaped(c: char) -> bool {
    c >= '\u{7f}' && crate::inert::is_active(c)
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for InertStrings<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (at, c) in fragment.char_indices().filter(|(_, c)| escaped(*c)) {
            self.0.write_string_fragment(writer, &fragment[start..at])?;
            write!(writer, "\\u{:04x}", u32::from(c))?;
            start = at + c.len_utf8();
        }
        self.0.write_string_fragment(writer, &fragment[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_text_keeps_its_bytes_but_what_a_terminal_acts_on() {
        let json =
            "{\"a\":\"\u{9b}\u{7f}\u{202e}\u{200f}\u{61c}\u{2066}\u{2028}\u{aa}\u{20ac}\u{e9}\"}\t";
        let mut data = Vec::new();
        inert_json_text(json.as_bytes(), &mut data);
        assert_eq!(
            String::from_utf8(data).unwrap(),
            "{\"a\":\"\\u009b\\u007f\\u202e\\u200f\\u061c\\u2066\\u2028\u{aa}\u{20ac}\u{e9}\"}\t"
        );
        // Not UTF-8, or cut short: left as it is.
        let mut data = Vec::new();
        inert_json_text(b"\"\xc2\xe2\x80\"\xe2\x80", &mut data);
        assert_eq!(data, b"\"\xc2\xe2\x80\"\xe2\x80");
    }

    #[test]
    fn a_json_line_is_compact_and_inert() {
        let mut data = Vec::new();
        json_line(&serde_json::json!({"e": "x\u{9b}\u{200e}\n"}), &mut data);
        assert_eq!(data, b"{\"e\":\"x\\u009b\\u200e\\n\"}\n");
    }
}
