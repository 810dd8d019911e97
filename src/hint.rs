//! When a body fails verification, the common mistake that explains it, if
//! one does. Every hint is a yes-or-no finding about the body and secrets
//! the user gave; none prints, or lets anyone work out, the signature a
//! body should carry.
//!
//! Some mistakes show in what a handler logged rather than in the body:
//! a Node.js Buffer printed by `console.log` or `JSON.stringify`, a body
//! inside the JSON of a request or a wrapper, or a body a form parser took
//! apart (express.urlencoded, PHP's `$_POST`, Flask's `request.form`).

use std::fmt::{self, Write as _};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use memchr::memmem;
use serde_json::Value;

use gpwh_webhooks::{Digest, Error, Secret, Verifier};

use crate::capture::{self, Body, Reading};
use crate::refusal::Refusal;

/// A likely cause of a failed verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Hint {
    /// The signature has whitespace or a line break inside.
    SignatureWrapped,
    /// The signature is in quotes.
    SignatureQuoted,
    /// The signature is hex, but fewer than 64 digits.
    SignatureTruncated,
    /// The signature is hex, but more than 64 digits.
    SignatureTooLong,
    /// The payload has whitespace or a line break inside.
    BodyWrapped,
    /// The whole body is in quotes.
    BodyQuoted,
    /// More than one `.`: bodies run together, or not a body.
    ManyDots,
    /// JSON where a body belongs.
    JsonNotBody,
    /// A secret matches once the whitespace around it is removed.
    SecretWhitespace,
    /// A secret matches once the quotes around it are removed.
    SecretQuoted,
    /// The signature was made over the decoded JSON, not the base64 text.
    SignedDecodedJson,
    /// The signature matches the payload written in the other base64
    /// alphabet, or with other padding: it was re-encoded after signing.
    ReEncodedPayload,
    /// A Node.js Buffer as `console.log` prints it: `<Buffer 65 79 4a ...>`.
    NodeBuffer,
    /// A Node.js Buffer as `JSON.stringify` writes it:
    /// `{"type":"Buffer","data":[101,121,74,...]}`.
    NodeBufferJson,
    /// A whole, well-formed body is a string inside this JSON (or object
    /// printed by JavaScript or Python), at the given key path.
    BodyInJson(KeyPath),
    /// A form parser or encoder changed the body: it split it at its first
    /// `=` into a key and a value, read a `+` as a space, percent-encoded it,
    /// or (PHP) turned spaces and dots in a key into `_`.
    FormMangled,
}

/// Where in pasted JSON a body was found, written as JavaScript reaches it:
/// `body`, `request.body`, `[0].body`, `["raw-body"]`. A long path keeps
/// its end, after `...`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct KeyPath {
    text: [u8; KeyPath::CAPACITY],
    len: u8,
}

impl KeyPath {
    const CAPACITY: usize = 80;

    fn new(path: &str) -> KeyPath {
        let mut text = [0; KeyPath::CAPACITY];
        let len = if path.len() <= KeyPath::CAPACITY {
            text[..path.len()].copy_from_slice(path.as_bytes());
            path.len()
        } else {
            let mut start = path.len() - (KeyPath::CAPACITY - 3);
            while !path.is_char_boundary(start) {
                start += 1;
            }
            let tail = &path.as_bytes()[start..];
            text[..3].copy_from_slice(b"...");
            text[3..3 + tail.len()].copy_from_slice(tail);
            3 + tail.len()
        };
        KeyPath {
            text,
            len: u8::try_from(len).expect("a key path fits its capacity, below 256"),
        }
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.text[..usize::from(self.len)])
            .expect("a key path is cut at a character boundary")
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Hint::BodyInJson(path) => {
                return write!(
                    f,
                    "the body is a string inside this JSON, at '{path}': pass that string's value alone"
                );
            }
            Hint::SignatureWrapped => {
                "the signature has whitespace or a line break inside: was the body wrapped when it was copied?"
            }
            Hint::SignatureQuoted => "the signature is in quotes: remove them",
            Hint::SignatureTruncated => "the signature has fewer than 64 hex digits: was the body cut short?",
            Hint::SignatureTooLong => {
                "the signature has more than 64 hex digits: is something stuck to the end of the body?"
            }
            Hint::BodyWrapped => {
                "the payload has whitespace or a line break inside: was the body wrapped when it was captured?"
            }
            Hint::BodyQuoted => "the body is in quotes: pass it without them",
            Hint::ManyDots => "the body has more than one '.': are two bodies run together?",
            Hint::JsonNotBody => {
                "this is JSON, not a body: a body is BASE64(JSON).SIGNATURE, as gpwh sign makes"
            }
            Hint::SecretWhitespace => {
                "a secret matches without the whitespace around it: check the secret file or variable"
            }
            Hint::SecretQuoted => "a secret matches without the quotes around it: store the key without quotes",
            Hint::SignedDecodedJson => {
                "the signature was made over the decoded JSON: it must be over the base64 text, BASE64 + \"_\" + SECRET"
            }
            Hint::ReEncodedPayload => {
                "the signature matches the payload in another base64 form: the body was re-encoded after it was signed"
            }
            Hint::NodeBuffer => {
                "this is a Node.js Buffer as console.log prints it, in hex and at most 50 bytes: log req.body.toString('utf8') instead"
            }
            Hint::NodeBufferJson => {
                "this is a Node.js Buffer as JSON.stringify writes it, a list of byte values: log req.body.toString('utf8') instead"
            }
            Hint::FormMangled => {
                "the body went through a form parser or encoder (express.urlencoded, bodyParser, PHP's $_POST, Flask's request.form): read the raw request body instead"
            }
        })
    }
}

