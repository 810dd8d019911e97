//! The fast path of [`crate::scan`]: one pass over a payload's bytes that
//! checks that they are one JSON value and finds what a batch verdict needs
//! (the kind of value, and the top-level `event` and `time` strings),
//! without building anything or copying a byte.
//!
//! It answers only when it is sure that serde_json accepts the same bytes
//! and reads the same `event` and `time`; on anything it does not handle
//! exactly (a `\u` escape, an escaped `event` or `time`, a number with an
//! exponent or hundreds of digits, deep nesting, serde_json's private
//! number key) and on every error, it answers `None`, and the caller asks
//! serde_json, which also words the error. A property test holds it to
//! serde_json on arbitrary and hostile inputs.
//!
//! Strings, most of a webhook payload's bytes, are searched sixteen bytes
//! per SIMD compare; the rest is read byte by byte, which on payloads this
//! dense in tokens costs less than indexing them first (simdjson's way).

use wide::u8x16;

/// What a payload is, at its top level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    Boolean,
    Number,
    String,
    Null,
}

/// The outline of a JSON document: its kind and, for an object, its
/// top-level `event` and `time` when they are strings (the last of each, as
/// serde_json keeps a repeated key's last value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Outline<'a> {
    pub(crate) kind: Kind,
    pub(crate) event: Option<&'a str>,
    pub(crate) time: Option<&'a str>,
}

/// Nesting deeper than this is left to serde_json, whose limit is 128.
/// Within 63, the nesting fits in the bits of a u64.
const MAX_DEPTH: usize = 60;

/// Digits in one number past which serde_json might find it out of range
/// (an f64 ends near 1.8e308): left to serde_json.
const MAX_DIGITS: usize = 300;

/// The outline of `bytes`, when they are certainly one JSON value as
/// serde_json reads it; `None` when they are not, or when it cannot be
/// sure.
///
/// One loop over the bytes, with the nesting kept as bits (1 for an
/// object, 0 for an array): no recursion, no allocation.
pub(crate) fn outline(bytes: &[u8]) -> Option<Outline<'_>> {
    // Strings are checked for quotes, escapes and control characters only:
    // UTF-8 is checked once, for the whole input.
    let text = std::str::from_utf8(bytes).ok()?;
    let mut at = space(bytes, 0);
    let mut outline = Outline {
        kind: match *bytes.get(at)? {
            b'{' => Kind::Object,
            b'[' => Kind::Array,
            b't' | b'f' => Kind::Boolean,
            b'"' => Kind::String,
            b'n' => Kind::Null,
            _ => Kind::Number,
        },
        event: None,
        time: None,
    };
    let mut objects: u64 = 0;
    let mut depth = 0;
    // The top-level key whose value comes next, if it is `event` or `time`.
    let mut slot = Slot::Other;
    'value: loop {
        // A value starts at `at`.
        let pending = std::mem::replace(&mut slot, Slot::Other);
        match *bytes.get(at)? {
            b'"' => {
                let (end, escaped) = string_end(bytes, at + 1)?;
                if pending != Slot::Other {
                    if escaped {
                        return None;
                    }
                    *outline.slot(pending) = Some(&text[at + 1..end]);
                }
                at = end + 1;
            }
            open @ (b'{' | b'[') => {
                outline.clear(pending);
                depth += 1;
                if depth > MAX_DEPTH {
                    return None;
                }
                let object = open == b'{';
                objects = (objects & !(1 << depth)) | (u64::from(object) << depth);
                at = space(bytes, at + 1);
                let close = if object { b'}' } else { b']' };
                if *bytes.get(at)? == close {
                    at += 1;
                    depth -= 1;
                } else {
                    if object {
                        at = key(bytes, at, depth, &mut slot)?;
                    }
                    continue 'value;
                }
            }
            first => {
                outline.clear(pending);
                at = match first {
                    b't' => literal(bytes, at, b"true")?,
                    b'f' => literal(bytes, at, b"false")?,
                    b'n' => literal(bytes, at, b"null")?,
                    _ => number(bytes, at)?,
                };
            }
        }
        // After a value: the end, a comma, or the containers it closes.
        loop {
            at = space(bytes, at);
            if depth == 0 {
                return (at == bytes.len()).then_some(outline);
            }
            let object = objects & (1 << depth) != 0;
            let byte = *bytes.get(at)?;
            // A comma is the most common: tested first.
            if byte == b',' {
                at = space(bytes, at + 1);
                if object {
                    at = key(bytes, at, depth, &mut slot)?;
                }
                continue 'value;
            }
            if byte != if object { b'}' } else { b']' } {
                return None;
            }
            at += 1;
            depth -= 1;
        }
    }
}

