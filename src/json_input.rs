//! JSON given to sign, send or the inspector's forge: checked to be an
//! object, and compacted without touching a token (key order, number text,
//! escapes), so that the bytes signed are the bytes the user wrote.

use serde_json::Value;

use crate::capture::{trim, without_bom};
use crate::size::MAX_BODY;

/// Why JSON given to be signed is refused.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// Not JSON at all.
    #[error("input is not JSON: {0}")]
    NotJson(serde_json::Error),
    /// JSON, but not an object.
    #[error("input is not a JSON object: a webhook payload is an object, this is {0}")]
    NotObject(&'static str),
    /// Past the tool's limit for one body.
    #[error("{}", crate::size::too_large("body", MAX_BODY))]
    TooLarge,
}

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
    /// [`InputError::NotJson`], with the line and column of the problem;
    /// [`InputError::NotObject`] for JSON that is not an object, since a
    /// webhook payload always is; [`InputError::TooLarge`] past [`MAX_BODY`].
    pub fn parse(input: &'a [u8]) -> Result<Self, InputError> {
        if input.len() > MAX_BODY {
            return Err(InputError::TooLarge);
        }
        let text = trim(without_bom(input));
        let json: Value = serde_json::from_slice(text).map_err(InputError::NotJson)?;
        if !json.is_object() {
            return Err(InputError::NotObject(kind_of(&json)));
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

/// What a JSON value is, with its article: "an array", "null".
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