/// The common mistake that explains why `input` failed to verify against
/// `secrets` with `refusal`, if one does. A body off the network is looked
/// at as it came: only one from a file is unwrapped first.
pub fn diagnose(
    input: &[u8],
    secrets: &[Secret],
    refusal: &Refusal,
    reading: Reading,
) -> Option<Hint> {
    let error = refusal.webhook()?;
    let body = match reading {
        Reading::Network => Body::split(input),
        Reading::File => Body::find(input).ok()?,
    };
    let logged_mistake = |input: &[u8]| logged_mistake(input, reading);
    match error {
        Error::SignatureFormat { .. } => {
            logged_mistake(input).or_else(|| body.signature_part().and_then(signature_mistake))
        }
        Error::Base64(_) => logged_mistake(input).or_else(|| payload_mistake(body.payload_part())),
        // JSON with no '.' in it: what `curl -d '{...}'` or a JSON client
        // sends when it was meant to send a body.
        Error::NoSignature => logged_mistake(input).or_else(|| {
            let part = body.payload_part();
            (matches!(part.first(), Some(b'{' | b'['))
                && serde_json::from_slice::<serde::de::IgnoredAny>(part).is_ok())
            .then_some(Hint::JsonNotBody)
        }),
        Error::EmptyPayload | Error::PayloadNotJson(_) | Error::PayloadNotObject(_) => {
            logged_mistake(input)
        }
        Error::SignatureMismatch { .. } => mismatch_mistake(&body, secrets),
        _ => None,
    }
}

fn payload_mistake(part: &[u8]) -> Option<Hint> {
    if matches!(part.first(), Some(b'{' | b'[')) {
        Some(Hint::JsonNotBody)
    } else if part.contains(&b'.') {
        Some(Hint::ManyDots)
    } else if part.iter().any(u8::is_ascii_whitespace) {
        Some(Hint::BodyWrapped)
    } else if matches!(part.first(), Some(b'"' | b'\'')) {
        Some(Hint::BodyQuoted)
    } else {
        None
    }
}

fn signature_mistake(signature: &[u8]) -> Option<Hint> {
    let quote = |b: Option<&u8>| matches!(b, Some(b'"' | b'\''));
    if quote(signature.first()) || quote(signature.last()) {
        return Some(Hint::SignatureQuoted);
    }
    if signature.iter().any(u8::is_ascii_whitespace) {
        return Some(Hint::SignatureWrapped);
    }
    if !signature.is_empty() && signature.iter().all(u8::is_ascii_hexdigit) {
        return Some(if signature.len() < 64 {
            Hint::SignatureTruncated
        } else {
            Hint::SignatureTooLong
        });
    }
    None
}

fn mismatch_mistake(body: &Body<'_>, secrets: &[Secret]) -> Option<Hint> {
    let signature = digest_in(body.signature_part()?)?;
    let part = body.payload_part();
    // In constant time, as gpwh-webhooks compares: listen diagnoses what
    // anyone sends it, against digests of the user's secrets.
    let matches = |text: &[u8], secrets: &[Secret]| {
        secrets.iter().fold(false, |found, secret| {
            found
                | bool::from(crate::fast::same_digest(
                    &signature,
                    Digest::of(text, secret).as_bytes(),
                ))
        })
    };

    let trimmed: Vec<Secret> = secrets
        .iter()
        .filter_map(|s| variant(s, |b| b.trim_ascii()))
        .collect();
    if matches(part, &trimmed) {
        return Some(Hint::SecretWhitespace);
    }
    let unquoted: Vec<Secret> = secrets
        .iter()
        .filter_map(|s| variant(s, |b| unquote(b.trim_ascii())))
        .collect();
    if matches(part, &unquoted) {
        return Some(Hint::SecretQuoted);
    }
    let decoded = Verifier::new([])
        .with_max_body(usize::MAX)
        .read_unverified(part)
        .ok()?
        .bytes()
        .to_vec();
    if matches(&decoded, secrets) {
        return Some(Hint::SignedDecodedJson);
    }
    let other_forms = [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD]
        .map(|engine| engine.encode(&decoded))
        .into_iter()
        .filter(|form| form.as_bytes() != part);
    for form in other_forms {
        if matches(form.as_bytes(), secrets) {
            return Some(Hint::ReEncodedPayload);
        }
    }
    None
}

/// The largest input searched for what a handler logged instead of a body.
const LOGGED_LIMIT: usize = 64 * 1024;

