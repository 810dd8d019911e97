//! Signing: the other end of the wire, for testing a webhook handler with
//! bodies exactly like the ones GamePush sends.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::body::{MAX_BODY, trim, without_bom};
use crate::payload::kind_of;
use crate::{Digest, Error, Secret, SignatureEncoding};

/// JSON given to be signed: the text as given (without surrounding
/// whitespace) and what it parses to.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonInput<'a> {
    text: &'a [u8],
    json: Value,
}

impl<'a> JsonInput<'a> {
    /// Parses `input` as a JSON object, ignoring ASCII whitespace around it
    /// and a UTF-8 byte-order mark at the start.
    ///
    /// # Errors
    /// [`Error::InputNotJson`], with the line and column of the problem;
    /// [`Error::InputNotObject`] for JSON that is not an object, since a
    /// webhook payload always is; [`Error::TooLarge`] past [`MAX_BODY`].
    pub fn parse(input: &'a [u8]) -> Result<Self, Error> {
        if input.len() > MAX_BODY {
            return Err(Error::TooLarge { limit: MAX_BODY });
        }
        let text = trim(without_bom(input));
        let json: Value = serde_json::from_slice(text).map_err(Error::InputNotJson)?;
        if !json.is_object() {
            return Err(Error::InputNotObject(kind_of(&json)));
        }
        Ok(JsonInput { text, json })
    }

    /// The text exactly as given, less surrounding whitespace.
    pub fn verbatim(&self) -> &'a [u8] {
        self.text
    }

    /// The JSON on one line: the whitespace between tokens goes, and every
    /// token stays exactly as written (key order, number text, string
    /// escapes).
    pub fn compact(&self) -> Vec<u8> {
        compact_json(self.text)
    }

    /// The parsed JSON.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The parsed JSON, giving up the text.
    pub fn into_json(self) -> Value {
        self.json
    }
}

/// Drops the whitespace between the tokens of JSON text, keeping every
/// token as written.
///
/// The text must be valid JSON (as [`JsonInput::parse`] or
/// [`crate::scan`] check): there, the only whitespace outside strings
/// is insignificant, so this only needs to know where strings begin and end.
pub fn compact_json(json: &[u8]) -> Vec<u8> {
    let mut compact = Vec::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for &byte in json {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if matches!(byte, b' ' | b'\t' | b'\r' | b'\n') {
            continue;
        } else if byte == b'"' {
            in_string = true;
        }
        compact.push(byte);
    }
    compact
}

/// Signs payload bytes: returns `BASE64.SIGNATURE`, the payload in standard
/// padded base64 and the signature in `encoding`.
///
/// The bytes are signed as given; see [`JsonInput`] to check and compact
/// them first.
pub fn sign(payload: &[u8], secret: &Secret, encoding: SignatureEncoding) -> String {
    let mut body = STANDARD.encode(payload);
    let signature = Digest::of(body.as_bytes(), secret).encode(encoding);
    body.push('.');
    body.push_str(&signature);
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_like_sha256sum() {
        // printf '%s_%s' 'e30=' 'demo' | sha256sum
        assert_eq!(
            sign(b"{}", &Secret::from("demo"), SignatureEncoding::Hex),
            "e30=.06e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80"
        );
        // printf '%s_%s' 'e30=' 'demo' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            sign(b"{}", &Secret::from("demo"), SignatureEncoding::Base64),
            "e30=.BuCzmde4tC6TR0dhWsns8EMY+PKHT4GDuIaEdle2a4A="
        );
    }

    #[test]
    fn compacts_without_reordering_or_renumbering() {
        let input =
            JsonInput::parse(b"\n{ \"z\": 1.0,\n  \"a\": [1E3, 18446744073709551616] }\n").unwrap();
        assert_eq!(
            input.compact(),
            br#"{"z":1.0,"a":[1E3,18446744073709551616]}"#
        );
        assert_eq!(
            input.verbatim(),
            b"{ \"z\": 1.0,\n  \"a\": [1E3, 18446744073709551616] }"
        );
    }

    #[test]
    fn compacting_keeps_strings_and_their_escapes_whole() {
        let input =
            JsonInput::parse(br#"{ "a b" : "x \" y\\" , "\u00e9\t" : [ "\\", " " ] }"#).unwrap();
        assert_eq!(
            input.compact(),
            br#"{"a b":"x \" y\\","\u00e9\t":["\\"," "]}"#
        );
    }

    #[test]
    fn refuses_json_that_is_not_an_object() {
        let err = JsonInput::parse(b"[1, 2]").unwrap_err();
        assert_eq!(
            err.to_string(),
            "input is not a JSON object: a webhook payload is an object, this is an array"
        );
    }

    #[test]
    fn refuses_input_that_is_not_json() {
        let err = JsonInput::parse(b"{event: 1}").unwrap_err();
        assert_eq!(
            err.to_string(),
            "input is not JSON: key must be a string at line 1 column 2"
        );
    }
}
