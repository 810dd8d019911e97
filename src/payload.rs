//! The payload: what a body says. Decoding is forgiving about the base64
//! flavour, because the vendor does not document one, and exact about
//! everything else: the decoded bytes are kept as they were, and the JSON
//! keeps its key order and the text of its numbers.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT};
use serde_json::Value;

use crate::Error;
use crate::error::Base64Problem;

/// A decoded webhook payload: the exact bytes and their JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    bytes: Vec<u8>,
    json: Value,
}

impl Payload {
    /// Parses decoded payload bytes as JSON.
    ///
    /// Any JSON value is accepted here; webhook payloads are objects.
    ///
    /// # Errors
    /// [`Error::PayloadNotJson`], with the line and column of the problem.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, Error> {
        let json = serde_json::from_slice(&bytes).map_err(Error::PayloadNotJson)?;
        Ok(Payload { bytes, json })
    }

    /// The decoded bytes, exactly as they were encoded.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The payload as JSON, in its original key order, numbers as written.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The payload's `event` field, when it is a string.
    ///
    /// Any name is returned, listed in [`crate::EVENTS`] or not: the vendor
    /// adds operations.
    pub fn event(&self) -> Option<&str> {
        self.json.get("event").and_then(Value::as_str)
    }

    /// The JSON, giving up the bytes.
    pub fn into_json(self) -> Value {
        self.json
    }
}

/// Decodes a payload part in either base64 alphabet, padded or not.
pub(crate) fn decode_base64(part: &[u8]) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    decode_base64_into(part, &mut bytes)?;
    Ok(bytes)
}

/// Decodes a payload part into `buffer`, replacing what it held.
///
/// The alphabet is read off the text: `-` or `_` mean URL-safe, `+` or `/`
/// standard (text with neither decodes the same in both), and text with
/// both is refused.
pub(crate) fn decode_base64_into(part: &[u8], buffer: &mut Vec<u8>) -> Result<(), Error> {
    if part.is_empty() {
        return Err(Error::EmptyPayload);
    }
    buffer.clear();
    // Standard first, without looking: it is what GamePush sends, and
    // scanning for the alphabet would cost as much as decoding.
    let error = match STANDARD_PAD_INDIFFERENT.decode_vec(part, buffer) {
        Ok(()) => return Ok(()),
        Err(error) => error,
    };
    buffer.clear();
    match alphabet_of(part)? {
        Alphabet::Standard => Err(Error::Base64(problem_of(error))),
        Alphabet::UrlSafe => URL_SAFE_PAD_INDIFFERENT
            .decode_vec(part, buffer)
            .map_err(|e| Error::Base64(problem_of(e))),
    }
}

/// Checks that `bytes` are one JSON value and returns its `event` field
/// when it is an object with a string there, without building the JSON:
/// the cheap check for reading many payloads.
///
/// Accepts exactly what [`Payload::from_bytes`] accepts; a repeated
/// `event` key counts as its last value, as it does there.
///
/// # Errors
/// [`Error::PayloadNotJson`], with the line and column of the problem.
pub fn scan_event(bytes: &[u8]) -> Result<Option<String>, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let event = serde::Deserializer::deserialize_any(&mut deserializer, scan::Top)
        .and_then(|event| deserializer.end().map(|()| event))
        .map_err(Error::PayloadNotJson)?;
    Ok(event)
}

/// serde visitors that walk a payload, keeping only its `event`.
mod scan {
    use std::fmt;

    use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};

    /// The top-level value: an object's `event`, or nothing for any other
    /// value.
    pub(super) struct Top;

    impl<'de> Visitor<'de> for Top {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut event = None;
            while let Some(key) = map.next_key::<Key>()? {
                if key.0 {
                    event = map.next_value::<EventValue>()?.0;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(event)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            IgnoredAny.visit_seq(seq).map(|_| None)
        }

        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    /// Whether an object key is `event`.
    struct Key(bool);

    impl<'de> de::Deserialize<'de> for Key {
        fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct KeyVisitor;
            impl Visitor<'_> for KeyVisitor {
                type Value = Key;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an object key")
                }
                fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                    Ok(Key(key == "event"))
                }
            }
            deserializer.deserialize_str(KeyVisitor)
        }
    }

    /// The value of `event`: kept when it is a string, walked over otherwise.
    struct EventValue(Option<String>);

    impl<'de> de::Deserialize<'de> for EventValue {
        fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(EventVisitor)
        }
    }

    struct EventVisitor;

    impl<'de> Visitor<'de> for EventVisitor {
        type Value = EventValue;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }

        fn visit_str<E: de::Error>(self, event: &str) -> Result<EventValue, E> {
            Ok(EventValue(Some(event.to_owned())))
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<EventValue, A::Error> {
            IgnoredAny.visit_map(map).map(|_| EventValue(None))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<EventValue, A::Error> {
            IgnoredAny.visit_seq(seq).map(|_| EventValue(None))
        }

        fn visit_bool<E: de::Error>(self, _: bool) -> Result<EventValue, E> {
            Ok(EventValue(None))
        }

        fn visit_i64<E: de::Error>(self, _: i64) -> Result<EventValue, E> {
            Ok(EventValue(None))
        }

        fn visit_u64<E: de::Error>(self, _: u64) -> Result<EventValue, E> {
            Ok(EventValue(None))
        }

        fn visit_f64<E: de::Error>(self, _: f64) -> Result<EventValue, E> {
            Ok(EventValue(None))
        }

        fn visit_unit<E: de::Error>(self) -> Result<EventValue, E> {
            Ok(EventValue(None))
        }
    }
}