/// What a handler logged instead of the body it received, when `input` is
/// that: a Node.js Buffer, JSON holding the body, or a form parser's output.
/// `input` is known not to be a well-formed body (it failed for another
/// reason than its signature), so a body found in it is a finding.
fn logged_mistake(input: &[u8], reading: Reading) -> Option<Hint> {
    // Where capture.rs finds a file's body: no byte-order mark, no HTTP
    // capture. Off the network, the text as it came.
    let text = match reading {
        Reading::Network => input,
        Reading::File => {
            capture::unwrap_request(capture::without_bom(input).trim_ascii_start()).ok()?
        }
    }
    .trim_ascii();
    // What a handler logs of one delivery is a few kilobytes. The search
    // below copies and parses what it looks at, some tens of times the
    // input's size, so it looks only at what a log line could be: listen
    // runs it on every malformed body, and its memory is bounded.
    if text.len() > LOGGED_LIMIT {
        return None;
    }
    if is_node_buffer(text) {
        return Some(Hint::NodeBuffer);
    }
    if is_node_buffer_json(text) {
        return Some(Hint::NodeBufferJson);
    }
    let strings = strings_in(text);
    if let Some(found) = strings
        .iter()
        .find(|s| !s.path.as_str().is_empty() && is_body(&s.value))
    {
        return Some(Hint::BodyInJson(found.path));
    }
    let form_parsed = strings.iter().flat_map(Found::before_form_parsing);
    let form_encoded = form_fields(text).into_iter().flat_map(|(key, value)| {
        let mut texts = vec![key.clone()];
        if let Some(value) = value {
            texts.push([&key[..], b"=", &value].concat());
            texts.push(value);
        }
        texts
    });
    form_parsed
        .chain(form_encoded)
        .any(|text| unmangled(&text).iter().any(|text| is_body(text)))
        .then_some(Hint::FormMangled)
}

/// Whether `text` is a whole, well-formed body: base64 JSON object, a dot,
/// a SHA-256 digest. Whose signature it is does not matter.
fn is_body(text: &[u8]) -> bool {
    // The shortest: "e30=" (`{}`), a dot, a 43-character base64 digest.
    text.len() >= 48
        && Verifier::new([])
            .verify(text)
            .is_err_and(|error| error.is_mismatch())
}

/// Whether `text` holds a Buffer as Node.js's `console.log` (util.inspect)
/// prints it: `<Buffer 65 79 4a ... 123 more bytes>`, alone or inside an
/// object.
fn is_node_buffer(text: &[u8]) -> bool {
    memmem::find_iter(text, b"<Buffer ").any(|at| {
        let rest = &text[at + b"<Buffer ".len()..];
        rest.get(..2)
            .is_some_and(|pair| pair.iter().all(u8::is_ascii_hexdigit))
    })
}

/// Whether `text` holds a Buffer as `JSON.stringify` (Buffer's `toJSON`)
/// writes it, `{"type":"Buffer","data":[...]}`, or util.inspect prints that,
/// `{ type: 'Buffer', data: [ ... ] }`: compact or indented, whole or cut.
fn is_node_buffer_json(text: &[u8]) -> bool {
    let compact: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    [
        &br#"{"type":"Buffer","data":["#[..],
        b"{type:'Buffer',data:[",
    ]
    .iter()
    .any(|shape| memmem::find(&compact, shape).is_some())
}

/// A string in pasted text, where a body may be.
struct Found {
    /// The key path it is the value of, written as JavaScript reaches it,
    /// or empty when it is not a value under a key: its end, as a hint
    /// shows it, so that a deep or long path costs nothing per string.
    path: KeyPath,
    /// The string just before it as a form's key: the JSON member's name,
    /// the key written before it, or the string printed before it.
    key: Option<Vec<u8>>,
    /// The string itself, its escapes undone.
    value: Vec<u8>,
}

impl Found {
    /// What the body may have been before a form parser made this string
    /// and its key of it. Parsing `BASE64==.SIG`, every form parser splits
    /// at the first `=`: the key is the payload, the value `=.SIG`, or
    /// `.SIG` with one `=` of padding; without padding, the whole body is
    /// the key and the value is empty.
    fn before_form_parsing(&self) -> Vec<Vec<u8>> {
        let mut texts = Vec::new();
        if let Some(key) = &self.key {
            if self.value.is_empty() {
                texts.push(key.clone());
            } else if matches!(self.value.first(), Some(b'=' | b'.')) {
                texts.push([&key[..], b"=", &self.value].concat());
            }
        }
        // A body sent as a form field, its `+` read as spaces.
        if self.value.contains(&b' ') {
            texts.push(self.value.clone());
        }
        texts
    }
}

/// The strings in `text`: from its JSON when it is JSON, else as quoted in
/// what JavaScript's util.inspect, Python's repr and PHP's var_dump print,
/// and as PHP's print_r lists them.
fn strings_in(text: &[u8]) -> Vec<Found> {
    let mut found = Vec::new();
    if matches!(text.first(), Some(b'{' | b'[' | b'"'))
        && let Ok(json) = serde_json::from_slice::<Value>(text)
    {
        json_strings(&json, "", None, 0, &mut found);
        return found;
    }
    quoted_strings(text, &mut found);
    print_r_strings(text, &mut found);
    found
}

