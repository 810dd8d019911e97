//! Text from the wire, made inert before it reaches a terminal, a log read
//! in one, a clipboard or a Markdown page: control characters (C0, C1,
//! DEL), the bidi controls and the line separators are written as escapes,
//! so that a header, a certificate's name or a tunnel program's line
//! cannot move a cursor, clear a screen, reorder what is shown or break a
//! line; in Markdown, nothing from the wire makes a link or a mention.

/// Whether `c` is written as an escape: a control character (C0, DEL, C1),
/// one of the bidi controls of Unicode's UAX #9 (the embeddings and
/// overrides U+202A..U+202E, the isolates U+2066..U+2069, and the marks
/// U+200E, U+200F and U+061C, which reorder neutral text around them), or
/// the line and paragraph separators U+2028 and U+2029, which some viewers
/// break a line at. Invisible characters that neither act on a terminal
/// nor reorder text (a zero-width joiner in an emoji, a byte-order mark)
/// are kept: escaping them would mangle real names and still leave
/// look-alike letters.
pub fn is_active(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{61c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// `text` with every [active](is_active) character as a `\u{..}` escape.
pub fn inert(text: &str) -> String {
    let mut inert = String::with_capacity(text.len());
    for c in text.chars() {
        if is_active(c) {
            inert.extend(c.escape_unicode());
        } else {
            inert.push(c);
        }
    }
    inert
}

/// Text of several lines for a terminal (a server's answer, a payload):
/// made inert but for the line ends (LF, or CRLF) and tabs, which only
/// lay text out; a lone CR, which would let a line overwrite another, is
/// escaped with the rest. Bytes that are not UTF-8 are shown as U+FFFD.
pub fn lines(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut shown = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => shown.push(c),
            '\r' if chars.peek() == Some(&'\n') => shown.push(c),
            c if is_active(c) => shown.extend(c.escape_unicode()),
            c => shown.push(c),
        }
    }
    shown
}

/// Text for inside a Markdown code span: on one line, inert, and with no
/// backtick to end the span (Markdown reads nothing else in one, and links
/// and mentions nothing in one either).
pub fn code_span(text: &str) -> String {
    inert(&text.replace(['\r', '\n'], " ")).replace('`', "'")
}

/// A zero-width space, as a character reference: invisible, but what
/// GitHub's autolinks and mentions look for no longer matches.
const BREAK: &str = "&#8203;";

/// Text for a Markdown table cell (a job summary, a report to paste): on
/// one line, inert, with no `|` to end the cell, no HTML, and nothing that
/// makes a link, an image, emphasis or a heading, as a reason may quote a
/// `Location` a handler chose.
///
/// GitHub links more than Markdown's own links: a bare `https://...` or
/// `www.` (the GFM autolink extension, at parse time, and again over the
/// rendered text), `name@host` (an email), `@name` (a mention) and `#12`
/// (an issue). A backslash escape or a character reference is undone
/// before the second pass, so each of those is broken by a zero-width
/// space, as a reference: after `:` in `://`, after `www` (in any case)
/// before its `.`, after every `@` and every `#`. A `&` is written `&amp;`,
/// so that the text's own references (`&#64;`) stay text.
pub fn markdown_cell(text: &str) -> String {
    let text = inert(&text.replace(['\r', '\n'], " "));
    let mut cell = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '<' => cell.push_str("&lt;"),
            '>' => cell.push_str("&gt;"),
            '&' => cell.push_str("&amp;"),
            '`' => cell.push('\''),
            ':' if rest.starts_with("//") => {
                cell.push(':');
                cell.push_str(BREAK);
            }
            '@' => {
                cell.push('@');
                cell.push_str(BREAK);
            }
            '#' => {
                cell.push_str("\\#");
                cell.push_str(BREAK);
            }
            'w' | 'W'
                if rest.len() >= 3
                    && rest.as_bytes()[..2].eq_ignore_ascii_case(b"ww")
                    && rest.as_bytes()[2] == b'.' =>
            {
                cell.push(c);
                cell.push_str(&rest[..2]);
                cell.push_str(BREAK);
                rest = &rest[2..];
            }
            '|' | '[' | ']' | '(' | ')' | '!' | '*' | '_' | '~' | '\\' => {
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

    #[test]
    fn the_bidi_marks_and_line_separators_are_escaped_too() {
        assert_eq!(
            inert("a\u{200e}b\u{200f}c\u{61c}d\u{2028}e\u{2029}f\u{9b}31m"),
            "a\\u{200e}b\\u{200f}c\\u{61c}d\\u{2028}e\\u{2029}f\\u{9b}31m"
        );
        // Text in any script, emoji joined by ZWJ, a BOM: kept.
        let kept = "\u{645}\u{631}\u{62d}\u{628}\u{627} \u{1f469}\u{200d}\u{1f4bb} \u{feff}x";
        assert_eq!(inert(kept), kept);
    }

    #[test]
    fn lines_keep_their_ends_and_nothing_else() {
        assert_eq!(
            lines(b"a\x1b[2J\r\nb\rc\n\xc2\x9b\xff\t\xe2\x80\xae\r"),
            "a\\u{1b}[2J\r\nb\\u{d}c\n\\u{9b}\u{fffd}\t\\u{202e}\\u{d}"
        );
    }

    #[test]
    fn inert_is_idempotent() {
        let once = inert("\u{1b}[2J\u{202e}\u{200f}\u{9b}");
        assert_eq!(inert(&once), once);
    }

    #[test]
    fn a_cell_makes_no_autolink_no_mention_and_no_reference() {
        let cell = markdown_cell(
            "see https://evil.example/x HTTP://E.example www.evil.example WWW.E.example \
             ftp://f.example/ admin@evil.example @octocat @org/team #12 &#64;ghost",
        );
        for linked in [
            "://", "www.", "WWW.", "@octocat", "@org", "@evil", "#12", "&#64;",
        ] {
            assert!(!cell.contains(linked), "{linked} in {cell}");
        }
        assert_eq!(
            markdown_cell("https://e.example www.e.example @x #1 &#64;y"),
            "https:&#8203;//e.example www&#8203;.e.example @&#8203;x \\#&#8203;1 &amp;\\#&#8203;64;y"
        );
    }

    #[test]
    fn a_code_span_keeps_its_text_as_written() {
        // Nothing in a code span links or mentions, and an entity there
        // would show as written.
        assert_eq!(
            code_span("https://e.example/@x www.e.example"),
            "https://e.example/@x www.e.example"
        );
    }
}
