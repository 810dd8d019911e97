//! The cheap check for reading many payloads: whether the decoded bytes
//! are one JSON object, and its `event` and `time`, found by walking the
//! JSON without building it.
//!
//! [`crate::outline`] answers first, in one pass over the bytes, for every
//! payload it can judge exactly. The rest (and every error, so that its
//! words are serde_json's) go through serde visitors that keep only what a
//! [`Summary`] holds and send every other value through `deserialize_any`
//! ([`Skip`]), as serde_json does when it builds a `Value`, so the walk
//! accepts exactly what the full parse accepts.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::Error;
use crate::outline::{self, Kind, Outline};

/// What a payload says that matters for checking many bodies: found by
/// walking its JSON without building it. The strings borrow from the
/// payload unless they had escapes to undo.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary<'a> {
    /// What the JSON is, with its article, when it is not an object.
    not_object: Option<&'static str>,
    /// The `event` field, when it is a string.
    pub event: Option<Cow<'a, str>>,
    /// The `time` field, when it is a string.
    pub time: Option<Cow<'a, str>>,
}

impl Summary<'_> {
    /// This summary, if the payload is a JSON object.
    ///
    /// # Errors
    /// [`Error::PayloadNotObject`], naming what it is instead.
    pub fn require_object(self) -> Result<Self, Error> {
        match self.not_object {
            None => Ok(self),
            Some(kind) => Err(Error::PayloadNotObject(kind)),
        }
    }
}

/// Checks that `bytes` are one JSON value and summarizes it, without
/// building it: the cheap check for reading many payloads.
///
/// Accepts exactly what [`Payload::from_bytes`] accepts, and agrees with
/// it: a repeated key counts as its last value, as it does there.
///
/// # Errors
/// [`Error::PayloadNotJson`], with the line and column of the problem.
pub fn scan(bytes: &[u8]) -> Result<Summary<'_>, Error> {
    if let Some(outline) = outline::outline(bytes) {
        return Ok(Summary::from(outline));
    }
    walk(bytes).map_err(Error::PayloadNotJson)
}

impl<'a> From<Outline<'a>> for Summary<'a> {
    fn from(outline: Outline<'a>) -> Summary<'a> {
        Summary {
            not_object: match outline.kind {
                Kind::Object => None,
                Kind::Array => Some("an array"),
                Kind::Boolean => Some("a boolean"),
                Kind::Number => Some("a number"),
                Kind::String => Some("a string"),
                Kind::Null => Some("null"),
            },
            event: outline.event.map(Cow::Borrowed),
            time: outline.time.map(Cow::Borrowed),
        }
    }
}

/// Walks `bytes` as one JSON value, skipping what is not kept with [`Skip`].
fn walk(bytes: &[u8]) -> Result<Summary<'_>, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let summary = serde::Deserializer::deserialize_any(&mut deserializer, Top)?;
    deserializer.end()?;
    Ok(summary)
}

/// The top-level value: an object's `event` and `time`, or what it is
/// instead of an object; the values not kept are walked with [`Skip`].
struct Top;