/// Every string in `json`, with where it is. A string that is itself JSON
/// (a body logged as JSON, then logged again) is looked into, twice at most.
fn json_strings(json: &Value, path: &str, key: Option<&str>, nested: u8, found: &mut Vec<Found>) {
    match json {
        Value::String(text) => {
            if nested < 2
                && matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['))
                && let Ok(inner) = serde_json::from_str::<Value>(text)
            {
                return json_strings(&inner, path, None, nested + 1, found);
            }
            found.push(Found {
                path: KeyPath::new(path),
                key: key.map(|key| key.as_bytes().to_vec()),
                value: text.as_bytes().to_vec(),
            });
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                json_strings(
                    item,
                    &bounded(format!("{path}[{index}]")),
                    None,
                    nested,
                    found,
                );
            }
        }
        Value::Object(members) => {
            for (name, member) in members {
                json_strings(
                    member,
                    &bounded(key_path(path, name)),
                    Some(name),
                    nested,
                    found,
                );
            }
        }
        _ => {}
    }
}

/// `path` less what a [`KeyPath`] would drop: its end, twice as long as
/// one keeps. Every string under a path is given it, so a path as long as
/// the input (a key of 30,000 characters over 20,000 strings) must not be
/// copied whole for each.
fn bounded(mut path: String) -> String {
    let keep = 2 * KeyPath::CAPACITY;
    if path.len() > keep {
        let mut start = path.len() - keep;
        while !path.is_char_boundary(start) {
            start += 1;
        }
        path.replace_range(..start, "...");
    }
    path
}

/// `path` followed by `key`, as JavaScript reaches it: `.key`, or
/// `["key"]` when the key is not a plain name.
fn key_path(path: &str, key: &str) -> String {
    let plain = key.starts_with(|c: char| !c.is_ascii_digit())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    let mut path = path.to_owned();
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        write!(path, "[\"{}\"]", key.escape_debug()).expect("writing to a String cannot fail");
    }
    path
}

/// The quoted strings in `text`, single or double quotes, with the key
/// written before each (`'key': ` or `key: `), if there is one.
fn quoted_strings(text: &[u8], found: &mut Vec<Found>) {
    // Where the last string ended, and what it said.
    let mut last: Option<(usize, Vec<u8>)> = None;
    let mut at = 0;
    while let Some(offset) = text[at..].iter().position(|b| matches!(b, b'"' | b'\'')) {
        let start = at + offset;
        let Some((value, end)) = unquote_at(text, start) else {
            return;
        };
        let written = written_key(&text[..start], last.as_ref());
        found.push(Found {
            path: KeyPath::new(&written.as_deref().map_or_else(String::new, |key| {
                key_path("", &String::from_utf8_lossy(key))
            })),
            key: written.or_else(|| last.as_ref().map(|(_, value)| value.clone())),
            value: value.clone(),
        });
        last = Some((end, value));
        at = end;
    }
}

/// The string quoted at `text[start]`, its escapes undone, and where it
/// ends; `None` when it does not end.
fn unquote_at(text: &[u8], start: usize) -> Option<(Vec<u8>, usize)> {
    let quote = text[start];
    let mut value = Vec::new();
    let mut bytes = text.iter().enumerate().skip(start + 1);
    while let Some((at, &byte)) = bytes.next() {
        match byte {
            b'\\' => {
                let (_, &escaped) = bytes.next()?;
                match escaped {
                    b'n' => value.push(b'\n'),
                    b't' => value.push(b'\t'),
                    b'r' => value.push(b'\r'),
                    b'"' | b'\'' | b'\\' | b'/' => value.push(escaped),
                    other => value.extend([b'\\', other]),
                }
            }
            _ if byte == quote => return Some((value, at + 1)),
            _ => value.push(byte),
        }
    }
    None
}

/// The key written just before a string that starts where `before` ends:
/// `"key": `, `'key': `, `key: ` or `["key"]=> `; `last` is the string
/// before, and where it ended.
fn written_key(before: &[u8], last: Option<&(usize, Vec<u8>)>) -> Option<Vec<u8>> {
    // Python writes bytes as b'...'.
    let before = before.strip_suffix(b"b").unwrap_or(before).trim_ascii_end();
    let before = before
        .strip_suffix(b":")
        .or_else(|| before.strip_suffix(b"=>"))?
        .trim_ascii_end();
    let before = before.strip_suffix(b"]").unwrap_or(before);
    if let Some((end, value)) = last
        && *end == before.len()
    {
        return Some(value.clone());
    }
    let name = before
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$'))
        .count();
    (name > 0).then(|| before[before.len() - name..].to_vec())
}

