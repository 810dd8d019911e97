//! Text from the wire, made inert before it reaches a terminal, a log read
//! in one, or a clipboard: control characters (C0, C1, DEL) and the bidi
//! overrides are written as escapes, so that a header, a certificate's
//! name or a tunnel program's line cannot move a cursor, clear a screen or
//! reorder what is shown.

/// `text` with control characters and bidi overrides as `\u{..}` escapes.
pub fn inert(text: &str) -> String {
    let mut inert = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            inert.extend(c.escape_unicode());
        } else {
            inert.push(c);
        }
    }
    inert
}

/// Text for inside a Markdown code span: on one line, inert, and with no
/// backtick to end the span (Markdown reads nothing else in one).
pub fn code_span(text: &str) -> String {
    inert(&text.replace(['\r', '\n'], " ")).replace('`', "'")
}

/// Text for a Markdown table cell (a job summary, a report to paste): on
/// one line, inert, with no `|` to end the cell, no HTML, and nothing that
/// makes a link, an image, emphasis or a heading, as a reason may quote a
/// `Location` a handler chose.
pub fn markdown_cell(text: &str) -> String {
    let mut cell = String::with_capacity(text.len());
    for c in inert(&text.replace(['\r', '\n'], " ")).chars() {
        match c {
            '<' => cell.push_str("&lt;"),
            '>' => cell.push_str("&gt;"),
            '`' => cell.push('\''),
            '|' | '[' | ']' | '(' | ')' | '!' | '*' | '_' | '#' | '~' | '\\' => {
                cell.push('\\');
                cell.push(c);
            }
            c => cell.push(c),
        }
    }
    cell
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_escaped_and_the_rest_kept() {
        assert_eq!(
            inert("caf\u{e9} a\u{1b}[2Jb\u{202e}c\u{85}d\u{7f}\r"),
            "caf\u{e9} a\\u{1b}[2Jb\\u{202e}c\\u{85}d\\u{7f}\\u{d}"
        );
    }
}