/// Which top-level field a value goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Event,
    Time,
    Other,
}

impl<'a> Outline<'a> {
    fn slot(&mut self, slot: Slot) -> &mut Option<&'a str> {
        match slot {
            Slot::Event => &mut self.event,
            _ => &mut self.time,
        }
    }

    /// A value that is not a string went to `slot`.
    fn clear(&mut self, slot: Slot) {
        if slot != Slot::Other {
            *self.slot(slot) = None;
        }
    }
}

/// Skips JSON whitespace from `at`. Compact JSON, as GamePush sends, has
/// none: the loop is out of line, so that the walk stays small.
#[inline(always)]
fn space(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at) {
        Some(&byte) if byte > b' ' => at,
        _ => spaces(bytes, at),
    }
}

/// Skips JSON whitespace from `at`, one byte at a time.
#[inline(never)]
fn spaces(bytes: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(at) {
        at += 1;
    }
    at
}

/// An object's key at `at`, its colon and the space after: where its value
/// starts. At the top level, notes whether the key is `event` or `time`.
#[inline(always)]
fn key(bytes: &[u8], at: usize, depth: usize, slot: &mut Slot) -> Option<usize> {
    if *bytes.get(at)? != b'"' {
        return None;
    }
    let (end, escaped) = string_end(bytes, at + 1)?;
    let key = &bytes[at + 1..end];
    // serde_json's private number key changes how it reads the object it
    // is in, at any depth, when arbitrary_precision is on (as it is in the
    // tool): left to serde_json wherever it is.
    if key.starts_with(b"$serde_json") {
        return None;
    }
    if depth == 1 {
        // An escaped key can only spell `event` or `time` through `\u`,
        // which string_end() leaves to serde_json.
        *slot = match key {
            b"event" if !escaped => Slot::Event,
            b"time" if !escaped => Slot::Time,
            _ => Slot::Other,
        };
    }
    let at = space(bytes, end + 1);
    if *bytes.get(at)? != b':' {
        return None;
    }
    Some(space(bytes, at + 1))
}

/// The closing quote of the string whose text starts at `at`, and whether
/// the string holds an escape. A `\u` escape or a control character is
/// left to serde_json.
#[inline(always)]
fn string_end(bytes: &[u8], mut at: usize) -> Option<(usize, bool)> {
    let mut escaped = false;
    loop {
        at = next_in_string(bytes, at)?;
        match bytes[at] {
            b'"' => return Some((at, escaped)),
            b'\\' => {
                match bytes.get(at + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                    _ => return None,
                }
                escaped = true;
                at += 2;
            }
            _ => return None,
        }
    }
}

/// The first byte from `at` that needs attention inside a string (a quote,
/// a backslash or a control character), if there is one: sixteen bytes
/// per SIMD compare (SSE2 on x86-64, NEON on aarch64).
#[inline(always)]
fn next_in_string(bytes: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let lane = match bytes.get(at..)?.first_chunk::<16>() {
            Some(lane) => u8x16::new(*lane),
            None => {
                // The last bytes, with quotes past the end, so that the
                // search stops there.
                let rest = &bytes[at..];
                let mut lane = [b'"'; 16];
                lane[..rest.len()].copy_from_slice(rest);
                u8x16::new(lane)
            }
        };
        let marks =
            (lane.simd_eq(b'"') | lane.simd_eq(b'\\') | lane.min(u8x16::splat(0x1f)).simd_eq(lane))
                .to_bitmask();
        if marks != 0 {
            let found = at + marks.trailing_zeros() as usize;
            return (found < bytes.len()).then_some(found);
        }
        at += 16;
    }
}