/// The entries of PHP's print_r, one a line: `[key] => value`.
fn print_r_strings(text: &[u8], found: &mut Vec<Found>) {
    for line in text.split(|&b| b == b'\n') {
        let line = line.trim_ascii();
        if let Some(entry) = line.strip_prefix(b"[")
            && let Some(arrow) = memmem::find(entry, b"] =>")
        {
            let key = &entry[..arrow];
            found.push(Found {
                path: KeyPath::new(&key_path("", &String::from_utf8_lossy(key))),
                key: Some(key.to_vec()),
                value: entry[arrow + b"] =>".len()..].trim_ascii().to_vec(),
            });
        }
    }
}

/// `text` read as an `application/x-www-form-urlencoded` form: each field's
/// key, and its value when it has an `=`, percent-decoded, `+` a space.
fn form_fields(text: &[u8]) -> Vec<(Vec<u8>, Option<Vec<u8>>)> {
    text.split(|&b| b == b'&')
        .map(|field| match field.iter().position(|&b| b == b'=') {
            Some(equals) => (
                percent_decoded(&field[..equals]),
                Some(percent_decoded(&field[equals + 1..])),
            ),
            None => (percent_decoded(field), None),
        })
        .collect()
}

/// `text` with `%XX` decoded and `+` read as a space, as form parsers do;
/// a `%` without two hex digits after it stays as it is.
fn percent_decoded(text: &[u8]) -> Vec<u8> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut decoded = Vec::with_capacity(text.len());
    let mut at = 0;
    while let Some(&byte) = text.get(at) {
        let escape = (byte == b'%')
            .then(|| Some((hex(*text.get(at + 1)?)?, hex(*text.get(at + 2)?)?)))
            .flatten();
        match (byte, escape) {
            (_, Some((high, low))) => {
                decoded.push(u8::try_from(high * 16 + low).expect("two hex digits make a byte"));
                at += 3;
            }
            (b'+', None) => {
                decoded.push(b' ');
                at += 1;
            }
            (_, None) => {
                decoded.push(byte);
                at += 1;
            }
        }
    }
    decoded
}

/// `text` as it may have been before a form parser: each space put back as
/// the `+` it read; and, for PHP, whose `$_POST` keys have `_` for spaces
/// and dots, each `_` as a `+` but the last, the body's dot when there is
/// none.
fn unmangled(text: &[u8]) -> Vec<Vec<u8>> {
    let plus: Vec<u8> = text
        .iter()
        .map(|&b| if b == b' ' { b'+' } else { b })
        .collect();
    let mut texts = vec![plus.clone()];
    if let Some(last) = plus.iter().rposition(|&b| b == b'_') {
        let mut php: Vec<u8> = plus
            .iter()
            .map(|&b| if b == b'_' { b'+' } else { b })
            .collect();
        if !plus.contains(&b'.') {
            php[last] = b'.';
            let mut dotted = plus.clone();
            dotted[last] = b'.';
            texts.push(dotted);
        }
        texts.push(php);
    }
    texts
}

/// The secret changed by `change`, if that changes it.
fn variant(secret: &Secret, change: impl Fn(&[u8]) -> &[u8]) -> Option<Secret> {
    let changed = change(secret.expose_secret());
    (changed != secret.expose_secret() && !changed.is_empty()).then(|| Secret::new(changed))
}

fn unquote(bytes: &[u8]) -> &[u8] {
    for quote in [b'"', b'\''] {
        if bytes.len() >= 2 && bytes[0] == quote && bytes[bytes.len() - 1] == quote {
            return &bytes[1..bytes.len() - 1];
        }
    }
    bytes
}