fn other(kind: &'static str) -> Summary<'static> {
    Summary {
        not_object: Some(kind),
        ..Summary::default()
    }
}

impl<'de> Visitor<'de> for Top {
    type Value = Summary<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Summary<'de>, A::Error> {
        let mut summary = Summary::default();
        let mut first = true;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                // With arbitrary_precision, serde_json hands a number
                // over as a map with one private key.
                Key::Number if first && numbers_arrive_as_maps() => {
                    map.next_value::<Skip>()?;
                    return Ok(other("a number"));
                }
                Key::Event => summary.event = map.next_value::<StringValue>()?.0,
                Key::Time => summary.time = map.next_value::<StringValue>()?.0,
                Key::Number | Key::Other => {
                    map.next_value::<Skip>()?;
                }
            }
            first = false;
        }
        Ok(summary)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Summary<'de>, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(other("an array"))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Summary<'de>, E> {
        Ok(other("a boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Summary<'de>, E> {
        Ok(other("a number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Summary<'de>, E> {
        Ok(other("a number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Summary<'de>, E> {
        Ok(other("a number"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Summary<'de>, E> {
        Ok(other("a string"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Summary<'de>, E> {
        Ok(other("null"))
    }
}

/// Whether serde_json's `arbitrary_precision` is on. The core does not
/// ask for it, but cargo turns it on for the whole build when any crate
/// does (the gpwh tool does), and it changes how numbers are walked.
/// Only with it does "1e400" parse.
fn numbers_arrive_as_maps() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| serde_json::from_str::<serde_json::Value>("1e400").is_ok())
}

/// The top-level keys that matter.
enum Key {
    Event,
    Time,
    /// serde_json's private key for a number kept as written.
    Number,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "event" => Key::Event,
                    "time" => Key::Time,
                    "$serde_json::private::Number" => Key::Number,
                    _ => Key::Other,
                })
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A value kept when it is a string, walked with [`Skip`] otherwise.
struct StringValue<'de>(Option<Cow<'de, str>>);

impl<'de> Deserialize<'de> for StringValue<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StringVisitor;
        impl<'de> Visitor<'de> for StringVisitor {
            type Value = StringValue<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(
                self,
                text: &'de str,
            ) -> Result<StringValue<'de>, E> {
                Ok(StringValue(Some(Cow::Borrowed(text))))
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<StringValue<'de>, E> {
                Ok(StringValue(Some(Cow::Owned(text.to_owned()))))
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<StringValue<'de>, A::Error> {
                while map.next_entry::<Skip, Skip>()?.is_some() {}
                Ok(StringValue(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<StringValue<'de>, A::Error> {
                while seq.next_element::<Skip>()?.is_some() {}
                Ok(StringValue(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<StringValue<'de>, E> {
                Ok(StringValue(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<StringValue<'de>, E> {
                Ok(StringValue(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<StringValue<'de>, E> {
                Ok(StringValue(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<StringValue<'de>, E> {
                Ok(StringValue(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<StringValue<'de>, E> {
                Ok(StringValue(None))
            }
        }
        deserializer.deserialize_any(StringVisitor)
    }
}

/// Any value, walked over the way serde_json builds one, and dropped.
struct Skip;

impl Skip {
    fn map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Skip, A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(Skip)
    }

    fn seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }
}

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Skip, A::Error> {
        Skip::map(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Skip, A::Error> {
        Skip::seq(seq)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Payload;

    #[test]
    fn scanning_agrees_with_parsing() {
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(200), "]".repeat(200));
        let deep_inside_event = format!("{{\"event\":{}{}}}", "[".repeat(200), "]".repeat(200));
        let depth = |n: usize| {
            format!(
                "{{\"event\":\"x\",\"a\":{}{}}}",
                "[".repeat(n),
                "]".repeat(n)
            )
        };
        let (just_under, at_limit, over) = (depth(126), depth(127), depth(128));
        // Where the fast path stops answering and leaves it to serde_json.
        let (fast_deepest, fast_over) = (depth(59), depth(61));
        let long = |digits: usize| format!("{{\"event\":\"x\",\"n\":-{}.5}}", "9".repeat(digits));
        let (long_fast, long_slow) = (long(297), long(299));
        let cases: [&[u8]; 39] = [
            fast_deepest.as_bytes(),
            fast_over.as_bytes(),
            long_fast.as_bytes(),
            long_slow.as_bytes(),
            b"1e400",
            br#"{"event":"x","n":1E5}"#,
            br#"{"event":"x","n":-0}"#,
            br#"{"event":"x","n":01}"#,
            br#"{"event":"x","n":1.}"#,
            br#"{"event":"a\/b","time":"t"}"#,
            br#"{"event":"x", "time" : "T" , "event" : null}"#,
            b"{\"event\":\"x\"}\n\t ",
            b"{\"event\":\"tab\there\"}",
            just_under.as_bytes(),
            at_limit.as_bytes(),
            over.as_bytes(),
            br#"{"event":"\ud83d\ude00"}"#,
            br#"{"event":"x","a":"\udc00"}"#,
            br#"{"event":"x","a":"\\u"}"#,
            deep.as_bytes(),
            deep_inside_event.as_bytes(),
            b"{\"a\":\"\xff\"}",
            b"{\"event\":\"\xc3\xa9\", \"k\xe9y\":1}",
            br#"{"event":"GivePlayerReward","player":{"id":1}}"#,
            br#"{"time":"2024-04-26T11:34:23Z","time":5}"#,
            b"true",
            b"-1.5e3",
            br#"{"$serde_json::private::Number":"1"}"#,
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
            let scanned = scan(bytes);
            match (parsed, scanned) {
                (Ok(payload), Ok(summary)) => {
                    assert_eq!(payload.event(), summary.event.as_deref());
                    assert_eq!(payload.time(), summary.time.as_deref());
                    let (full, lean) = (payload.require_object(), summary.require_object());
                    assert_eq!(
                        full.err().map(|e| e.to_string()),
                        lean.err().map(|e| e.to_string())
                    );
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!(
                    "{:?}: parse {a:?} but scan {b:?}",
                    String::from_utf8_lossy(bytes)
                ),
            }
        }
    }
}