enum Alphabet {
    Standard,
    UrlSafe,
}

fn alphabet_of(part: &[u8]) -> Result<Alphabet, Error> {
    let first_standard = part.iter().position(|&b| b == b'+' || b == b'/');
    let first_url_safe = part.iter().position(|&b| b == b'-' || b == b'_');
    match (first_standard, first_url_safe) {
        (Some(s), Some(u)) => {
            let offset = s.max(u);
            Err(Error::Base64(Base64Problem::MixedAlphabets {
                offset,
                byte: part[offset],
            }))
        }
        (None, Some(_)) => Ok(Alphabet::UrlSafe),
        _ => Ok(Alphabet::Standard),
    }
}

fn problem_of(error: base64::DecodeError) -> Base64Problem {
    match error {
        base64::DecodeError::InvalidByte(offset, byte) => {
            Base64Problem::InvalidByte { offset, byte }
        }
        base64::DecodeError::InvalidLength(symbols) => Base64Problem::InvalidLength { symbols },
        base64::DecodeError::InvalidLastSymbol { offset, symbol, .. } => {
            Base64Problem::TrailingBits {
                offset,
                byte: symbol,
            }
        }
        base64::DecodeError::InvalidPadding => Base64Problem::InvalidPadding,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // "{\"a\":\"~?~\"}" is eyJhIjoifj9+In0= in standard base64.
    const JSON: &[u8] = b"{\"a\":\"~?~\"}";

    #[test]
    fn decodes_all_four_flavours() {
        for part in [
            &b"eyJhIjoifj9+In0="[..],
            b"eyJhIjoifj9+In0",
            b"eyJhIjoifj9-In0=",
            b"eyJhIjoifj9-In0",
        ] {
            assert_eq!(decode_base64(part).unwrap(), JSON, "{part:?}");
        }
    }

    #[test]
    fn names_the_invalid_byte_and_its_offset() {
        let err = decode_base64(b"eyJhIjoi!j9+In0=").unwrap_err();
        assert_eq!(
            err.to_string(),
            "payload is not valid base64: invalid byte '!' at offset 8"
        );
        let err = decode_base64(b"eyJh\xffIjoi").unwrap_err();
        assert_eq!(
            err.to_string(),
            "payload is not valid base64: invalid byte '\\xff' at offset 4"
        );
    }

    #[test]
    fn refuses_mixed_alphabets() {
        let err = decode_base64(b"ab+c_def").unwrap_err();
        assert_eq!(
            err.to_string(),
            "payload is not valid base64: '_' at offset 4 mixes the URL-safe and standard alphabets"
        );
    }

    #[test]
    fn refuses_impossible_lengths_and_trailing_bits() {
        assert!(matches!(
            decode_base64(b"eyJhI"),
            Err(Error::Base64(Base64Problem::InvalidLength { .. }))
        ));
        // "e31=" has bits in its last character that decode to nothing.
        assert!(matches!(
            decode_base64(b"e31="),
            Err(Error::Base64(Base64Problem::TrailingBits { offset: 2, .. }))
        ));
    }

    #[test]
    fn an_empty_payload_part_is_its_own_error() {
        assert!(matches!(decode_base64(b""), Err(Error::EmptyPayload)));
    }

    #[test]
    fn keeps_key_order_and_number_text() {
        let payload = Payload::from_bytes(
            br#"{"z":1,"a":1.50,"big":123456789012345678901234567890}"#.to_vec(),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(payload.json()).unwrap(),
            r#"{"z":1,"a":1.50,"big":123456789012345678901234567890}"#
        );
    }

    #[test]
    fn reports_where_json_goes_wrong() {
        let err = Payload::from_bytes(b"{\"a\": }".to_vec()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "payload is not JSON: expected value at line 1 column 7"
        );
    }

    #[test]
    fn scanning_agrees_with_parsing() {
        let cases: [&[u8]; 12] = [
            br#"{"event":"GivePlayerReward","player":{"id":1}}"#,
            br#"{"player":{"event":"inner"},"event":"Outer"}"#,
            br#"{"event":"First","event":"Last"}"#,
            br#"{"event":{"nested":["x"]}}"#,
            br#"{"event":12345678901234567890123}"#,
            br#"{"event":"\u00e9v\n"}"#,
            br#"[{"event":"x"}]"#,
            b"123456789012345678901234567890",
            b"\"just a string\"",
            b" null ",
            br#"{"event":"x"} trailing"#,
            br#"{"event":"x","a":[1,2,}"#,
        ];
        for bytes in cases {
            let parsed = Payload::from_bytes(bytes.to_vec());
            let scanned = scan_event(bytes);
            match (parsed, scanned) {
                (Ok(payload), Ok(event)) => assert_eq!(payload.event(), event.as_deref()),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!(
                    "{:?}: parse {a:?} but scan {b:?}",
                    String::from_utf8_lossy(bytes)
                ),
            }
        }
    }

    #[test]
    fn event_is_any_string_name() {
        let payload = Payload::from_bytes(br#"{"event":"SomethingNew"}"#.to_vec()).unwrap();
        assert_eq!(payload.event(), Some("SomethingNew"));
        let payload = Payload::from_bytes(br#"{"event":7}"#.to_vec()).unwrap();
        assert_eq!(payload.event(), None);
    }
}