/// Where `word` (true, false, null) ends, if it is at `at`.
fn literal(bytes: &[u8], at: usize, word: &[u8]) -> Option<usize> {
    bytes
        .get(at..)?
        .starts_with(word)
        .then_some(at + word.len())
}

/// Where the number at `at` ends: RFC 8259's grammar up to an exponent,
/// and not too long for serde_json's range.
#[inline(always)]
fn number(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start;
    if bytes.get(at) == Some(&b'-') {
        at += 1;
    }
    match *bytes.get(at)? {
        b'0' => at += 1,
        b'1'..=b'9' => at = digits(bytes, at),
        _ => return None,
    }
    if bytes.get(at) == Some(&b'.') {
        let end = digits(bytes, at + 1);
        if end == at + 1 {
            return None;
        }
        at = end;
    }
    // An exponent is left where it stands: no value may continue with
    // `e`, so the walk refuses it and serde_json has the last word.
    (at - start <= MAX_DIGITS).then_some(at)
}

/// Where the run of digits from `at` ends.
fn digits(bytes: &[u8], mut at: usize) -> usize {
    while let Some(b'0'..=b'9') = bytes.get(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_kind_event_and_time() {
        let outline =
            outline(br#" {"a":[1,{"event":"no"}],"event":"Give","time":"T","x":null} "#).unwrap();
        assert_eq!(outline.kind, Kind::Object);
        assert_eq!(outline.event, Some("Give"));
        assert_eq!(outline.time, Some("T"));
        for (json, kind) in [
            (&b"[1, 2]"[..], Kind::Array),
            (b"true", Kind::Boolean),
            (b"-0.5", Kind::Number),
            (b"\"s\"", Kind::String),
            (b"null", Kind::Null),
        ] {
            assert_eq!(super::outline(json).unwrap().kind, kind);
        }
    }

    #[test]
    fn a_later_value_replaces_an_earlier_one() {
        let outline = outline(br#"{"event":"a","event":5,"time":"t","time":"u"}"#).unwrap();
        assert_eq!((outline.event, outline.time), (None, Some("u")));
    }

    #[test]
    fn what_it_cannot_be_sure_of_is_left_to_serde_json() {
        for json in [
            &br#"{"event":"\u0041"}"#[..],
            br#"{"event":"a\nb"}"#,
            br#"{"\u0065vent":"x"}"#,
            b"1e5",
            b"{\"a\":\"\x01\"}",
            br#"{"$serde_json::private::Number":"1"}"#,
            b"{\"a\":\"\xff\"}",
        ] {
            assert_eq!(outline(json), None, "{}", String::from_utf8_lossy(json));
        }
        let deep = format!("{}{}", "[".repeat(101), "]".repeat(101));
        assert_eq!(outline(deep.as_bytes()), None);
        let long = "9".repeat(301);
        assert_eq!(outline(long.as_bytes()), None);
    }

    #[test]
    fn errors_are_none() {
        for json in [
            &b""[..],
            b"{",
            b"{\"a\"}",
            b"{\"a\":1,}",
            b"[1,]",
            b"01",
            b"-",
            b"1.",
            b"tru",
            b"{} {}",
            b"\"open",
            br#"{"a":"\x"}"#,
        ] {
            assert_eq!(outline(json), None, "{}", String::from_utf8_lossy(json));
        }
    }

    #[test]
    fn strings_end_at_the_first_quote_that_is_not_escaped() {
        for (text, end) in [
            (&b"abcdefghij\"k"[..], Some((10, false))),
            (b"abc\\\"de\"", Some((7, true))),
            (b"abcdefgh\x1f\"", None),
            (b"\"", Some((0, false))),
            ("été \u{7f}x\"".as_bytes(), Some((8, false))),
            (b"abcdefgh", None),
            (b"abcdefghijklmnopqrstuvwxyz\"", Some((26, false))),
            // Around the sixteen bytes of one compare, and past the end.
            (b"abcdefghijklmnop\"", Some((16, false))),
            (b"abcdefghijklmno\\\"\"", Some((17, true))),
            (b"abcdefghijklmnop", None),
            (b"abcdefghijklmnopq\\", None),
        ] {
            assert_eq!(
                string_end(text, 0),
                end,
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }
}
