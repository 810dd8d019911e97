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