/// The 32 bytes a signature part carries, in any form gpwh-webhooks reads:
/// hex in either case, base64 in either alphabet, padded or not.
fn digest_in(part: &[u8]) -> Option<[u8; 32]> {
    let mut digest = [0u8; 32];
    if hex::decode_to_slice(part, &mut digest).is_ok() {
        return Some(digest);
    }
    let engine = if part.iter().any(|&b| b == b'-' || b == b'_') {
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
    } else {
        &base64::engine::general_purpose::STANDARD_NO_PAD
    };
    let unpadded = part.strip_suffix(b"=").unwrap_or(part);
    match engine.decode_slice(unpadded, &mut digest) {
        Ok(32) => Some(digest),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use gpwh_webhooks::{SignatureEncoding, sign};

    use super::*;

    /// A body off the network is looked at as it came: a capture in it is
    /// not unwrapped to find a mistake inside, as it is for a file.
    #[test]
    fn a_capture_off_the_network_is_not_unwrapped_for_a_hint() {
        let body = signed("{}");
        let (part, signature) = body.rsplit_once('.').unwrap();
        let captured = format!("POST /h HTTP/1.1\r\nHost: x\r\n\r\n{part}.\"{signature}\"");
        let secrets = [Secret::from("demo")];
        let from_file = verify(captured.as_bytes(), &secrets).unwrap_err();
        assert_eq!(
            diagnose(captured.as_bytes(), &secrets, &from_file, Reading::File),
            Some(Hint::SignatureQuoted)
        );
        let off_network: Refusal = Verifier::new(secrets.to_vec())
            .verify(captured.as_bytes())
            .unwrap_err()
            .into();
        assert_ne!(
            diagnose(
                captured.as_bytes(),
                &secrets,
                &off_network,
                Reading::Network
            ),
            Some(Hint::SignatureQuoted)
        );
    }

    /// listen diagnoses every refused body: a key as long as the body over
    /// thousands of strings must not be copied for each (it took 357 MB
    /// for 64 KiB), only the end a hint shows.
    #[test]
    fn a_long_key_over_many_strings_is_not_copied_for_each() {
        let key = "a".repeat(30_000);
        let path = bounded(key_path("", &key));
        assert!(path.len() <= 2 * KeyPath::CAPACITY + 3, "{}", path.len());
        assert!(path.starts_with("...") && path.ends_with("aaa"));
        let long = format!("{}[{}]", "x".repeat(500), 7);
        assert!(bounded(long.clone()).ends_with(&long[long.len() - 100..]));
        assert_eq!(bounded("short.path".to_owned()), "short.path");
        let input = format!(r#"{{"{key}":[{}""]}}"#, r#""","#.repeat(10_000));
        let secrets = [Secret::from("k")];
        let refused = verify(input.as_bytes(), &secrets).unwrap_err();
        assert_eq!(
            diagnose(input.as_bytes(), &secrets, &refused, Reading::File),
            Some(Hint::JsonNotBody)
        );
    }

    /// The verdict on a body from a file, as `verdict.rs` gives it.
    fn verify(input: &[u8], secrets: &[Secret]) -> Result<gpwh_webhooks::Webhook, Refusal> {
        let body = capture::body_of(input)?;
        Ok(Verifier::new(secrets.to_vec())
            .with_max_body(crate::size::MAX_BODY)
            .verify(body)?)
    }

    fn hint(input: &[u8], secret: &str) -> Option<Hint> {
        let secrets = [Secret::from(secret)];
        let error = verify(input, &secrets).unwrap_err();
        diagnose(input, &secrets, &error, Reading::File)
    }

    fn signed(json: &str) -> String {
        sign(
            json.as_bytes(),
            &Secret::from("demo"),
            SignatureEncoding::Hex,
        )
    }

    #[test]
    fn finds_a_mangled_signature() {
        let body = signed("{}");
        let (payload, signature) = body.rsplit_once('.').unwrap();
        assert_eq!(
            hint(format!("{payload}.\"{signature}\"").as_bytes(), "demo"),
            Some(Hint::SignatureQuoted)
        );
        assert_eq!(
            hint(
                format!("{payload}.{}\n{}", &signature[..30], &signature[30..]).as_bytes(),
                "demo"
            ),
            Some(Hint::SignatureWrapped)
        );
        assert_eq!(
            hint(format!("{payload}.{}", &signature[..60]).as_bytes(), "demo"),
            Some(Hint::SignatureTruncated)
        );
        assert_eq!(
            hint(format!("{payload}.{signature}00").as_bytes(), "demo"),
            Some(Hint::SignatureTooLong)
        );
    }

    #[test]
    fn finds_a_mangled_body() {
        let body = signed(r#"{"event":"GivePlayerReward","player":{"id":1820283}}"#);
        let wrapped = format!("{}\n{}", &body[..20], &body[20..]);
        assert_eq!(hint(wrapped.as_bytes(), "demo"), Some(Hint::BodyWrapped));
        assert_eq!(
            hint(format!("\"{body}\"").as_bytes(), "demo"),
            Some(Hint::BodyQuoted)
        );
        let twice = format!("{body}{body}");
        assert_eq!(hint(twice.as_bytes(), "demo"), Some(Hint::ManyDots));
        assert_eq!(
            hint(br#"{"event":"x","time":"2024-04-26T11:34:23.4Z"}"#, "demo"),
            Some(Hint::JsonNotBody)
        );
    }

    #[test]
    fn finds_a_decorated_secret() {
        let body = signed("{}");
        assert_eq!(
            hint(body.as_bytes(), "demo\n"),
            Some(Hint::SecretWhitespace)
        );
        assert_eq!(
            hint(body.as_bytes(), " demo "),
            Some(Hint::SecretWhitespace)
        );
        assert_eq!(hint(body.as_bytes(), "\"demo\""), Some(Hint::SecretQuoted));
        assert_eq!(hint(body.as_bytes(), "'demo'\n"), Some(Hint::SecretQuoted));
        assert_eq!(hint(body.as_bytes(), "other"), None);
    }

    #[test]
    fn finds_a_signature_over_the_decoded_json() {
        // printf '%s_%s' '{}' demo | sha256sum
        let body = "e30=.af2f03c322b113d0449c160f8737744121b5c58ba8a485fd89ab1e8fca59281f";
        assert_eq!(hint(body.as_bytes(), "demo"), Some(Hint::SignedDecodedJson));
    }

    #[test]
    fn finds_a_payload_re_encoded_after_signing() {
        // "~?~" encodes with '/' in standard base64: sign that, then send the
        // URL-safe form, as a proxy that "normalises" base64 would.
        let body = signed(r#"{"a":"~?~~"}"#);
        let (payload, signature) = body.rsplit_once('.').unwrap();
        assert!(payload.contains('+') || payload.contains('/'), "{payload}");
        let url_safe = payload.replace('+', "-").replace('/', "_").replace('=', "");
        assert_eq!(
            hint(format!("{url_safe}.{signature}").as_bytes(), "demo"),
            Some(Hint::ReEncodedPayload)
        );
    }

    /// Signed with "demo": payloads with `+` and `/`, which form parsers
    /// mangle, ending in `==`, `=` and no padding.
    fn form_unsafe_bodies() -> [String; 3] {
        let bodies = [
            signed(r#"{"event":"GivePlayerReward","x":"~~~~~?~~"}"#),
            signed(r#"{"event":"GivePlayerReward","x":"~~~~~?"}"#),
            signed(r#"{"event":"GivePlayerReward","x":"~~~~~?~"}"#),
        ];
        for (body, padding) in bodies.iter().zip([2, 1, 0]) {
            let (payload, _) = body.rsplit_once('.').unwrap();
            assert!(payload.contains('+') && payload.contains('/'), "{payload}");
            assert_eq!(payload.len() - payload.trim_end_matches('=').len(), padding);
        }
        bodies
    }

    /// `body` as `console.log` prints it in a Buffer: its first 50 bytes.
    fn inspected_buffer(body: &str) -> String {
        let hex: Vec<String> = body.bytes().take(50).map(|b| format!("{b:02x}")).collect();
        format!(
            "<Buffer {} ... {} more bytes>",
            hex.join(" "),
            body.len() - 50
        )
    }

    /// `body` as a form parser reads it: split at the first `=` into a key
    /// and a value, each `+` a space.
    fn form_parsed(body: &str) -> (String, String) {
        let (key, value) = body.split_once('=').unwrap_or((body, ""));
        (key.replace('+', " "), value.replace('+', " "))
    }

    /// `text` as JavaScript's encodeURIComponent writes it.
    fn percent_encoded(text: &str) -> String {
        text.replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
    }

    #[test]
    fn finds_a_node_buffer_printed_by_console_log() {
        let body = signed(r#"{"event":"GivePlayerReward","player":{"id":1820283}}"#);
        let printed = inspected_buffer(&body);
        assert_eq!(hint(printed.as_bytes(), "demo"), Some(Hint::NodeBuffer));
        let in_object = format!("{{\n  body: {printed}\n}}");
        assert_eq!(hint(in_object.as_bytes(), "demo"), Some(Hint::NodeBuffer));
        // The same bytes in hex, not as Node.js prints a Buffer.
        let hex: Vec<String> = body.bytes().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hint(hex.join(" ").as_bytes(), "demo"), None);
        assert_eq!(
            hint(b"<Buffered 65 79>.00", "demo"),
            Some(Hint::BodyWrapped)
        );
    }

    #[test]
    fn finds_a_node_buffer_written_by_json_stringify() {
        let body = signed(r#"{"event":"GivePlayerReward","player":{"id":1820283}}"#);
        let data: Vec<String> = body.bytes().map(|b| b.to_string()).collect();
        let data = data.join(",");
        for written in [
            format!(r#"{{"type":"Buffer","data":[{data}]}}"#),
            format!(
                "{{\n  \"body\": {{\n    \"type\": \"Buffer\",\n    \"data\": [\n      {}\n    ]\n  }}\n}}",
                data.replace(',', ",\n      ")
            ),
            // util.inspect(buf.toJSON()), which shows the first 100 bytes.
            format!(
                "{{\n  type: 'Buffer',\n  data: [\n    {} ... 9 more items\n  ]\n}}",
                data
            ),
        ] {
            assert_eq!(
                hint(written.as_bytes(), "demo"),
                Some(Hint::NodeBufferJson),
                "{written}"
            );
        }
        assert_eq!(
            hint(
                br#"{"type":"Buffer","size":121,"at":"11:34:23.4Z"}"#,
                "demo"
            ),
            Some(Hint::JsonNotBody)
        );
    }

    #[test]
    fn json_without_a_dot_is_json_not_a_body() {
        for json in [&b"{\"event\":\"GivePlayerReward\"}\n"[..], b"[1, 2]"] {
            assert_eq!(
                diagnose(
                    json,
                    &[Secret::from("k")],
                    &Error::NoSignature.into(),
                    Reading::File
                ),
                Some(Hint::JsonNotBody)
            );
        }
        for other in [&b"eyJhIjoxfQ"[..], b"{", b"[Object: null prototype] {"] {
            assert_eq!(
                diagnose(
                    other,
                    &[Secret::from("k")],
                    &Error::NoSignature.into(),
                    Reading::File
                ),
                None
            );
        }
    }

    #[test]
    fn looks_for_a_logged_body_only_in_what_a_log_line_could_be() {
        let body = signed(r#"{"event":"GivePlayerReward"}"#);
        let within = format!(r#"{{"pad":"{}","body":"{body}"}}"#, "x".repeat(60_000));
        assert!(logged_mistake(within.as_bytes(), Reading::File).is_some());
        let past = format!(
            r#"{{"pad":"{}","body":"{body}"}}"#,
            "x".repeat(LOGGED_LIMIT)
        );
        assert_eq!(logged_mistake(past.as_bytes(), Reading::File), None);
    }

    #[test]
    fn finds_a_body_inside_json() {
        let body = signed(r#"{"event":"GivePlayerReward","player":{"id":1820283}}"#);
        let at = |path: &str| Some(Hint::BodyInJson(KeyPath::new(path)));
        for (json, path) in [
            (format!(r#"{{"body":"{body}"}}"#), "body"),
            (
                format!(
                    r#"{{"version":"2.0","headers":{{"content-type":"text/plain"}},"body":"{body}","isBase64Encoded":false}}"#
                ),
                "body",
            ),
            (
                format!(r#"[{{"request":{{"body":"{body}"}}}}]"#),
                "[0].request.body",
            ),
            (format!(r#"{{"raw-body":"{body}"}}"#), r#"["raw-body"]"#),
            // A pino line whose message is JSON written as a string.
            (
                format!(r#"{{"level":30,"msg":"{{\"body\":\"{body}\"}}"}}"#),
                "msg.body",
            ),
            // util.inspect and Python's repr.
            (format!("{{\n  body: '{body}'\n}}"), "body"),
            (format!("{{'body': b'{body}'}}"), "body"),
        ] {
            assert_eq!(hint(json.as_bytes(), "demo"), at(path), "{json}");
        }
        let hint = at("request.body").unwrap();
        assert_eq!(
            hint.to_string(),
            "the body is a string inside this JSON, at 'request.body': pass that string's value alone"
        );
    }

    #[test]
    fn a_body_cut_short_or_only_quoted_is_not_inside_json() {
        let body = signed(r#"{"event":"GivePlayerReward","player":{"id":1820283}}"#);
        let cut = &body[..body.len() - 1];
        assert_eq!(
            hint(format!(r#"{{"body":"{cut}"}}"#).as_bytes(), "demo"),
            Some(Hint::JsonNotBody)
        );
        assert_eq!(
            hint(format!("\"{body}\"").as_bytes(), "demo"),
            Some(Hint::BodyQuoted)
        );
        assert_eq!(
            hint(format!("'{body}'").as_bytes(), "demo"),
            Some(Hint::BodyQuoted)
        );
    }

    #[test]
    fn a_long_key_path_keeps_its_end() {
        let path = format!("{}body", "ключ.".repeat(40));
        let kept = KeyPath::new(&path);
        assert!(kept.as_str().starts_with("..."), "{kept}");
        assert!(kept.as_str().ends_with("ключ.body"), "{kept}");
        assert!(kept.as_str().len() <= 80, "{kept}");
        assert_eq!(KeyPath::new("a.body").to_string(), "a.body");
    }

    #[test]
    fn finds_a_body_a_form_parser_took_apart() {
        for body in form_unsafe_bodies() {
            let (key, value) = form_parsed(&body);
            let php_key = key.replace([' ', '.'], "_");
            for pasted in [
                // JSON.stringify(req.body) after express.urlencoded.
                format!(r#"{{"{key}":"{value}"}}"#),
                // console.log(req.body).
                format!("[Object: null prototype] {{\n  '{key}': '{value}'\n}}"),
                // One line of that, as verify --lines reads it.
                format!("  '{key}': '{value}'"),
                // Flask's request.form, Django's request.POST.
                format!("ImmutableMultiDict([('{key}', '{value}')])"),
                format!("<QueryDict: {{'{key}': ['{value}']}}>"),
                // PHP's print_r($_POST), var_dump($_POST), json_encode($_POST).
                format!("Array\n(\n    [{php_key}] => {value}\n)\n"),
                format!(
                    "array(1) {{\n  [\"{php_key}\"]=>\n  string({}) \"{value}\"\n}}",
                    value.len()
                ),
                format!(r#"{{"{}":"{value}"}}"#, php_key.replace('/', r"\/")),
                // The body sent as a form field, or percent-encoded.
                format!("body={}", percent_encoded(&body)),
                percent_encoded(&body),
                body.replace('+', " "),
            ] {
                assert_eq!(
                    hint(pasted.as_bytes(), "demo"),
                    Some(Hint::FormMangled),
                    "{pasted}"
                );
            }
        }
    }

    #[test]
    fn a_form_of_a_body_cut_short_is_not_form_mangled() {
        for body in form_unsafe_bodies() {
            let (key, value) = form_parsed(&body[..body.len() - 1]);
            assert_eq!(
                hint(format!(r#"{{"{key}":"{value}"}}"#).as_bytes(), "demo"),
                Some(Hint::JsonNotBody)
            );
            let cut = percent_encoded(&body[..body.len() - 1]);
            assert_eq!(hint(format!("body={cut}").as_bytes(), "demo"), None);
        }
    }

    #[test]
    fn says_nothing_when_nothing_fits() {
        let body = signed("{}");
        let (payload, _) = body.rsplit_once('.').unwrap();
        assert_eq!(
            hint(format!("{payload}.{}", "0".repeat(64)).as_bytes(), "demo"),
            None
        );
    }
}
